import type { Knex } from 'knex';

/**
 * One schema change, written in code so it runs the same from TypeScript sources (tests) and
 * compiled JavaScript (production) with no file globbing. `name` is recorded in the
 * `knex_migrations` table: never rename or remove a migration once released.
 */
export interface DatabaseMigration {
  /** `NNN_snake_case`, numbered after the previous one. */
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}
