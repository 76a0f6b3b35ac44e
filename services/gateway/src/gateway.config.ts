import { archiveEnv, commonEnv, env, loadConfig, redisEnv, storageEnv, z } from '@imgsearch/config';

const gatewayEnv = {
  ...commonEnv,
  ...redisEnv,
  ...storageEnv,
  ...archiveEnv,
  GATEWAY_PORT: env.port(4000),
  /** The query service's base URL; search requests are forwarded there. */
  QUERY_URL: env.url().default('http://127.0.0.1:4100'),
  /** Longest wait for the query service, in milliseconds, before a search answers 504. */
  QUERY_TIMEOUT_MS: env.positiveInt(30_000),
  /** Largest picture a search by image accepts, in bytes; a bigger upload is refused with 413. */
  IMAGE_MAX_BYTES: env.bytes(20 * 1024 * 1024),
  /** PostgreSQL connection string; when unset, users and jobs live in SQLite at SQLITE_PATH. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  SQLITE_PATH: z.string().default('.data/imgsearch.sqlite'),
  /** Signs access tokens; no default, since a guessable secret is worse than none. */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  JWT_EXPIRES_IN_SECONDS: env.positiveInt(3600),
  /** The first admin, created at start when no user of that name exists. */
  ADMIN_USERNAME: z.string().min(3).optional(),
  ADMIN_PASSWORD: z.string().min(8).optional(),
  /** Login attempts allowed per username in each LOGIN_WINDOW_SECONDS; a successful login clears the count. */
  LOGIN_MAX_ATTEMPTS_PER_USERNAME: env.positiveInt(10),
  /** Login attempts allowed per client address in each LOGIN_WINDOW_SECONDS, successful or not. */
  LOGIN_MAX_ATTEMPTS_PER_ADDRESS: env.positiveInt(50),
  /** Length of the fixed login rate-limit window, counted from the first attempt. */
  LOGIN_WINDOW_SECONDS: env.positiveInt(900),
  /** Largest catalogue CSV one upload may send; a bigger one is refused with 413. */
  UPLOAD_MAX_CSV_BYTES: env.bytes(512 * 1024 ** 2),
  /** Largest image ZIP one upload may send; a bigger one is refused with 413. */
  UPLOAD_MAX_ARCHIVE_BYTES: env.bytes(50 * 1024 ** 3),
  /** Rows per chunk job: the unit an embedder takes, retries and reports. */
  INGEST_CHUNK_SIZE: env.positiveInt(256),
  /** Most data rows one catalogue may have. */
  INGEST_MAX_ROWS: env.positiveInt(1_000_000),
  /** Longest CSV row, in bytes, before the whole CSV is refused (guards against a file with no line breaks). */
  INGEST_MAX_ROW_BYTES: env.bytes(1024 * 1024),
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

export function loadGatewayConfig() {
  return loadConfig(gatewayEnv);
}
