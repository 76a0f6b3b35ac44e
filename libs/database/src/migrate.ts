import type { Knex } from 'knex';
import type { DatabaseMigration } from './migrations/database-migration';
import { databaseMigrations } from './migrations/migration-list';

const RACE_ATTEMPTS = 30;
const RACE_RETRY_MS = 500;
/** Arbitrary, fixed: every replica must ask for the same PostgreSQL advisory lock. */
const MIGRATION_LOCK_KEY = 4_207_311_001;

/** Feeds knex the in-code migration list instead of a folder of files. */
class ListMigrationSource implements Knex.MigrationSource<DatabaseMigration> {
  constructor(private readonly migrations: readonly DatabaseMigration[]) {}

  async getMigrations(): Promise<DatabaseMigration[]> {
    return [...this.migrations];
  }

  getMigrationName(migration: DatabaseMigration): string {
    return migration.name;
  }

  async getMigration(migration: DatabaseMigration): Promise<Knex.Migration> {
    return { up: migration.up, down: migration.down };
  }
}

/**
 * Applies the pending migrations and returns their names. Several replicas may start at once:
 * on PostgreSQL they queue on an advisory lock; on SQLite the loser of a race retries, then
 * finds nothing left to do.
 */
export async function migrateLatest(
  database: Knex,
  migrations: readonly DatabaseMigration[] = databaseMigrations,
): Promise<string[]> {
  const migrationSource = new ListMigrationSource(migrations);
  const latest = async () => {
    const [, applied] = (await database.migrate.latest({ migrationSource })) as [number, string[]];
    return applied;
  };
  return isPostgres(database) ? withAdvisoryLock(database, latest) : withRetries(latest);
}

function isPostgres(database: Knex): boolean {
  return database.client.config.client === 'pg';
}

/** Holds a transaction-scoped lock on one pooled connection while the migration uses others. */
function withAdvisoryLock<T>(database: Knex, work: () => Promise<T>): Promise<T> {
  return database.transaction(async (transaction) => {
    await transaction.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
    return work();
  });
}

async function withRetries<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isSqliteRace(error) || attempt >= RACE_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, RACE_RETRY_MS));
    }
  }
}

/** Another process holds the lock, or created knex's bookkeeping tables between check and create. */
function isSqliteRace(error: unknown): boolean {
  const { name, code, message } = (error ?? {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
  };
  if (name === 'MigrationLocked') return true;
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return true;
  return typeof message === 'string' && /table `knex_migrations\w*` already exists/.test(message);
}
