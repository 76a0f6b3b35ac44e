export type LogLine = (line: string) => void;

export interface ProgressLogOptions {
  /** Least time between two lines for one file, so logs stay short in CI. Default 2 000 ms. */
  intervalMs?: number;
  /** Clock, replaceable in tests. Default Date.now. */
  now?: () => number;
}

/**
 * Turns per-chunk progress into at most one line every `intervalMs`, e.g.
 * `onnx/vision_model.onnx 120.4/351.5 MB (34%)`. Plain lines rather than a redrawn bar because
 * the output usually ends up in a log file.
 */
export function progressLog(
  label: string,
  log: LogLine,
  options: ProgressLogOptions = {},
): (bytes: number, total?: number) => void {
  const intervalMs = options.intervalMs ?? 2_000;
  const now = options.now ?? Date.now;
  let last = now();
  return (bytes, total) => {
    const time = now();
    if (time - last < intervalMs) return;
    last = time;
    log(`${label} ${formatProgress(bytes, total)}`);
  };
}

export function formatProgress(bytes: number, total?: number): string {
  if (total === undefined || total === 0) return formatBytes(bytes);
  const unit = unitFor(total);
  return `${scaled(bytes, unit)}/${scaled(total, unit)} ${unit.name} (${Math.floor((100 * bytes) / total)}%)`;
}

export function formatBytes(bytes: number): string {
  const unit = unitFor(bytes);
  return `${scaled(bytes, unit)} ${unit.name}`;
}

interface Unit {
  name: string;
  size: number;
}

const UNITS: Unit[] = [
  { name: 'GB', size: 1e9 },
  { name: 'MB', size: 1e6 },
  { name: 'kB', size: 1e3 },
];

function unitFor(bytes: number): Unit {
  return UNITS.find((unit) => bytes >= unit.size) ?? { name: 'B', size: 1 };
}

function scaled(bytes: number, unit: Unit): string {
  return unit.size === 1 ? String(bytes) : (bytes / unit.size).toFixed(1);
}
