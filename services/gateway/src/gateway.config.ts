import { commonEnv, env, loadConfig, redisEnv, storageEnv, z } from '@imgsearch/config';

const gatewayEnv = {
  ...commonEnv,
  ...redisEnv,
  ...storageEnv,
  GATEWAY_PORT: env.port(4000),
  /** The query service's base URL; search requests are forwarded there. */
  QUERY_URL: env.url().default('http://127.0.0.1:4100'),
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
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

export function loadGatewayConfig() {
  return loadConfig(gatewayEnv);
}
