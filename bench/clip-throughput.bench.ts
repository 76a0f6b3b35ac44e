/**
 * CLIP throughput and memory on this machine, with the full-size model (ViT-B/32 with random
 * weights costs exactly what the real one does). Not a test: it measures and reports.
 *
 *   npm run bench                                   # build, then run everything (~5 min on 2 cores)
 *   node dist/bench/clip-throughput.bench.js [--model DIR] [--name NAME] [--quick]
 *        [--only preprocess,tokenizer,encoders-t1,encoders-t2,pipeline-t1,pipeline-t2]
 *        [--pipeline-images 128] [--pipeline-batch 32]
 *
 * Each phase runs in its own child process, so its memory peaks are its own (a loaded model
 * never leaves its RSS behind for the next phase). Prints markdown tables and writes
 * bench/results/<name>.json.
 */
import { fork } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ClipImagePreprocessor, ClipModel, ClipTokenizer } from '@imgsearch/clip';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import sharp from 'sharp';
import { markdownTable } from './support/markdown';
import { writeReport } from './support/results';
import {
  assertModelDir,
  benchModelDir,
  describeMachine,
  describeModel,
  repoRoot,
} from './support/machine';
import {
  CpuMeter,
  MemorySampler,
  mapBounded,
  memoryNow,
  quietly,
  waitForQuiet,
  repeat,
  round,
  slices,
  summarize,
} from './support/measure';
import { descriptions, queries } from './support/texts';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
/** Measured seconds per configuration (after warm-up). */
const SECONDS = QUICK ? 1.5 : 5;
const VISION_BATCHES = [1, 8, 16, 32];
const PREPROCESS_CONCURRENCY = [1, 2, 4];
const PIPELINE_IMAGES = numberFlag('--pipeline-images', QUICK ? 48 : 128);
const PIPELINE_BATCH = numberFlag('--pipeline-batch', 32);
/** The embedder's defaults (DECODE_CONCURRENCY, THUMBNAIL_SIZE, THUMBNAIL_QUALITY). */
const DECODE_CONCURRENCY = 4;
const THUMBNAIL = { size: 256, quality: 80 };
const PHASES = [
  'preprocess',
  'tokenizer',
  'encoders-t1',
  'encoders-t2',
  'pipeline-t1',
  'pipeline-t2',
  'tower-vision',
  'tower-text',
] as const;
type Phase = (typeof PHASES)[number];

const quiet = { log: () => undefined, warn: (message: string) => console.warn(message) };

