import type { Knex } from 'knex';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, pingDatabase } from './create-database';
import { isUniqueViolation } from './database-errors';
import { migrateLatest } from './migrate';
import { databaseMigrations } from './migrations/migration-list';

describe(createDatabase.name, () => {
  let folder: string;
  const opened: Knex[] = [];
  const openSqlite = (path = join(folder, 'nested', 'db.sqlite')) => {
    const database = createDatabase({ sqlitePath: path });
    opened.push(database);
    return database;
  };

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'database-spec-'));
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((database) => database.destroy()));
    rmSync(folder, { recursive: true, force: true });
  });

  it('creates the SQLite folder and turns on WAL and foreign keys', async () => {
    const database = openSqlite();
    const [journal] = await database.raw('pragma journal_mode');
    const [foreignKeys] = await database.raw('pragma foreign_keys');
    expect(existsSync(join(folder, 'nested', 'db.sqlite'))).toBe(true);
    expect(journal).toEqual({ journal_mode: 'wal' });
    expect(foreignKeys).toEqual({ foreign_keys: 1 });
  });

  it('answers the readiness ping, and fails it once closed', async () => {
    const database = openSqlite();
    await expect(pingDatabase(database)).resolves.toBeUndefined();
    await database.destroy();
    await expect(pingDatabase(database)).rejects.toThrow();
  });

  describe(migrateLatest.name, () => {
    it('applies every migration once, in order', async () => {
      const database = openSqlite();
      await expect(migrateLatest(database)).resolves.toEqual([
        '001_users',
        '002_revoked_tokens',
        '003_ingest_jobs',
      ]);
      await expect(migrateLatest(database)).resolves.toEqual([]);
      await expect(database.schema.hasTable('users')).resolves.toBe(true);
      await expect(database.schema.hasTable('revoked_tokens')).resolves.toBe(true);
    });

    it('lets two processes migrate the same file at once', async () => {
      const path = join(folder, 'shared.sqlite');
      const results = await Promise.all([
        migrateLatest(openSqlite(path)),
        migrateLatest(openSqlite(path)),
      ]);
      expect(results.flat().sort()).toEqual(['001_users', '002_revoked_tokens', '003_ingest_jobs']);
    });

    it('refuses a username that is not lower-case', async () => {
      const database = openSqlite();
      await migrateLatest(database);
      const insert = database('users').insert({
        id: '00000000-0000-4000-8000-000000000001',
        username: 'Alice',
        password_hash: 'x',
        role: 'user',
        created_at: new Date(),
      });
      // Not toThrow: better-sqlite3's error class belongs to whichever test file loaded the addon first.
      await expect(insert).rejects.toMatchObject({
        message: expect.stringContaining('CHECK constraint failed'),
      });
    });
  });

  describe(isUniqueViolation.name, () => {
    it('recognises a duplicate primary key', async () => {
      const database = openSqlite();
      await migrateLatest(database);
      await database('revoked_tokens').insert({ jti: 'a', expires_at: 1 });
      const error = await database('revoked_tokens')
        .insert({ jti: 'a', expires_at: 1 })
        .catch((caught: unknown) => caught);
      expect(isUniqueViolation(error)).toBe(true);
      expect(isUniqueViolation(new Error('other'))).toBe(false);
    });
  });
});

describe('databaseMigrations', () => {
  it('lists uniquely named migrations in ascending order', () => {
    const names = databaseMigrations.map((migration) => migration.name);
    expect(names.every((name) => /^\d{3}_[a-z0-9_]+$/.test(name))).toBe(true);
    expect([...new Set(names)].sort()).toEqual(names);
  });
});
