import { Injectable } from '@nestjs/common';
import { argon2id, hash, verify } from 'argon2';

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane (about 30 ms a hash). */
const ARGON2_OPTIONS = { type: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordHasher {
  private dummyHash?: Promise<string>;

  hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  /**
   * Checks a password against a stored hash. Without a hash (unknown user) it still spends the
   * time of a real check and answers false, so response times do not reveal which names exist.
   */
  async verify(storedHash: string | undefined, password: string): Promise<boolean> {
    if (storedHash !== undefined) return verify(storedHash, password);
    this.dummyHash ??= this.hash('no such user: the outcome is discarded');
    await verify(await this.dummyHash, password);
    return false;
  }
}
