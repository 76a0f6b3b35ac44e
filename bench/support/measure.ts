import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Peaks of `process.memoryUsage()` over a measured stretch, in MiB. */
export interface MemoryPeak {
  rssMiB: number;
  heapUsedMiB: number;
  externalMiB: number;
  arrayBuffersMiB: number;
}

const MIB = 1024 * 1024;

/**
 * Samples `process.memoryUsage()` on a timer (and whenever asked) and keeps the peaks since the
 * last reset. ONNX Runtime and sharp work off the main thread, so the timer keeps firing while
 * they run; a long synchronous stretch of JavaScript can hide a short peak between samples.
 */
export class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  private peaks: MemoryPeak = zeroPeak();

  constructor(private readonly intervalMs = 10) {}

  start(): this {
    this.reset();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  reset(): void {
    this.peaks = zeroPeak();
    this.sample();
  }

  sample(): void {
    const usage = process.memoryUsage();
    const peaks = this.peaks;
    peaks.rssMiB = Math.max(peaks.rssMiB, usage.rss / MIB);
    peaks.heapUsedMiB = Math.max(peaks.heapUsedMiB, usage.heapUsed / MIB);
    peaks.externalMiB = Math.max(peaks.externalMiB, usage.external / MIB);
    peaks.arrayBuffersMiB = Math.max(peaks.arrayBuffersMiB, usage.arrayBuffers / MIB);
  }

  /** The peaks since the last reset, rounded to 1 MiB. */
  peak(): MemoryPeak {
    this.sample();
    return roundPeak(this.peaks);
  }
}

function zeroPeak(): MemoryPeak {
  return { rssMiB: 0, heapUsedMiB: 0, externalMiB: 0, arrayBuffersMiB: 0 };
}

function roundPeak(peak: MemoryPeak): MemoryPeak {
  return {
    rssMiB: Math.round(peak.rssMiB),
    heapUsedMiB: Math.round(peak.heapUsedMiB),
    externalMiB: Math.round(peak.externalMiB),
    arrayBuffersMiB: Math.round(peak.arrayBuffersMiB),
  };
}

/** Memory now, in MiB. */
export function memoryNow(): MemoryPeak {
  const usage = process.memoryUsage();
  return roundPeak({
    rssMiB: usage.rss / MIB,
    heapUsedMiB: usage.heapUsed / MIB,
    externalMiB: usage.external / MIB,
    arrayBuffersMiB: usage.arrayBuffers / MIB,
  });
}

/**
 * CPU used over a measured stretch, in cores (CPU seconds per wall second). `own` is this
 * process (all its threads: ONNX Runtime's, libuv's, libvips'); `others` is the rest of the
 * machine, from /proc/stat, which tells whether something else competed for the cores.
 */
export interface CpuReport {
  ownCores: number;
  othersCores: number | null;
  stealCores: number | null;
}

interface ProcStat {
  busy: number;
  steal: number;
}

/** USER_HZ: /proc/stat counts in 1/100 s on Linux. */
const TICKS_PER_SECOND = 100;

function readProcStat(): ProcStat | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [, user, nice, system, , , irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .map((field) => Number(field));
    if ([user, nice, system, irq, softirq, steal].some((value) => !Number.isFinite(value)))
      return undefined;
    return { busy: user! + nice! + system! + irq! + softirq! + steal!, steal: steal! };
  } catch {
    return undefined;
  }
}

export class CpuMeter {
  private readonly started = performance.now();
  private readonly ownStart = process.cpuUsage();
  private readonly machineStart = readProcStat();

  stop(): CpuReport {
    const wallS = (performance.now() - this.started) / 1000;
    const own = process.cpuUsage(this.ownStart);
    const ownCores = (own.user + own.system) / 1e6 / wallS;
    const machineEnd = readProcStat();
    if (!this.machineStart || !machineEnd)
      return { ownCores: round(ownCores, 2), othersCores: null, stealCores: null };
    const machineCores = (machineEnd.busy - this.machineStart.busy) / TICKS_PER_SECOND / wallS;
    const stealCores = (machineEnd.steal - this.machineStart.steal) / TICKS_PER_SECOND / wallS;
    return {
      ownCores: round(ownCores, 2),
      othersCores: round(Math.max(0, machineCores - ownCores), 2),
      stealCores: round(stealCores, 2),
    };
  }
}

/** Order statistics of a sample of durations, in the sample's unit. */
export interface Summary {
  n: number;
  mean: number;
  min: number;
  p50: number;
  p95: number;
  max: number;
}

