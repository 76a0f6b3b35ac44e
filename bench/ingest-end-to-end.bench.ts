/**
 * End-to-end ingest: Redis, Chroma, query service, gateway and 1 or more embedders on this
 * machine with the full-size model; a synthetic catalogue uploaded through the gateway API and
 * timed until the job is `completed`. Not a test: it measures and reports.
 *
 *   npm run bench:ingest                            # build, then 500 images x 4 configurations
 *   node dist/bench/ingest-end-to-end.bench.js [--images 500] [--configs 1x0,1x1,2x0,2x1]
 *        [--model DIR] [--name NAME] [--keep]
 *
 * A configuration `EMBEDDERSxTHREADS` runs EMBEDDERS embedder processes with
 * CLIP_INTRA_OP_THREADS=THREADS (0: ONNX Runtime decides, one per core). Services keep their
 * defaults otherwise (EMBED_BATCH_SIZE 32, DECODE_CONCURRENCY 4, INGEST_CHUNK_SIZE 256).
 * Needs `npm run setup:chroma` and `redis-server`. Writes bench/results/<name>.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { GatewayClient, type IngestStatus, waitForJob } from '@imgsearch/client';
import { startChroma } from '../scripts/stack/chroma-process';
import type { ManagedProcess } from '../scripts/stack/child-process';
import { startRedis } from '../scripts/stack/redis-process';
import { startServices, stopAll } from '../scripts/stack/services-process';
import { markdownTable } from './support/markdown';
import { writeReport } from './support/results';
import {
  assertModelDir,
  benchModelDir,
  describeMachine,
  describeModel,
  repoRoot,
} from './support/machine';
import { CpuMeter, round, waitForQuiet } from './support/measure';
import { syntheticCatalog } from './support/synthetic-catalog';

const argv = process.argv.slice(2);
const ADMIN = { username: 'admin', password: 'bench-admin-password' };
const TICKS_PER_SECOND = 100;
/** CPU used outside the stack, in cores, above which a run counts as disturbed. */
const MAX_OUTSIDE_CORES = 0.3;

function flag(name: string): string | undefined {
  const index = argv.indexOf(name);
  return index < 0 ? undefined : argv[index + 1];
}

interface Configuration {
  embedders: number;
  threads: number;
}

function parseConfigurations(text: string): Configuration[] {
  return text.split(',').map((item) => {
    const match = /^(\d+)x(\d+)$/.exec(item.trim());
    if (!match)
      throw new RangeError(`--configs takes EMBEDDERSxTHREADS items, e.g. 1x0,2x1; got "${item}"`);
    return { embedders: Number(match[1]), threads: Number(match[2]) };
  });
}

/** RSS now and at its peak (VmHWM), and CPU seconds so far, of a process, from /proc. */
function processStats(pid: number | undefined) {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    // Fields after the command name (which is in parentheses): utime is 14th, stime 15th overall.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024, cpuSeconds };
  } catch {
    return undefined;
  }
}

/** Peak RSS of each service process while the job runs. */
class ProcessWatcher {
  private readonly peaks = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly processes: readonly ManagedProcess[]) {
    this.timer = setInterval(() => this.sample(), 200);
    this.timer.unref();
    this.sample();
  }

  private sample(): void {
    for (const managed of this.processes) {
      const stats = processStats(managed.child.pid);
      if (stats)
        this.peaks.set(managed.name, Math.max(this.peaks.get(managed.name) ?? 0, stats.rssMiB));
    }
  }

  cpuSeconds(): Map<string, number> {
    return new Map(
      this.processes.map((managed) => [
        managed.name,
        processStats(managed.child.pid)?.cpuSeconds ?? 0,
      ]),
    );
  }

  stop(): Map<string, { rssPeakMiB: number; hwmMiB: number }> {
    clearInterval(this.timer);
    this.sample();
    return new Map(
      this.processes.map((managed) => [
        managed.name,
        {
          rssPeakMiB: Math.round(this.peaks.get(managed.name) ?? 0),
          hwmMiB: Math.round(processStats(managed.child.pid)?.hwmMiB ?? 0),
        },
      ]),
    );
  }
}

