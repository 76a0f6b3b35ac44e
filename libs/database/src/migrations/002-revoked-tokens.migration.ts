import type { DatabaseMigration } from './database-migration';

/** Access tokens revoked by logout, kept until they would have expired anyway. */
export const revokedTokensMigration: DatabaseMigration = {
  name: '002_revoked_tokens',
  async up(knex) {
    await knex.schema.createTable('revoked_tokens', (table) => {
      table.string('jti', 64).primary();
      // Seconds since the epoch, like the token's own `exp` claim.
      table.bigInteger('expires_at').notNullable().index();
    });
  },
  async down(knex) {
    await knex.schema.dropTable('revoked_tokens');
  },
};
