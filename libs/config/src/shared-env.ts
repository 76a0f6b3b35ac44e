import { z } from 'zod';
import { env } from './env-types';

/**
 * Variables shared by several services, grouped so each service's schema can spread the
 * groups it needs. Each key is the environment variable's name.
 */
export const commonEnv = {
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: env.logLevel(),
};

export const redisEnv = {
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'),
  /** Prefix of every BullMQ key, so several deployments can share one Redis. */
  QUEUE_PREFIX: z.string().default('imgsearch'),
};

export const chromaEnv = {
  CHROMA_URL: env.url(),
  /** Collection that holds the catalogue's vectors. */
  CHROMA_COLLECTION: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{1,61}[a-zA-Z0-9]$/)
    .default('images'),
};

export const clipEnv = {
  CLIP_MODEL_DIR: z.string().min(1),
  /** Comma-separated ONNX Runtime execution providers, tried in order: `cpu`, `cuda`. */
  CLIP_EXECUTION_PROVIDERS: env.list('cpu').pipe(z.array(z.enum(['cpu', 'cuda'])).min(1)),
  CLIP_INTRA_OP_THREADS: z.coerce.number().int().min(0).default(0),
  CLIP_INTER_OP_THREADS: z.coerce.number().int().min(0).default(0),
  /** Largest picture accepted, in pixels (width x height), before decoding is refused. */
  IMAGE_MAX_PIXELS: env.positiveInt(100_000_000),
};

export const storageEnv = {
  /** Folder holding uploads, originals and thumbnails. */
  DATA_DIR: z.string().default('.data'),
};

/** Limits that keep a hostile archive from exhausting memory or disk. */
export const archiveEnv = {
  ZIP_MAX_ENTRIES: env.positiveInt(2_000_000),
  ZIP_MAX_ENTRY_BYTES: env.bytes(50 * 1024 * 1024),
  ZIP_MAX_TOTAL_BYTES: env.bytes(50 * 1024 ** 3),
  ZIP_MAX_COMPRESSION_RATIO: env.positiveInt(200),
};
