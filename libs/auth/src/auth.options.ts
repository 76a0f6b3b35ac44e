/** Injection token of the {@link AuthOptions} the application builds from its configuration. */
export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');
/** Injection token of the ioredis client that holds login attempt counters. */
export const AUTH_REDIS = Symbol('AUTH_REDIS');

export interface AuthOptions {
  /** HS256 key that signs and verifies access tokens; at least 32 characters. */
  jwtSecret: string;
  /** Lifetime of an access token, in seconds. */
  tokenTtlSeconds: number;
  loginLimits: LoginLimits;
}

/** Fixed-window limits on login attempts, successful or not. */
export interface LoginLimits {
  /** Attempts per username per window (e.g. 10); a successful login clears this count. */
  maxPerUsername: number;
  /** Attempts per client address per window (e.g. 50); never cleared early. */
  maxPerAddress: number;
  /** Window length in seconds (e.g. 900), counted from the first attempt. */
  windowSeconds: number;
  /** Prefix of the Redis keys, so deployments sharing a Redis keep separate counters. */
  keyPrefix: string;
}
