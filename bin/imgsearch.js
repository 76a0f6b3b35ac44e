#!/usr/bin/env node
// `npx imgsearch`: the compiled CLI (scripts/cli). `npm run build` produces it.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'scripts', 'cli', 'main.js');
if (!existsSync(entry)) {
  console.error('imgsearch: not built yet; run "npm run build" first.');
  process.exit(1);
}
require(entry)
  .run(process.argv.slice(2))
  .then((code) => process.exit(code), require(entry).reportAndExit);
