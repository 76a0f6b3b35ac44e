import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { resolve } from 'node:path';
import { configureQueryApp } from '../query.app';
import type { QueryConfig } from '../query.config';
import { QueryModule } from '../query.module';

export const REPO_ROOT = resolve(__dirname, '../../../..');
export const TINY_CLIP_DIR = resolve(REPO_ROOT, 'models/tiny-random-clip');

/** The query service's configuration with values suited to tests; Chroma's URL must be given. */
export function aQueryConfig(
  overrides: Partial<QueryConfig> & Pick<QueryConfig, 'CHROMA_URL'>,
): QueryConfig {
  return {
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    QUERY_PORT: 0,
    CHROMA_COLLECTION: 'query-test',
    CLIP_MODEL_DIR: TINY_CLIP_DIR,
    CLIP_EXECUTION_PROVIDERS: ['cpu'],
    CLIP_INTRA_OP_THREADS: 2,
    CLIP_INTER_OP_THREADS: 0,
    IMAGE_MAX_PIXELS: 100_000_000,
    SEARCH_MAX_TOP_K: 100,
    IMAGE_MAX_BYTES: 20 * 1024 * 1024,
    QUERY_BATCH_SIZE: 32,
    QUERY_BATCH_WAIT_MS: 5,
    ...overrides,
  };
}

/** QueryModule as main.ts runs it (validation pipe included), not listening: use supertest. */
export async function startQueryApp(config: QueryConfig): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [QueryModule.forRoot(config)],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  configureQueryApp(app);
  await app.init();
  return app;
}