function numberFlag(name: string, fallback: number): number {
  const index = argv.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(argv[index + 1]);
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} takes a positive integer`);
  return value;
}

function stringFlag(name: string): string | undefined {
  const index = argv.indexOf(name);
  return index < 0 ? undefined : argv[index + 1];
}

interface Photo {
  name: string;
  bytes: Buffer;
  width: number;
  height: number;
}

async function loadPhotos(): Promise<Photo[]> {
  const folder = join(repoRoot, 'samples/photos');
  const names = readdirSync(folder)
    .filter((name) => /\.(png|jpe?g|webp)$/i.test(name))
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = readFileSync(join(folder, name));
      const { width = 0, height = 0 } = await sharp(bytes).metadata();
      return { name, bytes, width, height };
    }),
  );
}

function makeThumbnail(image: Buffer): Promise<Buffer> {
  // As services/embedder's SharpThumbnailMaker does.
  return sharp(image, { failOn: 'error' })
    .rotate()
    .resize(THUMBNAIL.size, THUMBNAIL.size, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: THUMBNAIL.quality, mozjpeg: false })
    .toBuffer();
}

// ---------------------------------------------------------------------------------------------
// Phases (each in its own child process)
// ---------------------------------------------------------------------------------------------

async function preprocessPhase(modelDir: string, memory: MemorySampler) {
  const preprocessor = await ClipImagePreprocessor.fromModelDir(modelDir);
  const photos = await loadPhotos();
  const perPhoto = [];
  await waitForQuiet();
  for (const photo of photos) {
    const times: number[] = [];
    for (let run = -1; run < 5; run += 1) {
      const started = performance.now();
      await preprocessor.preprocess(photo.bytes);
      if (run >= 0) times.push(performance.now() - started);
    }
    perPhoto.push({
      photo: photo.name,
      width: photo.width,
      height: photo.height,
      kB: Math.round(photo.bytes.length / 1000),
      ms: summarize(times, 1).p50,
    });
  }
  const pass = (
    concurrency: number,
    work: (bytes: Buffer) => Promise<unknown>,
    latencies?: number[],
  ) =>
    mapBounded(photos, concurrency, async (photo) => {
      const started = performance.now();
      await work(photo.bytes);
      latencies?.push(performance.now() - started);
    });
  const options = { warmups: 1, minRuns: 3, minSeconds: SECONDS / 2 };
  const rows = [];
  for (const concurrency of PREPROCESS_CONCURRENCY) {
    const latencies: number[] = [];
    const measured = await repeat(
      photos.length,
      (run) =>
        pass(
          concurrency,
          (bytes) => preprocessor.preprocess(bytes),
          run >= 0 ? latencies : undefined,
        ),
      options,
      memory,
    );
    rows.push({
      workload: 'CLIP preprocess',
      concurrency,
      imageMs: summarize(latencies, 1),
      ...measured,
    });
  }
  for (const concurrency of [1, DECODE_CONCURRENCY]) {
    const latencies: number[] = [];
    const measured = await repeat(
      photos.length,
      (run) => pass(concurrency, makeThumbnail, run >= 0 ? latencies : undefined),
      options,
      memory,
    );
    rows.push({
      workload: 'thumbnail',
      concurrency,
      imageMs: summarize(latencies, 1),
      ...measured,
    });
  }
  const latencies: number[] = [];
  const both = await repeat(
    photos.length,
    (run) =>
      pass(
        DECODE_CONCURRENCY,
        async (bytes) => {
          await preprocessor.preprocess(bytes);
          await makeThumbnail(bytes);
        },
        run >= 0 ? latencies : undefined,
      ),
    options,
    memory,
  );
  rows.push({
    workload: 'preprocess + thumbnail (embedder)',
    concurrency: DECODE_CONCURRENCY,
    imageMs: summarize(latencies, 1),
    ...both,
  });
  return { photos: perPhoto, rows };
}

async function tokenizerPhase(modelDir: string, memory: MemorySampler) {
  const started = performance.now();
  const tokenizer = await ClipTokenizer.fromModelDir(modelDir, 77);
  const loadMs = round(performance.now() - started, 0);
  const afterLoad = memory.peak();
  for (const text of [...queries(200, 99), ...descriptions(200, 98)]) tokenizer.encode(text);
  const rows = [];
  for (const [kind, texts] of [
    ['query (3-8 words)', queries(2000)],
    ['description (25-60 words)', descriptions(2000)],
  ] as const) {
    const measured = await quietly(async () => {
      memory.reset();
      const cpu = new CpuMeter();
      const micros: number[] = [];
      let truncated = 0;
      const all = performance.now();
      for (const text of texts) {
        const one = performance.now();
        truncated += tokenizer.encode(text).truncated ? 1 : 0;
        micros.push((performance.now() - one) * 1000);
      }
      const totalMs = performance.now() - all;
      return {
        truncated,
        textsPerSecond: Math.round((texts.length * 1000) / totalMs),
        micros: summarize(micros, 1),
        cpu: cpu.stop(),
        memory: memory.peak(),
      };
    });
    rows.push({ kind, texts: texts.length, ...measured });
  }
  return { loadMs, afterLoad, rows };
}

async function loadModel(modelDir: string, threads: number, memory: MemorySampler) {
  memory.reset();
  const started = performance.now();
  const model = await ClipModel.load(modelDir, { intraOpNumThreads: threads, logger: quiet });
  return {
    model,
    load: { ms: round(performance.now() - started, 0), memory: memory.peak(), after: memoryNow() },
  };
}

async function encodersPhase(modelDir: string, threads: number, memory: MemorySampler) {
  const { model, load } = await loadModel(modelDir, threads, memory);
  const photos = await loadPhotos();
  const pixels = await Promise.all(photos.map((photo) => model.preprocessImage(photo.bytes)));
  const vision = [];
  for (const batch of VISION_BATCHES) {
    // Distinct pictures in every batch, cycling through the preprocessed photos.
    const batchFor = (run: number) =>
      Array.from(
        { length: batch },
        (_, index) => pixels[Math.abs(run * batch + index) % pixels.length]!,
      );
    const measured = await repeat(
      batch,
      (run) => model.embedPixels(batchFor(run)),
      { warmups: batch === 1 ? 3 : 1, minRuns: 3, minSeconds: SECONDS },
      memory,
    );
    vision.push({ batch, msPerImage: round(1000 / measured.itemsPerSecond, 1), ...measured });
  }
  const single = queries(60, 7);
  const textSingle = await repeat(
    1,
    (run) => model.embedTexts([single[run + 5]!]),
    { warmups: 5, minRuns: 50, minSeconds: 0, maxRuns: 50 },
    memory,
  );
  const batchTexts = queries(32 * 40, 8);
  const textBatch = await repeat(
    32,
    (run) => model.embedTexts(batchTexts.slice((run + 2) * 32, (run + 3) * 32)),
    { warmups: 2, minRuns: 5, minSeconds: SECONDS / 2, maxRuns: 38 },
    memory,
  );
  await model.close();
  return { threads, load, vision, textSingle, textBatch };
}

interface PipelineRun {
  mode: 'sequential' | 'overlapped';
  ms: number;
  decodeMs: number;
  embedMs: number;
}

async function pipelinePhase(modelDir: string, threads: number, memory: MemorySampler) {
  const { model, load } = await loadModel(modelDir, threads, memory);
  const photos = await loadPhotos();
  const images = Array.from(
    { length: PIPELINE_IMAGES },
    (_, index) => photos[index % photos.length]!.bytes,
  );
  const batches = slices(images, PIPELINE_BATCH);
  // Read as the embedder does: CLIP pixels, then the thumbnail, DECODE_CONCURRENCY at a time.
  const decode = (batch: readonly Buffer[]) =>
    mapBounded(batch, DECODE_CONCURRENCY, async (bytes) => {
      const pixels = await model.preprocessImage(bytes);
      await makeThumbnail(bytes);
      return pixels;
    });
  const timed = async <T>(work: () => Promise<T>, add: (ms: number) => void): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      add(performance.now() - started);
    }
  };
  const sequential = async (): Promise<PipelineRun> => {
    const run: PipelineRun = { mode: 'sequential', ms: 0, decodeMs: 0, embedMs: 0 };
    const started = performance.now();
    for (const batch of batches) {
      const pixels = await timed(
        () => decode(batch),
        (ms) => (run.decodeMs += ms),
      );
      await timed(
        () => model.embedPixels(pixels),
        (ms) => (run.embedMs += ms),
      );
    }
    run.ms = performance.now() - started;
    return run;
  };
  const overlapped = async (): Promise<PipelineRun> => {
    // services/embedder's ImagePipeline: while batch n is embedded, batch n+1 is decoded.
    const run: PipelineRun = { mode: 'overlapped', ms: 0, decodeMs: 0, embedMs: 0 };
    const started = performance.now();
    let ahead: Promise<Float32Array[]> | undefined = decode(batches[0]!);
    for (let index = 0; index < batches.length; index += 1) {
      const pixels: Float32Array[] = await ahead!;
      const next = batches[index + 1];
      ahead = next === undefined ? undefined : decode(next);
      await timed(
        () => model.embedPixels(pixels),
        (ms) => (run.embedMs += ms),
      );
    }
    run.ms = performance.now() - started;
    return run;
  };
  // Warm-up: one batch through each path.
  await model.embedPixels(await decode(batches[0]!));
  const runs: (PipelineRun & {
    memory: ReturnType<MemorySampler['peak']>;
    cpu: ReturnType<CpuMeter['stop']>;
    disturbed: boolean;
  })[] = [];
  const repetitions = QUICK ? 1 : 2;
  for (let repetition = 0; repetition < repetitions; repetition += 1) {
    // Alternate, so that a burst of load from elsewhere does not land on one mode only.
    for (const mode of repetition % 2 === 0 ? [sequential, overlapped] : [overlapped, sequential]) {
      runs.push(
        await quietly(async () => {
          memory.reset();
          const cpu = new CpuMeter();
          const run = await mode();
          return { ...run, cpu: cpu.stop(), memory: memory.peak() };
        }),
      );
    }
  }
  await model.close();
  const modes = (['sequential', 'overlapped'] as const).map((mode) => {
    const mine = runs.filter((run) => run.mode === mode);
    const rates = mine.map((run) => (images.length * 1000) / run.ms);
    return {
      mode,
      threads,
      batch: PIPELINE_BATCH,
      images: images.length,
      runs: mine.length,
      imagesPerSecond: round(
        (images.length * mine.length * 1000) / mine.reduce((sum, run) => sum + run.ms, 0),
        2,
      ),
      bestImagesPerSecond: round(Math.max(...rates), 2),
      runImagesPerSecond: rates.map((rate) => round(rate, 2)),
      decodeShare:
        mode === 'sequential'
          ? round(mine.reduce((sum, run) => sum + run.decodeMs / run.ms, 0) / mine.length, 2)
          : null,
      embedMsPerImage: round(
        mine.reduce((sum, run) => sum + run.embedMs, 0) / (images.length * mine.length),
        1,
      ),
      ownCores: round(mine.reduce((sum, run) => sum + run.cpu.ownCores, 0) / mine.length, 2),
      othersCores: round(
        mine.reduce((sum, run) => sum + (run.cpu.othersCores ?? 0), 0) / mine.length,
        2,
      ),
      disturbedRuns: mine.filter((run) => run.disturbed).length,
      rssPeakMiB: Math.max(...mine.map((run) => run.memory.rssMiB)),
      heapPeakMiB: Math.max(...mine.map((run) => run.memory.heapUsedMiB)),
    };
  });
  return { threads, load, decodeConcurrency: DECODE_CONCURRENCY, modes };
}

/**
 * One tower alone, straight on ONNX Runtime (2 intra-op threads): what a process that needs only
 * that tower would hold. ClipModel.load always loads both.
 */
async function towerPhase(modelDir: string, tower: 'vision' | 'text', memory: MemorySampler) {
  memory.reset();
  const started = performance.now();
  const session = await InferenceSession.create(join(modelDir, `onnx/${tower}_model.onnx`), {
    executionProviders: ['cpu'],
    intraOpNumThreads: 2,
  });
  const loadMs = round(performance.now() - started, 0);
  const afterLoad = memoryNow();
  const batch = 32;
  const feeds: Record<string, Tensor> =
    tower === 'vision'
      ? {
          pixel_values: new Tensor('float32', new Float32Array(batch * 3 * 224 * 224), [
            batch,
            3,
            224,
            224,
          ]),
        }
      : { input_ids: new Tensor('int64', new BigInt64Array(batch * 77).fill(1n), [batch, 77]) };
  if (tower === 'text' && session.inputNames.includes('attention_mask'))
    feeds.attention_mask = new Tensor('int64', new BigInt64Array(batch * 77).fill(1n), [batch, 77]);
  await session.run(feeds);
  const afterBatch = memory.peak();
  await session.release();
  return { tower, loadMs, afterLoad, batch, afterBatch };
}

async function runPhase(phase: Phase, modelDir: string): Promise<unknown> {
  const memory = new MemorySampler().start();
  const baseline = memoryNow();
  const loadBefore = loadavg()[0];
  const started = performance.now();
  let result: unknown;
  switch (phase) {
    case 'preprocess':
      result = await preprocessPhase(modelDir, memory);
      break;
    case 'tokenizer':
      result = await tokenizerPhase(modelDir, memory);
      break;
    case 'encoders-t1':
    case 'encoders-t2':
      result = await encodersPhase(modelDir, Number(phase.slice(-1)), memory);
      break;
    case 'pipeline-t1':
    case 'pipeline-t2':
      result = await pipelinePhase(modelDir, Number(phase.slice(-1)), memory);
      break;
    case 'tower-vision':
    case 'tower-text':
      result = await towerPhase(modelDir, phase === 'tower-vision' ? 'vision' : 'text', memory);
      break;
  }
  memory.stop();
  return {
    phase,
    seconds: round((performance.now() - started) / 1000, 1),
    baseline,
    loadAverage: { before: round(loadBefore ?? 0), after: round(loadavg()[0] ?? 0) },
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(result as object),
  };
}

// ---------------------------------------------------------------------------------------------
// Parent: runs the phases, prints tables, writes JSON
// ---------------------------------------------------------------------------------------------

function runChild(phase: Phase): Promise<unknown> {
  return new Promise((resolve) => {
    const child = fork(__filename, [...argv, '--child', phase], { stdio: 'inherit' });
    let result: unknown;
    child.on('message', (message) => (result = message));
    child.on('exit', (code) =>
      resolve(result ?? { phase, error: `child exited with code ${code} and no result` }),
    );
  });
}

type Row = (string | number | null | undefined)[];

/** Other processes' CPU use, flagged when it stayed above the quiet gate after a retry. */
function others(
  othersCores: number | null,
  disturbed: boolean | undefined,
): string | number | null {
  return disturbed ? `${othersCores} (!)` : othersCores;
}

const DISTURBED_NOTE =
  '\n(!) other processes kept more than 0.15 cores busy during that measurement even after a retry: ' +
  'its numbers are pessimistic. "others cores" is the rest of the machine, from /proc/stat.';

/** CPU time this process spent per item, in ms: cores busy / items per second. */
function cpuMsPerItem(ownCores: number, itemsPerSecond: number): number {
  return round((ownCores * 1000) / itemsPerSecond, 1);
}
// The children's results, as plain JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Result = any;

function tables(results: Record<string, Result>): string {
  const out: string[] = [];
  const pre = results.preprocess;
  if (pre?.rows) {
    out.push('### (a) Image preprocessing (samples/photos, 19 pictures)\n');
    out.push(
      markdownTable(
        [
          'workload',
          'concurrency',
          'images/s',
          'best images/s',
          'ms/image p50',
          'ms/image p95',
          'own cores',
          'CPU ms/image',
          'others cores',
          'RSS peak MiB',
          'heap peak MiB',
        ],
        pre.rows.map((row: Result): Row => [
          row.workload,
          row.concurrency,
          row.itemsPerSecond,
          row.bestItemsPerSecond,
          row.imageMs.p50,
          row.imageMs.p95,
          row.cpu.ownCores,
          cpuMsPerItem(row.cpu.ownCores, row.itemsPerSecond),
          others(row.cpu.othersCores, row.disturbed),
          row.memory.rssMiB,
          row.memory.heapUsedMiB,
        ]),
      ),
    );
    out.push('\nCLIP preprocessing per picture, one at a time (median of 5):\n');
    out.push(
      markdownTable(
        ['photo', 'width x height', 'kB', 'ms'],
        pre.photos.map((photo: Result): Row => [
          photo.photo,
          `${photo.width} x ${photo.height}`,
          photo.kB,
          photo.ms,
        ]),
      ),
    );
  }
  const encoders = ['encoders-t1', 'encoders-t2']
    .map((phase) => results[phase])
    .filter((r) => r?.vision);
  if (encoders.length > 0) {
    out.push('\n### Model load\n');
    out.push(
      markdownTable(
        ['intra-op threads', 'load ms', 'RSS after load MiB', 'heap after load MiB'],
        encoders.map((r: Result): Row => [
          r.threads,
          r.load.ms,
          r.load.after.rssMiB,
          r.load.after.heapUsedMiB,
        ]),
      ),
    );
  }
  const towers = ['tower-vision', 'tower-text']
    .map((phase) => results[phase])
    .filter((r) => r?.tower);
  if (towers.length > 0) {
    out.push('\n### One tower alone (onnxruntime-node session, 2 intra-op threads)\n');
    out.push(
      markdownTable(
        ['tower', 'load ms', 'RSS after load MiB', 'RSS peak with a batch of 32 MiB'],
        towers.map((r: Result): Row => [
          r.tower,
          r.loadMs,
          r.afterLoad.rssMiB,
          r.afterBatch.rssMiB,
        ]),
      ),
    );
  }
  if (encoders.length > 0) {
    out.push('\n### (b) Vision encoder, from preprocessed pixels\n');
    out.push(
      markdownTable(
        [
          'intra-op threads',
          'batch',
          'runs',
          'images/s',
          'best images/s',
          'ms/image',
          'ms/batch p50',
          'ms/batch p95',
          'own cores',
          'CPU ms/image',
          'others cores',
          'RSS peak MiB',
          'heap peak MiB',
        ],
        encoders.flatMap((r: Result) =>
          r.vision.map((v: Result): Row => [
            r.threads,
            v.batch,
            v.runs,
            v.itemsPerSecond,
            v.bestItemsPerSecond,
            v.msPerImage,
            v.runMs.p50,
            v.runMs.p95,
            v.cpu.ownCores,
            cpuMsPerItem(v.cpu.ownCores, v.itemsPerSecond),
            others(v.cpu.othersCores, v.disturbed),
            v.memory.rssMiB,
            v.memory.heapUsedMiB,
          ]),
        ),
      ),
    );
    out.push('\n### (d) Text encoder (tokenize + encode)\n');
    out.push(
      markdownTable(
        [
          'intra-op threads',
          'single query p50 ms',
          'p95 ms',
          'min ms',
          'runs',
          'batch 32: texts/s',
          'batch 32: ms p50',
          'own cores (batch)',
          'others cores',
          'RSS peak MiB',
          'heap peak MiB',
        ],
        encoders.map((r: Result): Row => [
          r.threads,
          r.textSingle.runMs.p50,
          r.textSingle.runMs.p95,
          r.textSingle.runMs.min,
          r.textSingle.runs,
          r.textBatch.itemsPerSecond,
          r.textBatch.runMs.p50,
          r.textBatch.cpu.ownCores,
          others(
            Math.max(r.textSingle.cpu.othersCores ?? 0, r.textBatch.cpu.othersCores ?? 0),
            r.textSingle.disturbed || r.textBatch.disturbed,
          ),
          Math.max(r.textSingle.memory.rssMiB, r.textBatch.memory.rssMiB),
          Math.max(r.textSingle.memory.heapUsedMiB, r.textBatch.memory.heapUsedMiB),
        ]),
      ),
    );
  }
  const pipelines = ['pipeline-t1', 'pipeline-t2']
    .map((phase) => results[phase])
    .filter((r) => r?.modes);
  if (pipelines.length > 0) {
    out.push(
      `\n### (c) Decode + embed pipeline (${pipelines[0].modes[0].images} images, decode concurrency ${pipelines[0].decodeConcurrency}, CLIP pixels + thumbnail per image)\n`,
    );
    out.push(
      markdownTable(
        [
          'intra-op threads',
          'batch',
          'mode',
          'runs',
          'images/s',
          'best images/s',
          'decode share (seq.)',
          'embed ms/image',
          'own cores',
          'CPU ms/image',
          'others cores',
          'RSS peak MiB',
          'heap peak MiB',
        ],
        pipelines.flatMap((r: Result) =>
          r.modes.map((m: Result): Row => [
            m.threads,
            m.batch,
            m.mode,
            m.runs,
            m.imagesPerSecond,
            m.bestImagesPerSecond,
            m.decodeShare,
            m.embedMsPerImage,
            m.ownCores,
            cpuMsPerItem(m.ownCores, m.imagesPerSecond),
            others(m.othersCores, m.disturbedRuns > 0),
            m.rssPeakMiB,
            m.heapPeakMiB,
          ]),
        ),
      ),
    );
  }
  const tok = results.tokenizer;
  if (tok?.rows) {
    out.push(
      `\n### (e) Tokenizer (load ${tok.loadMs} ms, RSS after load ${tok.afterLoad.rssMiB} MiB)\n`,
    );
    out.push(
      markdownTable(
        [
          'texts',
          'count',
          'truncated',
          'texts/s',
          'µs/text p50',
          'µs/text p95',
          'µs/text mean',
          'RSS peak MiB',
          'heap peak MiB',
        ],
        tok.rows.map((row: Result): Row => [
          row.kind,
          row.texts,
          row.truncated,
          row.textsPerSecond,
          row.micros.p50,
          row.micros.p95,
          row.micros.mean,
          row.memory.rssMiB,
          row.memory.heapUsedMiB,
        ]),
      ),
    );
  }
  if (out.some((block) => block.includes('(!)'))) out.push(DISTURBED_NOTE);
  out.push('\n### Phases (each a fresh process)\n');
  out.push(
    markdownTable(
      ['phase', 'seconds', 'load avg before', 'load avg after', 'RSS at start MiB', 'max RSS MiB'],
      Object.values(results).map((r: Result): Row => [
        r.phase,
        r.seconds,
        r.loadAverage?.before,
        r.loadAverage?.after,
        r.baseline?.rssMiB,
        r.maxRssMiB ?? r.error,
      ]),
    ),
  );
  return out.join('\n');
}

