import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, isUniqueViolation } from '@imgsearch/database';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import type { Role, User } from './auth.types';

export interface UserRecord extends User {
  passwordHash: string;
}

export interface NewUser {
  username: string;
  passwordHash: string;
  role: Role;
}

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: Role;
  /** A Date from PostgreSQL, milliseconds since the epoch from SQLite. */
  created_at: Date | number | string;
}

/** Users in the `users` table. Names are lower-cased here, so no caller can forget to. */
@Injectable()
export class UsersRepository {
  constructor(@Inject(DATABASE) private readonly database: Knex) {}

  /** Inserts the user, or answers 'taken' when the name exists already in any case. */
  async create(user: NewUser): Promise<User | 'taken'> {
    const row: UserRow = {
      id: randomUUID(),
      username: user.username.toLowerCase(),
      password_hash: user.passwordHash,
      role: user.role,
      created_at: new Date(),
    };
    try {
      await this.database('users').insert(row);
      return toUser(row);
    } catch (error) {
      if (isUniqueViolation(error)) return 'taken';
      throw error;
    }
  }

  async findByUsername(username: string): Promise<UserRecord | undefined> {
    const row = await this.database<UserRow>('users')
      .where({ username: username.toLowerCase() })
      .first();
    return row && { ...toUser(row), passwordHash: row.password_hash };
  }

  async findById(id: string): Promise<User | undefined> {
    const row = await this.database<UserRow>('users').where({ id }).first();
    return row && toUser(row);
  }

  /** Oldest first. */
  async list(): Promise<User[]> {
    const rows = await this.database<UserRow>('users').orderBy([
      { column: 'created_at' },
      { column: 'username' },
    ]);
    return rows.map(toUser);
  }

  /**
   * Changes a user's role, unless that would leave no admin. PostgreSQL locks the admin rows
   * so two admins demoting each other at once cannot both succeed; SQLite runs one writer anyway.
   */
  async updateRole(id: string, role: Role): Promise<User | 'not-found' | 'last-admin'> {
    return this.database.transaction(async (transaction) => {
      const row = await transaction<UserRow>('users').where({ id }).first();
      if (!row) return 'not-found';
      if (row.role === 'admin' && role !== 'admin' && (await this.lockAdmins(transaction)) <= 1) {
        return 'last-admin';
      }
      await transaction('users').where({ id }).update({ role });
      return toUser({ ...row, role });
    });
  }

  private async lockAdmins(transaction: Knex.Transaction): Promise<number> {
    const query = transaction('users').where({ role: 'admin' }).select('id');
    const admins =
      transaction.client.config.client === 'pg' ? await query.forUpdate() : await query;
    return admins.length;
  }
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    createdAt: new Date(row.created_at),
  };
}
