import { chromaEnv, clipEnv, commonEnv, env, loadConfig } from '@imgsearch/config';

const queryEnv = {
  ...commonEnv,
  ...chromaEnv,
  ...clipEnv,
  QUERY_PORT: env.port(4100),
  /** Largest `topK` a search may ask for. */
  SEARCH_MAX_TOP_K: env.positiveInt(100),
};

export type QueryConfig = ReturnType<typeof loadQueryConfig>;

export const QUERY_CONFIG = Symbol('QUERY_CONFIG');

export function loadQueryConfig() {
  return loadConfig(queryEnv);
}