async function main(): Promise<void> {
  const modelDir = benchModelDir(argv);
  const childPhase = stringFlag('--child') as Phase | undefined;
  if (childPhase) {
    const result = await runPhase(childPhase, modelDir);
    process.send!(result, () => process.disconnect());
    return;
  }
  assertModelDir(modelDir);
  const only = stringFlag('--only')?.split(',');
  const unknown = only?.filter((phase) => !PHASES.includes(phase as Phase)) ?? [];
  if (unknown.length > 0)
    throw new RangeError(`unknown phase(s) ${unknown.join(', ')}; known: ${PHASES.join(', ')}`);
  const phases = PHASES.filter((phase) => !only || only.includes(phase));
  const name = stringFlag('--name') ?? (QUICK ? 'clip-throughput-quick' : 'clip-throughput');
  const report = {
    name,
    startedAt: new Date().toISOString(),
    quick: QUICK,
    machine: describeMachine(),
    model: describeModel(modelDir),
    settings: {
      secondsPerConfiguration: SECONDS,
      visionBatches: VISION_BATCHES,
      preprocessConcurrency: PREPROCESS_CONCURRENCY,
      pipelineImages: PIPELINE_IMAGES,
      pipelineBatch: PIPELINE_BATCH,
      decodeConcurrency: DECODE_CONCURRENCY,
      thumbnail: THUMBNAIL,
    },
    results: {} as Record<string, Result>,
  };
  console.log(
    `CLIP throughput bench: ${report.model.name}, ${report.machine.logicalCpus} CPUs, phases ${phases.join(', ')}`,
  );
  for (const phase of phases) {
    const started = performance.now();
    process.stdout.write(`- ${phase} ... `);
    report.results[phase] = await runChild(phase);
    console.log(`${round((performance.now() - started) / 1000, 1)} s`);
  }
  const markdown = tables(report.results);
  console.log(`\n## ${name} (${report.startedAt})\n`);
  console.log(
    `Machine: ${report.machine.cpuModel}, ${report.machine.logicalCpus} CPUs, ${report.machine.memoryGiB} GiB; Node ${report.machine.node}, onnxruntime-node ${report.machine.onnxruntimeNode}, sharp ${report.machine.sharp} (libvips ${report.machine.libvips}).`,
  );
  console.log(
    `Model: ${report.model.name}: vision ${report.model.vision}; text ${report.model.text}; ${report.model.dimension}-d.\n`,
  );
  console.log(markdown);
  writeReport(name, report);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
