import type { DatabaseMigration } from './database-migration';

export const usersMigration: DatabaseMigration = {
  name: '001_users',
  async up(knex) {
    await knex.schema.createTable('users', (table) => {
      table.uuid('id').primary();
      // Stored lower-cased, so the unique index makes names unique case-insensitively.
      table.string('username', 64).notNullable().unique();
      table.check('username = lower(username)', [], 'users_username_lower_case');
      table.string('password_hash', 255).notNullable();
      table
        .string('role', 16)
        .notNullable()
        .defaultTo('user')
        .checkIn(['user', 'admin'], 'users_role_known');
      table.timestamp('created_at', { useTz: true }).notNullable();
    });
  },
  async down(knex) {
    await knex.schema.dropTable('users');
  },
};
