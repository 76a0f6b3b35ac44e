import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { AUTH_OPTIONS, AuthOptions } from './auth.options';
import type { AccessToken, User } from './auth.types';
import { RevokedTokensRepository } from './revoked-tokens.repository';

/** How long a "revoked" answer is trusted without asking the database again. */
const REVOKED_CACHE_MS = 60_000;
const REVOKED_CACHE_MAX_ENTRIES = 10_000;
const PURGE_INTERVAL_MS = 10 * 60_000;

/** Claims of an access token: `sub` is the user id; `exp` is added when signing. */
export interface TokenClaims {
  sub: string;
  username: string;
  role: User['role'];
  jti: string;
}

@Injectable()
export class TokenService {
  private readonly logger = new Logger(TokenService.name);
  /** jti -> epoch ms until which the revocation is trusted. Never holds "not revoked". */
  private readonly revokedCache = new Map<string, number>();
  private nextPurgeAt = 0;

  constructor(
    private readonly jwt: JwtService,
    private readonly revoked: RevokedTokensRepository,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
  ) {}

  async issue(user: Pick<User, 'id' | 'username' | 'role'>): Promise<AccessToken> {
    const claims: TokenClaims = {
      sub: user.id,
      username: user.username,
      role: user.role,
      jti: randomUUID(),
    };
    const accessToken = await this.jwt.signAsync(claims, {
      secret: this.options.jwtSecret,
      algorithm: 'HS256',
      expiresIn: this.options.tokenTtlSeconds,
    });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.options.tokenTtlSeconds };
  }

  /** Revokes a token for every replica until `exp` (seconds since the epoch). */
  async revoke(jti: string, exp: number): Promise<void> {
    await this.revoked.add(jti, exp);
    this.remember(jti, exp);
    await this.purgeNowAndThen();
  }

  /**
   * Asks the shared table unless this process saw the revocation recently. A "not revoked"
   * answer is never cached: another replica may revoke the token the next moment.
   */
  async isRevoked(jti: string): Promise<boolean> {
    const trustedUntil = this.revokedCache.get(jti);
    if (trustedUntil !== undefined && trustedUntil > Date.now()) return true;
    this.revokedCache.delete(jti);
    const exp = await this.revoked.find(jti);
    if (exp === undefined) return false;
    this.remember(jti, exp);
    return true;
  }

  private remember(jti: string, exp: number): void {
    if (this.revokedCache.size >= REVOKED_CACHE_MAX_ENTRIES) {
      this.revokedCache.delete(this.revokedCache.keys().next().value!);
    }
    this.revokedCache.set(jti, Math.min(Date.now() + REVOKED_CACHE_MS, exp * 1000));
  }

  /** Expired rows are useless; deleting them on some logouts keeps the table small without a job. */
  private async purgeNowAndThen(): Promise<void> {
    if (Date.now() < this.nextPurgeAt) return;
    this.nextPurgeAt = Date.now() + PURGE_INTERVAL_MS;
    try {
      await this.revoked.purgeExpired(Math.floor(Date.now() / 1000));
    } catch (error) {
      this.logger.warn(`could not purge expired revoked tokens: ${(error as Error).message}`);
    }
  }
}
