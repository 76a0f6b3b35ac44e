import { mkdtempSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import {
  RunningServices,
  ServicesOptions,
  startService,
  startServices,
  stopAll,
} from '../../scripts/stack/services-process';

export const repoRoot = resolve(__dirname, '../..');
export const ADMIN = { username: 'admin', password: 'e2e-admin-password-1' };

export interface E2eStack extends RunningServices {
  dataDir: string;
  /** Starts one more embedder against the same queue, collection and data folder. */
  addEmbedder(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts gateway, query service and embedders against the run's shared Redis and Chroma.
 * Each call gets its own queue prefix, collection, database and data folder, so test files
 * never see each other's items or jobs.
 */
export async function startE2eStack(
  options: { embedders?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<E2eStack> {
  const workDir = process.env.E2E_WORK_DIR!;
  const name = `e2e-${randomUUID().slice(0, 8)}`;
  const dataDir = mkdtempSync(join(workDir, `${name}-`));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: 'info',
    REDIS_URL: process.env.E2E_REDIS_URL,
    CHROMA_URL: process.env.E2E_CHROMA_URL,
    QUEUE_PREFIX: name,
    CHROMA_COLLECTION: name,
    DATA_DIR: dataDir,
    SQLITE_PATH: join(dataDir, 'imgsearch.sqlite'),
    CLIP_MODEL_DIR: join(repoRoot, 'models/tiny-random-clip'),
    JWT_SECRET: randomUUID() + randomUUID(),
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    ...options.env,
  };
  const servicesOptions: ServicesOptions = {
    repoRoot,
    env,
    logDir: dataDir,
    embedders: options.embedders,
  };
  const services = await startServices(servicesOptions);
  const addEmbedder = async () => {
    await startService(
      servicesOptions,
      'embedder',
      services.processes.length,
      {},
      services.processes,
    );
  };
  return { ...services, dataDir, addEmbedder, stop: () => stopAll(services.processes) };
}
