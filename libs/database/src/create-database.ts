import type { Database as SqliteDatabase } from 'better-sqlite3';
import { knex, Knex } from 'knex';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface DatabaseOptions {
  /** PostgreSQL connection string (`postgres://...`); when set, SQLite is not used. */
  databaseUrl?: string;
  /** SQLite file used when `databaseUrl` is unset; its folder is created if missing. */
  sqlitePath: string;
}

/** Opens PostgreSQL when a URL is given, else the SQLite file; nothing is queried yet. */
export function createDatabase(options: DatabaseOptions): Knex {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openSqlite(options.sqlitePath);
}

/** Readiness probe: resolves when the database answers a trivial query. */
export async function pingDatabase(database: Knex): Promise<void> {
  await database.raw('select 1');
}

function openPostgres(url: string): Knex {
  return knex({ client: 'pg', connection: url, pool: { min: 0, max: 10 } });
}

function openSqlite(path: string): Knex {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  return knex({
    client: 'better-sqlite3',
    connection: { filename: path },
    useNullAsDefault: true,
    // One connection: SQLite has a single writer, and a second pooled connection only adds
    // SQLITE_BUSY errors inside transactions.
    pool: { min: 1, max: 1, afterCreate: configureSqlite },
  });
}

function configureSqlite(
  connection: SqliteDatabase,
  done: (error: Error | null, connection: SqliteDatabase) => void,
) {
  try {
    // WAL lets readers (another gateway process on the same file) proceed while one writes.
    connection.pragma('journal_mode = WAL');
    connection.pragma('foreign_keys = ON');
    connection.pragma('busy_timeout = 5000');
    done(null, connection);
  } catch (error) {
    done(error as Error, connection);
  }
}
