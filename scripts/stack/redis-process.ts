import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { freePort } from './free-port';
import { ManagedProcess, startProcess, waitUntil } from './child-process';

export interface RedisInstance {
  url: string;
  process: ManagedProcess;
}

/** Starts a private redis-server on a free port, configured as BullMQ wants it (noeviction). */
export interface RedisStartOptions {
  /** Keep data across restarts with an append-only file (local stack); tests keep nothing. */
  persistent?: boolean;
}

export async function startRedis(
  dataDir: string,
  logFile?: string,
  options: RedisStartOptions = {},
): Promise<RedisInstance> {
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dataDir,
    '--save',
    '',
    '--appendonly',
    options.persistent ? 'yes' : 'no',
    '--maxmemory-policy',
    'noeviction',
  ];
  const process = startProcess('redis-server', 'redis-server', args, { logFile });
  await waitUntil(`Redis on port ${port}`, () => ping(port), { process, timeoutMs: 20_000 });
  return { url: `redis://127.0.0.1:${port}`, process };
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' }, () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}
