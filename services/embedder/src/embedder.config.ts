import { archiveEnv, chromaEnv, clipEnv, commonEnv, env, loadConfig, redisEnv, storageEnv } from '@imgsearch/config';

const embedderEnv = {
  ...commonEnv,
  ...redisEnv,
  ...chromaEnv,
  ...clipEnv,
  ...storageEnv,
  ...archiveEnv,
  EMBEDDER_PORT: env.port(4200),
  /** Images per vision-encoder run. */
  EMBED_BATCH_SIZE: env.positiveInt(32),
  /** Chunk jobs one embedder process works on at once. */
  EMBED_JOB_CONCURRENCY: env.positiveInt(1),
  /** Images decoded and preprocessed in parallel while the encoder runs. */
  DECODE_CONCURRENCY: env.positiveInt(4),
  /** Longest edge of the stored thumbnail, in pixels. */
  THUMBNAIL_SIZE: env.positiveInt(256),
};

export type EmbedderConfig = ReturnType<typeof loadEmbedderConfig>;

export const EMBEDDER_CONFIG = Symbol('EMBEDDER_CONFIG');

export function loadEmbedderConfig() {
  return loadConfig(embedderEnv);
}
