import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './machine';

/** Saves a bench's full report as bench/results/<name>.json (git-ignored) and says where. */
export function writeReport(name: string, report: unknown): void {
  const folder = join(repoRoot, 'bench/results');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nWrote ${file}`);
}
