// Container health probe, run by HEALTHCHECK and by docker-compose.yml:
//   node /app/healthcheck.js <PORT_VARIABLE> [path]
// GETs http://127.0.0.1:$PORT_VARIABLE<path> (default /health/live) and exits 0 on a 2xx
// answer, 1 otherwise. Plain Node, so the slim images need neither curl nor wget.
'use strict';

const http = require('node:http');

const [portVariable = 'PORT', path = '/health/live'] = process.argv.slice(2);
const port = Number(process.env[portVariable]);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`healthcheck: ${portVariable}=${process.env[portVariable]} is not a port`);
  process.exit(1);
}

const request = http.get({ host: '127.0.0.1', port, path, timeout: 4000 }, (response) => {
  response.resume();
  const healthy = response.statusCode >= 200 && response.statusCode < 300;
  if (!healthy) console.error(`healthcheck: ${path} answered ${response.statusCode}`);
  process.exit(healthy ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('no answer within 4 s')));
request.on('error', (error) => {
  console.error(`healthcheck: ${path}: ${error.message}`);
  process.exit(1);
});
