import {
  LastAdminError,
  UsernameTakenError,
  UserNotFoundError,
  WeakPasswordError,
} from './auth.errors';
import type { Role, User } from './auth.types';
import type { PasswordHasher } from './password.hasher';
import { PasswordPolicy } from './password.policy';
import type { NewUser, UserRecord, UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/** Keeps users in memory, with the repository's rules: lower-case names, at least one admin. */
class InMemoryUsers {
  readonly records: UserRecord[] = [];

  async create(user: NewUser): Promise<User | 'taken'> {
    const username = user.username.toLowerCase();
    if (this.records.some((record) => record.username === username)) return 'taken';
    const record = {
      ...user,
      username,
      id: `id-${this.records.length + 1}`,
      createdAt: new Date(),
    };
    this.records.push(record);
    return withoutHash(record);
  }

  async findByUsername(username: string) {
    return this.records.find((record) => record.username === username.toLowerCase());
  }

  async findById(id: string) {
    const record = this.records.find((candidate) => candidate.id === id);
    return record && withoutHash(record);
  }

  async list() {
    return this.records.map(withoutHash);
  }

  async updateRole(id: string, role: Role) {
    const record = this.records.find((candidate) => candidate.id === id);
    if (!record) return 'not-found';
    const admins = this.records.filter((candidate) => candidate.role === 'admin').length;
    if (record.role === 'admin' && role !== 'admin' && admins <= 1) return 'last-admin';
    record.role = role;
    return withoutHash(record);
  }
}

/** Hashes by prefixing, and records which hashes it was asked to check. */
class RecordingHasher {
  readonly verified: (string | undefined)[] = [];

  async hash(password: string) {
    return `hashed:${password}`;
  }

  async verify(storedHash: string | undefined, password: string) {
    this.verified.push(storedHash);
    return storedHash === `hashed:${password}`;
  }
}

function withoutHash({ passwordHash: _, ...user }: UserRecord): User {
  return user;
}

describe(UsersService.name, () => {
  const PASSWORD = 'a fine password';
  let users: InMemoryUsers;
  let hasher: RecordingHasher;
  let service: UsersService;

  beforeEach(() => {
    users = new InMemoryUsers();
    hasher = new RecordingHasher();
    service = new UsersService(
      users as unknown as UsersRepository,
      hasher as unknown as PasswordHasher,
      new PasswordPolicy(),
    );
  });

  describe('signup', () => {
    it('stores a hash of the password, never the password', async () => {
      const user = await service.signup('Alice', PASSWORD);
      expect(user).toEqual({
        id: 'id-1',
        username: 'alice',
        role: 'user',
        createdAt: expect.any(Date),
      });
      expect(users.records[0].passwordHash).toBe(`hashed:${PASSWORD}`);
    });

    it('refuses a weak password, naming the rules it breaks', async () => {
      await expect(service.signup('alice', 'alice')).rejects.toEqual(
        new WeakPasswordError([
          'password must be at least 8 characters long',
          'password must not be the same as the username',
        ]),
      );
      expect(users.records).toEqual([]);
    });

    it('refuses a taken name', async () => {
      await service.signup('alice', PASSWORD);
      await expect(service.signup('ALICE', PASSWORD)).rejects.toBeInstanceOf(UsernameTakenError);
    });
  });

  describe('verifyCredentials', () => {
    it('returns the user for the right password', async () => {
      await service.signup('alice', PASSWORD);
      await expect(service.verifyCredentials('Alice', PASSWORD)).resolves.toEqual(
        expect.objectContaining({ username: 'alice', role: 'user' }),
      );
    });

    it('answers an unknown name like a wrong password, after checking a hash either way', async () => {
      await service.signup('alice', PASSWORD);
      await expect(service.verifyCredentials('alice', 'wrong password')).resolves.toBeUndefined();
      await expect(service.verifyCredentials('nobody', PASSWORD)).resolves.toBeUndefined();
      expect(hasher.verified).toEqual([`hashed:${PASSWORD}`, undefined]);
    });
  });

  describe('ensureAdmin', () => {
    it('creates the admin once, then finds it', async () => {
      await expect(service.ensureAdmin('Root', PASSWORD)).resolves.toBe('created');
      await expect(service.ensureAdmin('root', PASSWORD)).resolves.toBe('exists');
      expect(await users.list()).toEqual([
        expect.objectContaining({ username: 'root', role: 'admin' }),
      ]);
    });

    it('leaves an ordinary user of that name as they are', async () => {
      await service.signup('root', 'squatter password');
      await expect(service.ensureAdmin('root', PASSWORD)).resolves.toBe('not-admin');
      expect(users.records[0]).toEqual(
        expect.objectContaining({ role: 'user', passwordHash: 'hashed:squatter password' }),
      );
    });

    it('refuses a weak admin password', async () => {
      await expect(service.ensureAdmin('root', 'rrrrrrrr')).rejects.toBeInstanceOf(
        WeakPasswordError,
      );
    });
  });

  describe('setRole', () => {
    it('changes the role', async () => {
      await service.ensureAdmin('root', PASSWORD);
      const alice = await service.signup('alice', PASSWORD);
      await expect(service.setRole(alice.id, 'admin')).resolves.toEqual(
        expect.objectContaining({ role: 'admin' }),
      );
      await expect(service.currentRole(alice.id)).resolves.toBe('admin');
    });

    it('refuses an unknown id and the demotion of the last admin', async () => {
      await service.ensureAdmin('root', PASSWORD);
      const root = await users.findByUsername('root');
      await expect(service.setRole('missing', 'admin')).rejects.toBeInstanceOf(UserNotFoundError);
      await expect(service.setRole(root!.id, 'user')).rejects.toBeInstanceOf(LastAdminError);
    });
  });
});
