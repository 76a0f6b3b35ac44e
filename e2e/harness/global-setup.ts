import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startChroma } from '../../scripts/stack/chroma-process';
import { startRedis } from '../../scripts/stack/redis-process';
import { stackState } from './stack-state';

/** Starts one private Redis and one private Chroma for the whole e2e run, on free ports. */
export default async function globalSetup(): Promise<void> {
  const repoRoot = resolve(__dirname, '../..');
  const workDir = mkdtempSync(join(tmpdir(), 'imgsearch-e2e-'));
  const redis = await startRedis(join(workDir, 'redis'), join(workDir, 'redis.log'));
  const chroma = await startChroma(repoRoot, join(workDir, 'chroma'), join(workDir, 'chroma.log'));
  stackState.processes = [redis.process, chroma.process];
  process.env.E2E_WORK_DIR = workDir;
  process.env.E2E_REDIS_URL = redis.url;
  process.env.E2E_CHROMA_URL = chroma.url;
}
