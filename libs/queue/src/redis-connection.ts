import { Redis, RedisOptions } from 'ioredis';

/**
 * Workers block on Redis and must never give up on a command (`maxRetriesPerRequest: null`,
 * as BullMQ requires); producers answer HTTP requests, so they fail fast when Redis is away.
 */
export type RedisRole = 'worker' | 'producer';

export function redisOptions(role: RedisRole): RedisOptions {
  return role === 'worker'
    ? { maxRetriesPerRequest: null, enableReadyCheck: true }
    : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 5000 };
}

export function createRedis(url: string, role: RedisRole): Redis {
  return new Redis(url, { ...redisOptions(role), lazyConnect: false });
}

/** Readiness probe: resolves when Redis answers PING. */
export async function pingRedis(redis: Redis): Promise<void> {
  const answer = await redis.ping();
  if (answer !== 'PONG') throw new Error(`unexpected PING answer ${answer}`);
}
