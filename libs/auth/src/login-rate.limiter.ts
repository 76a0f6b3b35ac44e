import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AUTH_OPTIONS, AUTH_REDIS, AuthOptions, LoginLimits } from './auth.options';

export type LoginVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Counter {
  key: string;
  limit: number;
}

/**
 * Fixed-window login attempt counters in Redis, one per username and one per client address,
 * shared by every gateway replica. Each attempt counts, whatever its outcome.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly limits: LoginLimits;

  constructor(
    @Inject(AUTH_REDIS) private readonly redis: Redis,
    @Inject(AUTH_OPTIONS) options: AuthOptions,
  ) {
    this.limits = options.loginLimits;
    for (const name of ['maxPerUsername', 'maxPerAddress', 'windowSeconds'] as const) {
      const value = this.limits[name];
      if (!Number.isInteger(value) || value < 1) {
        throw new Error(
          `LoginRateLimiter: loginLimits.${name} must be a positive integer, got ${value}`,
        );
      }
    }
  }

  /** Counts one attempt; refuses it when the username or the address is over its limit. */
  async consume(username: string, address: string): Promise<LoginVerdict> {
    const counters: Counter[] = [
      { key: this.usernameKey(username), limit: this.limits.maxPerUsername },
      { key: this.key('address', address), limit: this.limits.maxPerAddress },
    ];
    const windowMs = this.limits.windowSeconds * 1000;
    const transaction = this.redis.multi();
    // PEXPIRE NX starts the window at the first attempt and never extends it (Redis 7+).
    for (const { key } of counters) transaction.incr(key).pexpire(key, windowMs, 'NX').pttl(key);
    const replies = await execOrThrow(transaction);
    const waitsMs = counters
      .map(({ limit }, index) => ({
        count: replies[index * 3] as number,
        ttl: replies[index * 3 + 2] as number,
        limit,
      }))
      .filter(({ count, limit }) => count > limit)
      .map(({ ttl }) => (ttl > 0 ? ttl : windowMs));
    if (waitsMs.length === 0) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.ceil(Math.max(...waitsMs) / 1000) };
  }

  /** Clears the username's count after a successful login; the address count stays. */
  async forgetUsername(username: string): Promise<void> {
    await this.redis.del(this.usernameKey(username));
  }

  private usernameKey(username: string): string {
    return this.key('username', username.toLowerCase());
  }

  private key(kind: string, value: string): string {
    return `${this.limits.keyPrefix}:login-attempts:${kind}:${value}`;
  }
}

async function execOrThrow(transaction: ReturnType<Redis['multi']>): Promise<unknown[]> {
  const results = (await transaction.exec()) ?? [];
  return results.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}