/** Sums and counts of the embedder's Prometheus histograms that tell where its time went. */
async function embedderMetrics(url: string) {
  const text = await fetch(`${url}/metrics`)
    .then((response) => response.text())
    .catch(() => '');
  const value = (pattern: string) => {
    let total = 0;
    for (const match of text.matchAll(
      new RegExp(`^${pattern}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'gm'),
    ))
      total += Number(match[1]);
    return total;
  };
  return {
    batches: value('embed_batch_duration_seconds_count'),
    embedSeconds: round(value('embed_batch_duration_seconds_sum'), 2),
    imagesDecoded: value('image_decode_duration_seconds_count'),
    decodeSecondsSum: round(value('image_decode_duration_seconds_sum'), 2),
  };
}

async function runConfiguration(
  configuration: Configuration,
  shared: {
    workDir: string;
    redisUrl: string;
    chromaUrl: string;
    modelDir: string;
    infrastructure: ManagedProcess[];
  },
  catalog: { csv: string; archive: string; images: number },
) {
  const name = `bench-${randomUUID().slice(0, 8)}`;
  const dataDir = mkdtempSync(join(shared.workDir, `${name}-`));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: 'warn',
    REDIS_URL: shared.redisUrl,
    CHROMA_URL: shared.chromaUrl,
    QUEUE_PREFIX: name,
    CHROMA_COLLECTION: name,
    DATA_DIR: dataDir,
    SQLITE_PATH: join(dataDir, 'imgsearch.sqlite'),
    CLIP_MODEL_DIR: shared.modelDir,
    CLIP_INTRA_OP_THREADS: String(configuration.threads),
    JWT_SECRET: randomUUID() + randomUUID(),
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
  };
  const started = performance.now();
  const services = await startServices({
    repoRoot,
    env,
    logDir: dataDir,
    embedders: configuration.embedders,
    readyTimeoutMs: 240_000,
  });
  const startupSeconds = round((performance.now() - started) / 1000, 1);
  try {
    const idle = new Map(
      [...services.processes, ...shared.infrastructure].map((managed) => [
        managed.name,
        processStats(managed.child.pid),
      ]),
    );
    const api = await new GatewayClient(services.gatewayUrl).login(ADMIN.username, ADMIN.password);
    const waitedSeconds = await waitForQuiet({
      maxOthersCores: 0.15,
      waitSeconds: 30,
      attempts: 1,
    });
    const watched = [...services.processes, ...shared.infrastructure];
    const watcher = new ProcessWatcher(watched);
    const cpuBefore = watcher.cpuSeconds();
    const machine = new CpuMeter();
    const uploadStarted = performance.now();
    const upload = await api.upload<{ jobId: string }>('/api/ingest', {
      csv: catalog.csv,
      archive: catalog.archive,
    });
    const uploadSeconds = (performance.now() - uploadStarted) / 1000;
    if (upload.status !== 202)
      throw new Error(`upload refused (${upload.status}): ${JSON.stringify(upload.body)}`);
    let firstChunkSeconds: number | undefined;
    let shown = '';
    const status: IngestStatus = await waitForJob(api, upload.body.jobId, 30 * 60_000, (s) => {
      if (firstChunkSeconds === undefined && s.progress.embedded > 0)
        firstChunkSeconds = (performance.now() - uploadStarted) / 1000;
      const line = `  ${s.state}: ${s.progress.embedded}/${s.progress.total} embedded`;
      if (line !== shown) process.stdout.write(`\r${line}   `);
      shown = line;
    });
    const totalSeconds = (performance.now() - uploadStarted) / 1000;
    process.stdout.write('\n');
    const cpu = machine.stop();
    const cpuAfter = watcher.cpuSeconds();
    const memory = watcher.stop();
    const metrics = await Promise.all(services.embedderUrls.map(embedderMetrics));
    const processes = watched.map((managed) => ({
      name: managed.name,
      idleRssMiB: Math.round(idle.get(managed.name)?.rssMiB ?? 0),
      ...memory.get(managed.name),
      cpuSeconds: round((cpuAfter.get(managed.name) ?? 0) - (cpuBefore.get(managed.name) ?? 0), 1),
    }));
    const embedderCpu = processes
      .filter((p) => p.name.startsWith('embedder'))
      .reduce((sum, p) => sum + p.cpuSeconds, 0);
    const stackCores = processes.reduce((sum, p) => sum + p.cpuSeconds, 0) / totalSeconds;
    // The machine's busy cores less this bench and the stack's processes: someone else's work.
    const outsideCores = Math.max(0, cpu.ownCores + (cpu.othersCores ?? 0) - stackCores);
    return {
      ...configuration,
      state: status.state,
      progress: status.progress,
      errors: status.errors.length,
      startupSeconds,
      uploadSeconds: round(uploadSeconds, 2),
      firstChunkSeconds: firstChunkSeconds === undefined ? null : round(firstChunkSeconds, 1),
      totalSeconds: round(totalSeconds, 1),
      imagesPerSecond: round(status.progress.embedded / totalSeconds, 2),
      embedderCpuMsPerImage: round((embedderCpu * 1000) / Math.max(1, status.progress.embedded), 1),
      waitedForQuietSeconds: waitedSeconds,
      stackCores: round(stackCores, 2),
      outsideCores: round(outsideCores, 2),
      cpu,
      processes,
      embedderMetrics: metrics,
    };
  } finally {
    await stopAll(services.processes);
  }
}

function tables(report: {
  catalog: { images: number; archiveMB: number };
  runs: Result[];
}): string {
  const runs = report.runs.filter((run) => !run.error);
  const out = [
    `### Ingest end to end (${report.catalog.images} images, ${report.catalog.archiveMB} MB ZIP)\n`,
    markdownTable(
      [
        'embedders',
        'intra-op threads',
        'state',
        'embedded',
        'upload s',
        'first chunk done s',
        'upload to completed s',
        'images/s',
        'embedder CPU ms/image',
        'stack cores',
        'outside cores',
        'services start s',
      ],
      runs.map((run) => [
        run.embedders,
        run.threads,
        run.state,
        `${run.progress.embedded}/${run.progress.total}`,
        run.uploadSeconds,
        run.firstChunkSeconds,
        run.totalSeconds,
        run.imagesPerSecond,
        run.embedderCpuMsPerImage,
        run.stackCores,
        run.disturbed ? `${run.outsideCores} (!)` : run.outsideCores,
        run.startupSeconds,
      ]),
    ),
    "\nMemory and CPU of each process during the job (RSS sampled every 200 ms; HWM is the kernel's peak since start, model load included):\n",
    markdownTable(
      ['embedders x threads', 'process', 'RSS idle MiB', 'RSS peak MiB', 'HWM MiB', 'CPU s'],
      runs.flatMap((run) =>
        run.processes.map((p: Result) => [
          `${run.embedders} x ${run.threads}`,
          p.name,
          p.idleRssMiB,
          p.rssPeakMiB,
          p.hwmMiB,
          p.cpuSeconds,
        ]),
      ),
    ),
    '\nInside the embedders (their Prometheus histograms; decode time is per image and overlaps the encoder):\n',
    markdownTable(
      [
        'embedders x threads',
        'embedder',
        'batches',
        'encoder s',
        'images decoded',
        'decode s (sum over images)',
      ],
      runs.flatMap((run) =>
        run.embedderMetrics.map((m: Result, index: number) => [
          `${run.embedders} x ${run.threads}`,
          index,
          m.batches,
          m.embedSeconds,
          m.imagesDecoded,
          m.decodeSecondsSum,
        ]),
      ),
    ),
  ];
  out.push(
    `\n(!) processes outside the stack used more than ${MAX_OUTSIDE_CORES} cores on average, even in the better of two tries: that row is pessimistic.`,
  );
  const failed = report.runs.filter((run) => run.error);
  if (failed.length > 0)
    out.push(
      `\nFailed: ${failed.map((run) => `${run.embedders}x${run.threads}: ${run.error}`).join('; ')}`,
    );
  return out.join('\n');
}

// The runs' results, as plain JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Result = any;

async function main(): Promise<void> {
  const modelDir = benchModelDir(argv);
  assertModelDir(modelDir);
  const missing = ['gateway', 'query', 'embedder']
    .map((service) => join(repoRoot, 'dist/services', service, 'src/main.js'))
    .filter((file) => !existsSync(file));
  if (missing.length > 0) {
    console.error(`Services are not built (${missing.join(', ')}): run "npm run build" first.`);
    process.exit(2);
  }
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    console.error('redis-server is not on PATH.');
    process.exit(2);
  }
  const images = Number(flag('--images') ?? 500);
  const configurations = parseConfigurations(flag('--configs') ?? '1x0,1x1,2x0,2x1');
  const name = flag('--name') ?? 'ingest-end-to-end';
  const catalogDir = join(homedir(), '.cache/imgsearch/bench', `catalog-${images}-v1`);
  console.log(
    `Ingest bench: ${images} images, configurations ${configurations.map((c) => `${c.embedders}x${c.threads}`).join(', ')}`,
  );
  const catalog = await syntheticCatalog(join(repoRoot, 'samples/photos'), catalogDir, images);
  console.log(
    `Catalogue: ${catalog.archive} (${catalog.archiveMB} MB${catalog.builtSeconds ? `, built in ${catalog.builtSeconds} s` : ', cached'})`,
  );
  const workDir = mkdtempSync(join(tmpdir(), 'imgsearch-bench-'));
  const redis = await startRedis(join(workDir, 'redis'), join(workDir, 'redis.log'));
  const infrastructure: ManagedProcess[] = [redis.process];
  const report = {
    name,
    startedAt: new Date().toISOString(),
    machine: describeMachine(),
    model: describeModel(modelDir),
    catalog: { images, archiveMB: catalog.archiveMB },
    runs: [] as Result[],
  };
  try {
    const chroma = await startChroma(
      repoRoot,
      join(workDir, 'chroma'),
      join(workDir, 'chroma.log'),
    );
    infrastructure.push(chroma.process);
    for (const configuration of configurations) {
      console.log(
        `- ${configuration.embedders} embedder(s), intra-op threads ${configuration.threads}`,
      );
      try {
        const shared = {
          workDir,
          redisUrl: redis.url,
          chromaUrl: chroma.url,
          modelDir,
          infrastructure,
        };
        // Other processes on the machine (builds, tests) may take cores in the middle of a run:
        // such a run is tried again once, and the less disturbed of the two is kept.
        const attempts = [await runConfiguration(configuration, shared, catalog)];
        if (attempts[0]!.outsideCores > MAX_OUTSIDE_CORES) {
          console.log(
            `  disturbed (${attempts[0]!.outsideCores} cores used outside the stack); once more`,
          );
          attempts.push(await runConfiguration(configuration, shared, catalog));
        }
        const kept = attempts.reduce((best, run) =>
          run.outsideCores < best.outsideCores ? run : best,
        );
        report.runs.push({
          ...kept,
          attempts: attempts.length,
          disturbed: kept.outsideCores > MAX_OUTSIDE_CORES,
          attemptImagesPerSecond: attempts.map((run) => run.imagesPerSecond),
        });
      } catch (error) {
        console.error(error);
        report.runs.push({
          ...configuration,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  } finally {
    await stopAll(infrastructure);
    if (argv.includes('--keep')) console.log(`Kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
  console.log(`\n## ${name} (${report.startedAt})\n`);
  console.log(tables(report));
  writeReport(name, report);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
