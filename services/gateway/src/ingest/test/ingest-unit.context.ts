import { createDatabase, migrateLatest } from '@imgsearch/database';
import { FileStorage } from '@imgsearch/storage';
import type { Knex } from 'knex';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IngestJobsRepository } from '../ingest-jobs.repository';
import { IngestStatusService } from '../ingest-status.service';
import { ingestOptionsFrom, type IngestOptions } from '../ingest.options';
import { IngestService } from '../ingest.service';
import type { GatewayConfig } from '../../gateway.config';
import { CatalogUploadBuilder } from './catalog-samples';
import { FakeIngestQueue, InMemoryProgress } from './ingest.doubles';

/** The ingest module's defaults, as the gateway's configuration gives them. */
export function anIngestOptions(overrides: Partial<IngestOptions> = {}): IngestOptions {
  const defaults = ingestOptionsFrom({
    INGEST_CHUNK_SIZE: 256,
    INGEST_MAX_ROWS: 1_000_000,
    INGEST_MAX_ROW_BYTES: 1024 * 1024,
    ZIP_MAX_ENTRIES: 2_000_000,
    ZIP_MAX_ENTRY_BYTES: 50 * 1024 ** 2,
    ZIP_MAX_TOTAL_BYTES: 50 * 1024 ** 3,
    ZIP_MAX_COMPRESSION_RATIO: 200,
    UPLOAD_MAX_CSV_BYTES: 512 * 1024 ** 2,
    UPLOAD_MAX_ARCHIVE_BYTES: 50 * 1024 ** 3,
  } as GatewayConfig);
  return { ...defaults, ...overrides };
}

/**
 * The ingest services over doubles of the queue and the progress store, a real SQLite
 * database and file storage in a temporary folder.
 */
export class IngestUnitContext {
  readonly queue = new FakeIngestQueue();
  readonly progress = new InMemoryProgress();
  readonly storage: FileStorage;
  readonly jobs: IngestJobsRepository;
  readonly statuses: IngestStatusService;
  readonly service: IngestService;

  private constructor(
    private readonly folder: string,
    private readonly database: Knex,
    options: IngestOptions,
  ) {
    this.storage = new FileStorage(join(folder, 'data'));
    this.jobs = new IngestJobsRepository(database);
    this.statuses = new IngestStatusService(options, this.queue, this.progress, this.jobs);
    this.service = new IngestService(
      options,
      this.queue,
      this.progress,
      this.jobs,
      this.storage,
      this.statuses,
    );
  }

  static async create(options: Partial<IngestOptions> = {}): Promise<IngestUnitContext> {
    const folder = mkdtempSync(join(tmpdir(), 'ingest-unit-'));
    const database = createDatabase({ sqlitePath: join(folder, 'db.sqlite') });
    await migrateLatest(database);
    return new IngestUnitContext(folder, database, anIngestOptions(options));
  }

  anUpload(): CatalogUploadBuilder {
    return new CatalogUploadBuilder(join(this.folder, 'incoming'));
  }

  async close(): Promise<void> {
    await this.database.destroy();
    rmSync(this.folder, { recursive: true, force: true });
  }
}
