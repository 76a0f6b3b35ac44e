/** The gateway's Redis client (rate limits, progress, queue producers); fails fast when Redis is away. */
export const GATEWAY_REDIS = Symbol('GATEWAY_REDIS');
