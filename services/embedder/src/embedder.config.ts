import {
  archiveEnv,
  chromaEnv,
  clipEnv,
  commonEnv,
  env,
  type Environment,
  loadConfig,
  redisEnv,
  storageEnv,
  z,
} from '@imgsearch/config';

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
  /**
   * Images decoded and preprocessed in parallel while the encoder runs. Decoding runs on libuv's
   * thread pool (UV_THREADPOOL_SIZE, 4 by default), which caps the useful value.
   */
  DECODE_CONCURRENCY: env.positiveInt(4),
  /** Longest edge of the stored thumbnail, in pixels. */
  THUMBNAIL_SIZE: env.positiveInt(256),
  /** JPEG quality of the stored thumbnail, 1-100. */
  THUMBNAIL_QUALITY: z.coerce.number().int().min(1).max(100).default(80),
  /**
   * Uploaded ZIPs kept open per process, least recently used closed first. Opening one reads
   * its whole central directory, and a catalogue arrives as many chunks of the same archive.
   */
  ARCHIVE_CACHE_SIZE: env.positiveInt(4),
};

export type EmbedderConfig = ReturnType<typeof loadEmbedderConfig>;

export const EMBEDDER_CONFIG = Symbol('EMBEDDER_CONFIG');

/** Reads the embedder's variables from `environment` (the process's, unless given). */
export function loadEmbedderConfig(environment?: Environment) {
  return loadConfig(embedderEnv, environment);
}