/** Linear-interpolated percentile (numpy's default) of an ascending array. */
function percentile(sorted: readonly number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

export function summarize(values: readonly number[], digits = 2): Summary {
  if (values.length === 0) throw new RangeError('summarize needs at least one value');
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return {
    n: sorted.length,
    mean: round(mean, digits),
    min: round(sorted[0]!, digits),
    p50: round(percentile(sorted, 0.5), digits),
    p95: round(percentile(sorted, 0.95), digits),
    max: round(sorted[sorted.length - 1]!, digits),
  };
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/**
 * Other processes may share the cores (builds, tests): measure only when they are quiet, and
 * measure again when they were not.
 */
export interface QuietGate {
  /** CPU use of other processes, in cores, above which a measurement counts as disturbed. */
  readonly maxOthersCores: number;
  /** Longest wait for the machine to become quiet before each attempt, in seconds. */
  readonly waitSeconds: number;
  /** Measurements tried at most; the least disturbed one is kept. */
  readonly attempts: number;
}

/** Disabled when BENCH_NO_QUIET_GATE is set; always recorded. */
export const DEFAULT_GATE: QuietGate = process.env.BENCH_NO_QUIET_GATE
  ? { maxOthersCores: Number.POSITIVE_INFINITY, waitSeconds: 0, attempts: 1 }
  : { maxOthersCores: 0.15, waitSeconds: 15, attempts: 2 };

/**
 * Seconds this process may spend waiting for quiet and measuring again, in all: on a machine
 * that stays busy the bench still ends in bounded time, with the disturbed numbers flagged.
 */
let quietBudgetSeconds = Number(process.env.BENCH_QUIET_BUDGET_S ?? 40);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until other processes used less than `maxOthersCores` over a half-second window, for at
 * most `waitSeconds` (and never beyond the process's quiet budget). Returns the seconds waited.
 */
export async function waitForQuiet(gate: QuietGate = DEFAULT_GATE): Promise<number> {
  const started = performance.now();
  const limit = Math.min(gate.waitSeconds, quietBudgetSeconds);
  while ((performance.now() - started) / 1000 < limit) {
    const window = new CpuMeter();
    await sleep(500);
    const others = window.stop().othersCores;
    if (others === null || others < gate.maxOthersCores) break;
  }
  const waited = (performance.now() - started) / 1000;
  quietBudgetSeconds = Math.max(0, quietBudgetSeconds - waited);
  return round(waited, 1);
}

/**
 * Runs `measure` when the machine is quiet; again (up to `gate.attempts`, while the quiet budget
 * lasts) when other processes disturbed it. Keeps the least disturbed result and says how it went.
 */
export async function quietly<T extends { cpu: CpuReport }>(
  measure: () => Promise<T>,
  gate: QuietGate = DEFAULT_GATE,
): Promise<T & { attempts: number; waitedSeconds: number; disturbed: boolean }> {
  let best: T | undefined;
  let waited = 0;
  let attempt = 0;
  while (attempt < gate.attempts && (attempt === 0 || quietBudgetSeconds > 0)) {
    attempt += 1;
    waited += await waitForQuiet(gate);
    const started = performance.now();
    const result = await measure();
    if (attempt > 1)
      quietBudgetSeconds = Math.max(0, quietBudgetSeconds - (performance.now() - started) / 1000);
    if (!best || (result.cpu.othersCores ?? 0) < (best.cpu.othersCores ?? 0)) best = result;
    if ((best.cpu.othersCores ?? 0) <= gate.maxOthersCores) break;
  }
  return {
    ...best!,
    attempts: attempt,
    waitedSeconds: round(waited, 1),
    disturbed: (best!.cpu.othersCores ?? 0) > gate.maxOthersCores,
  };
}

/** How long and how often to repeat a measured operation. */
export interface RepeatOptions {
  /** Runs before measuring, excluded from every number. */
  readonly warmups: number;
  readonly minRuns: number;
  /** Keep running until this much wall time is measured (and minRuns reached). */
  readonly minSeconds: number;
  readonly maxRuns?: number;
}

/** A repeated operation's timings, CPU use and memory peaks (warm-ups excluded). */
export interface Measurement {
  runs: number;
  itemsPerRun: number;
  /** Items per second over all measured runs: total items / total run time. */
  itemsPerSecond: number;
  /** Items per second of the fastest run: the least disturbed by other processes. */
  bestItemsPerSecond: number;
  runMs: Summary;
  cpu: CpuReport;
  memory: MemoryPeak;
}

/**
 * Runs `operation` (which handles `itemsPerRun` items) `warmups` times unmeasured, then
 * repeatedly until both `minRuns` and `minSeconds` are reached; when the machine is quiet, and
 * again when other processes disturbed the measurement (see {@link quietly}).
 */
export async function repeat(
  itemsPerRun: number,
  operation: (run: number) => Promise<unknown>,
  options: RepeatOptions,
  memory: MemorySampler,
) {
  for (let run = 0; run < options.warmups; run += 1) await operation(-1 - run);
  return quietly(() => measureRuns(itemsPerRun, operation, options, memory));
}

async function measureRuns(
  itemsPerRun: number,
  operation: (run: number) => Promise<unknown>,
  options: RepeatOptions,
  memory: MemorySampler,
): Promise<Measurement> {
  memory.reset();
  const cpu = new CpuMeter();
  const durations: number[] = [];
  let total = 0;
  const maxRuns = options.maxRuns ?? Number.POSITIVE_INFINITY;
  while (
    durations.length < maxRuns &&
    (durations.length < options.minRuns || total < options.minSeconds * 1000)
  ) {
    const started = performance.now();
    await operation(durations.length);
    const elapsed = performance.now() - started;
    durations.push(elapsed);
    total += elapsed;
  }
  const fastest = Math.min(...durations);
  return {
    runs: durations.length,
    itemsPerRun,
    itemsPerSecond: round((itemsPerRun * durations.length * 1000) / total, 2),
    bestItemsPerSecond: round((itemsPerRun * 1000) / fastest, 2),
    runMs: summarize(durations, 1),
    cpu: cpu.stop(),
    memory: memory.peak(),
  };
}

/**
 * Maps `items` through `map` with at most `limit` calls in flight, results in item order
 * (the embedder's own helper, which a bench may not import from a service).
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** Splits `items` into consecutive slices of at most `size`. */
export function slices<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    result.push(items.slice(start, start + size));
  return result;
}
