import { Injectable } from '@nestjs/common';
import {
  LastAdminError,
  UsernameTakenError,
  UserNotFoundError,
  WeakPasswordError,
} from './auth.errors';
import type { Role, User } from './auth.types';
import { PasswordHasher } from './password.hasher';
import { PasswordPolicy } from './password.policy';
import { UsersRepository } from './users.repository';

/** What `ensureAdmin` found or did. 'not-admin': the name belongs to a user who stays a user. */
export type EnsureAdminOutcome = 'created' | 'exists' | 'not-admin';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
  ) {}

  /** @throws WeakPasswordError naming every unmet rule; UsernameTakenError */
  async signup(username: string, password: string, role: Role = 'user'): Promise<User> {
    const unmet = this.policy.check(password, username);
    if (unmet.length > 0) throw new WeakPasswordError(unmet);
    const created = await this.users.create({
      username,
      passwordHash: await this.hasher.hash(password),
      role,
    });
    if (created === 'taken') throw new UsernameTakenError();
    return created;
  }

  /** The user when the password matches; undefined alike for an unknown name and a wrong password. */
  async verifyCredentials(username: string, password: string): Promise<User | undefined> {
    const record = await this.users.findByUsername(username);
    const matches = await this.hasher.verify(record?.passwordHash, password);
    if (!record || !matches) return undefined;
    const { passwordHash: _, ...user } = record;
    return user;
  }

  /**
   * Creates the first admin at start-up; safe to run on every start and on several replicas.
   * An existing user of that name is left alone rather than promoted: whoever signed up with
   * the name first must not become admin because an operator later chose it.
   */
  async ensureAdmin(username: string, password: string): Promise<EnsureAdminOutcome> {
    const existing = await this.users.findByUsername(username);
    if (existing) return existing.role === 'admin' ? 'exists' : 'not-admin';
    try {
      await this.signup(username, password, 'admin');
      return 'created';
    } catch (error) {
      if (!(error instanceof UsernameTakenError)) throw error;
      // Another replica created it between our look-up and insert.
      const winner = await this.users.findByUsername(username);
      return winner?.role === 'admin' ? 'exists' : 'not-admin';
    }
  }

  /** @throws UserNotFoundError */
  async get(id: string): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw new UserNotFoundError();
    return user;
  }

  list(): Promise<User[]> {
    return this.users.list();
  }

  /** @throws UserNotFoundError; LastAdminError when no admin would remain */
  async setRole(id: string, role: Role): Promise<User> {
    const outcome = await this.users.updateRole(id, role);
    if (outcome === 'not-found') throw new UserNotFoundError();
    if (outcome === 'last-admin') throw new LastAdminError();
    return outcome;
  }

  /** The role stored now, which may differ from the one in an older token. */
  async currentRole(id: string): Promise<Role | undefined> {
    return (await this.users.findById(id))?.role;
  }
}
