import type { DatabaseMigration } from './database-migration';

/**
 * One row per catalogue upload. While a job runs its state is derived from the queue and the
 * progress counters in Redis, never stored; once it has ended, the gateway writes the final
 * state and counts here, so the record outlives the queue's and Redis's retention.
 */
export const ingestJobsMigration: DatabaseMigration = {
  name: '003_ingest_jobs',
  async up(knex) {
    await knex.schema.createTable('ingest_jobs', (table) => {
      table.uuid('id').primary();
      // No foreign key to users: a job's record stays when its uploader's account goes.
      table.uuid('created_by').notNullable();
      table.timestamp('created_at', { useTz: true }).notNullable().index();
      table.string('csv_name', 255).notNullable();
      table.string('archive_name', 255).notNullable();
      // The mapping as applied, defaults filled in (JSON).
      table.text('mapping').notNullable();
      // Every data row of the CSV, refused ones included.
      table.integer('total').notNullable();
      // Rows refused before queueing (bad rows, duplicate ids, missing images).
      table.integer('refused').notNullable();
      // How the resolved rows were split, so a cancel knows each chunk's size.
      table.integer('chunk_size').notNullable();
      table.integer('chunks').notNullable();
      table
        .string('final_state', 16)
        .nullable()
        .checkIn(['completed', 'failed', 'cancelled'], 'ingest_jobs_final_state_known');
      table.text('final_reason').nullable();
      table.timestamp('finished_at', { useTz: true }).nullable();
      table.integer('embedded').nullable();
      table.integer('skipped').nullable();
      table.integer('failed').nullable();
    });
  },
  async down(knex) {
    await knex.schema.dropTable('ingest_jobs');
  },
};
