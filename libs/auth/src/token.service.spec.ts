import { Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AuthOptions } from './auth.options';
import type { RevokedTokensRepository } from './revoked-tokens.repository';
import { TokenService } from './token.service';

/** The shared revocation table, counting how often it is asked. */
class RevokedTokensDouble {
  readonly rows = new Map<string, number>();
  finds = 0;
  purges: number[] = [];

  async add(jti: string, expiresAt: number) {
    this.rows.set(jti, expiresAt);
  }

  async find(jti: string) {
    this.finds++;
    return this.rows.get(jti);
  }

  async purgeExpired(now: number) {
    this.purges.push(now);
    return 0;
  }
}

function someAuthOptions(overrides: Partial<AuthOptions> = {}): AuthOptions {
  return {
    jwtSecret: 'a test secret of at least thirty-two characters',
    tokenTtlSeconds: 900,
    loginLimits: { maxPerUsername: 10, maxPerAddress: 50, windowSeconds: 900, keyPrefix: 'test' },
    ...overrides,
  };
}

describe(TokenService.name, () => {
  const NOW = new Date('2030-01-01T00:00:00Z').getTime();
  const inAnHour = NOW / 1000 + 3600;
  let table: RevokedTokensDouble;
  let replicaA: TokenService;
  let replicaB: TokenService;

  const aReplica = () =>
    new TokenService(
      new JwtService(),
      table as unknown as RevokedTokensRepository,
      someAuthOptions(),
    );

  beforeEach(() => {
    // Only the clock: jsonwebtoken's async signing needs real ticks.
    jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    table = new RevokedTokensDouble();
    replicaA = aReplica();
    replicaB = aReplica();
  });

  afterEach(() => jest.useRealTimers());

  describe('issue', () => {
    it('signs the user, a fresh token id and the configured lifetime', async () => {
      const user = { id: 'user-1', username: 'alice', role: 'admin' as const };
      const first = await replicaA.issue(user);
      const second = await replicaA.issue(user);
      const claims = new JwtService().verify(first.accessToken, {
        secret: someAuthOptions().jwtSecret,
      });
      expect(first).toEqual({
        accessToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
      });
      expect(claims).toEqual({
        sub: 'user-1',
        username: 'alice',
        role: 'admin',
        jti: expect.any(String),
        iat: NOW / 1000,
        exp: NOW / 1000 + 900,
      });
      expect(new JwtService().decode(second.accessToken).jti).not.toBe(claims.jti);
    });
  });

  describe('isRevoked', () => {
    it('sees a revocation made by another replica', async () => {
      await expect(replicaB.isRevoked('t1')).resolves.toBe(false);
      await replicaA.revoke('t1', inAnHour);
      await expect(replicaB.isRevoked('t1')).resolves.toBe(true);
    });

    it('never caches "not revoked"', async () => {
      await replicaA.isRevoked('t1');
      await replicaA.isRevoked('t1');
      expect(table.finds).toBe(2);
    });

    it('caches "revoked" for a minute at most, then asks the table again', async () => {
      await replicaA.revoke('t1', inAnHour);
      await expect(replicaA.isRevoked('t1')).resolves.toBe(true);
      await expect(replicaB.isRevoked('t1')).resolves.toBe(true);
      await expect(replicaB.isRevoked('t1')).resolves.toBe(true);
      expect(table.finds).toBe(1);
      jest.setSystemTime(NOW + 61_000);
      await expect(replicaA.isRevoked('t1')).resolves.toBe(true);
      expect(table.finds).toBe(2);
    });
  });

  describe('revoke', () => {
    it('purges expired rows at most every ten minutes', async () => {
      await replicaA.revoke('t1', inAnHour);
      await replicaA.revoke('t2', inAnHour);
      jest.setSystemTime(NOW + 10 * 60_000);
      await replicaA.revoke('t3', inAnHour);
      expect(table.purges).toEqual([NOW / 1000, NOW / 1000 + 600]);
    });

    it('still revokes when the purge fails, with a warning', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      table.purgeExpired = async () => Promise.reject(new Error('database away'));
      await expect(replicaA.revoke('t1', inAnHour)).resolves.toBeUndefined();
      await expect(replicaB.isRevoked('t1')).resolves.toBe(true);
      expect(warn).toHaveBeenCalledWith('could not purge expired revoked tokens: database away');
      warn.mockRestore();
    });
  });
});
