import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@imgsearch/database';
import type { Knex } from 'knex';

/** Revoked token ids in the `revoked_tokens` table, which every gateway replica reads. */
@Injectable()
export class RevokedTokensRepository {
  constructor(@Inject(DATABASE) private readonly database: Knex) {}

  /** Records the revocation; revoking the same token twice is not an error. */
  async add(jti: string, expiresAt: number): Promise<void> {
    await this.database('revoked_tokens')
      .insert({ jti, expires_at: expiresAt })
      .onConflict('jti')
      .ignore();
  }

  /** The token's expiry (seconds since the epoch) when it is revoked, else undefined. */
  async find(jti: string): Promise<number | undefined> {
    const row = await this.database('revoked_tokens').where({ jti }).first('expires_at');
    return row ? Number(row.expires_at) : undefined;
  }

  /** Forgets tokens that expired before `now` (seconds): their signature check fails anyway. */
  async purgeExpired(now: number): Promise<number> {
    return this.database('revoked_tokens').where('expires_at', '<', now).delete();
  }
}
