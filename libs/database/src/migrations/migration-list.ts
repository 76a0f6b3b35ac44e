import { usersMigration } from './001-users.migration';
import { revokedTokensMigration } from './002-revoked-tokens.migration';
import { ingestJobsMigration } from './003-ingest-jobs.migration';
import type { DatabaseMigration } from './database-migration';

/**
 * Every migration, oldest first. To change the schema, add a file `NNN-name.migration.ts`
 * beside these and append its export here; never edit, reorder or remove a released one.
 */
export const databaseMigrations: readonly DatabaseMigration[] = [
  usersMigration,
  revokedTokensMigration,
  ingestJobsMigration,
];
