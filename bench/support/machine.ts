import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir, cpus, totalmem, release, loadavg } from 'node:os';
import { basename, join, resolve } from 'node:path';
import sharp from 'sharp';

/** The repository root, from dist/bench/... or bench/... alike. */
export const repoRoot = resolve(
  __dirname,
  __dirname.includes(`${join('dist', 'bench')}`) ? '../../..' : '../..',
);

export const DEFAULT_MODEL_DIR = join(
  homedir(),
  '.cache/imgsearch/models/clip-vit-base-patch32-random',
);

/** `--model DIR`, else BENCH_MODEL_DIR, else the full-size random model in the cache. */
export function benchModelDir(argv: readonly string[]): string {
  const flag = argv.indexOf('--model');
  const dir = flag >= 0 ? argv[flag + 1] : process.env.BENCH_MODEL_DIR;
  return resolve(dir ?? DEFAULT_MODEL_DIR);
}

/** Stops with how to make the model when the folder lacks one. */
export function assertModelDir(dir: string): void {
  const missing = ['config.json', 'onnx/vision_model.onnx', 'onnx/text_model.onnx'].filter(
    (file) => !existsSync(join(dir, file)),
  );
  if (missing.length === 0) return;
  console.error(
    `No CLIP model in ${dir} (missing ${missing.join(', ')}). Generate the full-size random one:\n` +
      '  tools/.venv/bin/python tools/tiny-clip/make_clip.py --size full\n' +
      '(on a fresh machine first: python3 -m venv tools/.venv && ' +
      'tools/.venv/bin/pip install -r tools/tiny-clip/requirements.txt),\n' +
      'or pass --model DIR / set BENCH_MODEL_DIR.',
  );
  process.exit(2);
}

function packageVersion(name: string): string {
  try {
    const path = require.resolve(`${name}/package.json`, { paths: [repoRoot] });
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function megabytes(path: string): number | null {
  return existsSync(path) ? Math.round(statSync(path).size / 1e6) : null;
}

/** What ran the benchmark, for the report. */
export function describeMachine() {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model ?? 'unknown',
    logicalCpus: cores.length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    kernel: release(),
    node: process.version,
    onnxruntimeNode: packageVersion('onnxruntime-node'),
    sharp: (sharp.versions as { sharp?: string }).sharp ?? packageVersion('sharp'),
    libvips: sharp.versions.vips,
    sharpConcurrency: sharp.concurrency(),
    uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
    loadAverageAtStart: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

interface TowerConfig {
  hidden_size: number;
  num_hidden_layers: number;
  intermediate_size: number;
}

/** The model's architecture and file sizes, for the report. */
export function describeModel(dir: string) {
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
    projection_dim: number;
    vision_config: TowerConfig & { image_size: number; patch_size: number };
    text_config: TowerConfig & { max_position_embeddings: number };
  };
  const { vision_config: vision, text_config: text } = config;
  return {
    dir,
    name: basename(dir),
    dimension: config.projection_dim,
    vision: `${vision.num_hidden_layers} layers x ${vision.hidden_size} (mlp ${vision.intermediate_size}), ${vision.image_size} px, patch ${vision.patch_size}`,
    text: `${text.num_hidden_layers} layers x ${text.hidden_size} (mlp ${text.intermediate_size}), ${text.max_position_embeddings} tokens`,
    visionOnnxMB: megabytes(join(dir, 'onnx/vision_model.onnx')),
    textOnnxMB: megabytes(join(dir, 'onnx/text_model.onnx')),
  };
}
