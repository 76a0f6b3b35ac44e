import {
  DynamicModule,
  FactoryProvider,
  Inject,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Knex } from 'knex';
import { createDatabase, DatabaseOptions } from './create-database';
import { migrateLatest } from './migrate';

/** Injection token of the application's knex instance, migrated before anything uses it. */
export const DATABASE = Symbol('DATABASE');

export type DatabaseModuleOptions = Pick<FactoryProvider<DatabaseOptions>, 'inject' | 'useFactory'>;

/**
 * Opens and migrates the database once, makes it injectable everywhere as `DATABASE` (global),
 * and closes it on shutdown. Import it once per application.
 */
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly database: Knex) {}

  static forRootAsync(options: DatabaseModuleOptions): DynamicModule {
    const provider = {
      provide: DATABASE,
      inject: options.inject ?? [],
      useFactory: async (...args: unknown[]) => openMigrated(await options.useFactory(...args)),
    };
    return { module: DatabaseModule, global: true, providers: [provider], exports: [provider] };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.database.destroy();
  }
}

async function openMigrated(options: DatabaseOptions): Promise<Knex> {
  const database = createDatabase(options);
  try {
    await migrateLatest(database);
    return database;
  } catch (error) {
    await database.destroy();
    throw error;
  }
}
