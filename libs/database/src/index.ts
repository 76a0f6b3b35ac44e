export { createDatabase, pingDatabase, type DatabaseOptions } from './create-database';
export { isUniqueViolation } from './database-errors';
export { DATABASE, DatabaseModule, type DatabaseModuleOptions } from './database.module';
export { migrateLatest } from './migrate';
export type { DatabaseMigration } from './migrations/database-migration';
export { databaseMigrations } from './migrations/migration-list';
