import { chromaEnv, clipEnv, commonEnv, env, loadConfig, z } from '@imgsearch/config';

const queryEnv = {
  ...commonEnv,
  ...chromaEnv,
  ...clipEnv,
  QUERY_PORT: env.port(4100),
  /** Largest `topK` a search may ask for. */
  SEARCH_MAX_TOP_K: env.positiveInt(100),
  /** Largest picture a search by image accepts, in bytes; a bigger upload is refused with 413. */
  IMAGE_MAX_BYTES: env.bytes(20 * 1024 * 1024),
  /**
   * Most queries encoded in one encoder run. Concurrent searches wait up to QUERY_BATCH_WAIT_MS
   * for company, so under load many requests share one run. Default 32.
   */
  QUERY_BATCH_SIZE: env.positiveInt(32),
  /** Longest a query waits for others to share its encoder run, in milliseconds. Default 5. */
  QUERY_BATCH_WAIT_MS: z.coerce.number().int().min(0).default(5),
};

export type QueryConfig = ReturnType<typeof loadQueryConfig>;

export const QUERY_CONFIG = Symbol('QUERY_CONFIG');

export function loadQueryConfig() {
  return loadConfig(queryEnv);
}
