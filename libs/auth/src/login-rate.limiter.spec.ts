import { createRedis } from '@imgsearch/queue';
import type { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisInstance, startRedis } from '../../../scripts/stack/redis-process';
import type { AuthOptions, LoginLimits } from './auth.options';
import { LoginRateLimiter } from './login-rate.limiter';

describe(LoginRateLimiter.name, () => {
  let folder: string;
  let server: RedisInstance;
  let redis: Redis;
  let suite = 0;

  /** Each limiter gets its own key prefix, so tests never share counters. */
  const aLimiter = (limits: Partial<LoginLimits> = {}) => {
    const loginLimits = {
      maxPerUsername: 3,
      maxPerAddress: 5,
      windowSeconds: 60,
      keyPrefix: `limiter-test-${++suite}`,
      ...limits,
    };
    return new LoginRateLimiter(redis, { loginLimits } as AuthOptions);
  };
  const attempts = async (
    limiter: LoginRateLimiter,
    count: number,
    username: string,
    address: string,
  ) => {
    const verdicts = [];
    for (let i = 0; i < count; i++) verdicts.push(await limiter.consume(username, address));
    return verdicts;
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'limiter-redis-'));
    server = await startRedis(folder);
    redis = createRedis(server.url, 'producer');
    await new Promise((resolve) => redis.once('ready', resolve));
  });

  afterAll(async () => {
    redis?.disconnect();
    await server?.process.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('allows attempts up to the per-username limit, then says how long to wait', async () => {
    const limiter = aLimiter();
    const verdicts = await attempts(limiter, 4, 'alice', '10.0.0.1');
    expect(verdicts.slice(0, 3)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(verdicts[3]).toEqual({ allowed: false, retryAfterSeconds: 60 });
  });

  it('counts a username in any case as one', async () => {
    const limiter = aLimiter();
    await attempts(limiter, 3, 'Alice', '10.0.0.1');
    await expect(limiter.consume('ALICE', '10.0.0.2')).resolves.toEqual({
      allowed: false,
      retryAfterSeconds: 60,
    });
  });

  it('limits one address trying many usernames', async () => {
    const limiter = aLimiter();
    for (const username of ['a', 'b', 'c', 'd', 'e']) await limiter.consume(username, '10.0.0.9');
    await expect(limiter.consume('f', '10.0.0.9')).resolves.toEqual({
      allowed: false,
      retryAfterSeconds: 60,
    });
    await expect(limiter.consume('f', '10.0.0.10')).resolves.toEqual({ allowed: true });
  });

  it('forgets a username after a success, but not the address', async () => {
    const limiter = aLimiter({ maxPerAddress: 4 });
    await attempts(limiter, 3, 'alice', '10.0.0.1');
    await limiter.forgetUsername('ALICE');
    await expect(limiter.consume('alice', '10.0.0.1')).resolves.toEqual({ allowed: true });
    await expect(limiter.consume('alice', '10.0.0.1')).resolves.toEqual({
      allowed: false,
      retryAfterSeconds: 60,
    });
  });

  it('starts afresh when the window ends, without extending it on later attempts', async () => {
    const limiter = aLimiter({ maxPerUsername: 1, windowSeconds: 1 });
    await limiter.consume('alice', '10.0.0.1');
    await new Promise((resolve) => setTimeout(resolve, 600));
    await expect(limiter.consume('alice', '10.0.0.1')).resolves.toEqual({
      allowed: false,
      retryAfterSeconds: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    await expect(limiter.consume('alice', '10.0.0.1')).resolves.toEqual({ allowed: true });
  });

  it('refuses limits that are not positive integers', () => {
    expect(() => aLimiter({ windowSeconds: 0 })).toThrow(
      'loginLimits.windowSeconds must be a positive integer, got 0',
    );
  });
});
