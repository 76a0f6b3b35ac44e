// Build-time check, run from the app folder in the images' dependency stages after
// `npm ci --omit=dev`: every native
// module loads on this base image (so a missing prebuilt binary or a glibc mismatch fails the
// build, not the first request), and onnxruntime-node's CUDA libraries are present exactly
// when asked for.
//   node check-native.js          CPU image: the CUDA provider must NOT have been downloaded
//   node check-native.js --cuda   CUDA image: the CUDA provider must be there
'use strict';

const { existsSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');

// Resolve modules from the app folder (the working directory), wherever this file lies.
const appRequire = createRequire(join(process.cwd(), 'package.json'));
const wantCuda = process.argv.includes('--cuda');

appRequire('sharp');
appRequire('argon2');
appRequire('msgpackr-extract');
const Database = appRequire('better-sqlite3');
new Database(':memory:').close();

const ortDir = dirname(appRequire.resolve('onnxruntime-node/package.json'));
const binDir = join(ortDir, 'bin', 'napi-v6', process.platform, process.arch);
appRequire(join(binDir, 'onnxruntime_binding.node'));

const cudaProvider = join(binDir, 'libonnxruntime_providers_cuda.so');
if (wantCuda && !existsSync(cudaProvider)) {
  console.error(`check-native: ${cudaProvider} is missing; the CUDA install did not run`);
  process.exit(1);
}
if (!wantCuda && existsSync(cudaProvider)) {
  console.error(
    `check-native: ${cudaProvider} was downloaded; onnxruntime-node-install=skip was ignored`,
  );
  process.exit(1);
}
console.log(
  `check-native: native modules load; CUDA provider ${wantCuda ? 'present' : 'absent'} in ${binDir}`,
);
