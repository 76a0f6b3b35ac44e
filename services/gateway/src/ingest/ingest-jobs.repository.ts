import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@imgsearch/database';
import type { CatalogMapping } from '@imgsearch/ingest';
import type { CatalogOutcome } from '@imgsearch/queue';
import type { Knex } from 'knex';

/** Counts of a finished job, as the progress store had them when it ended. */
export interface IngestCounts {
  embedded: number;
  skipped: number;
  failed: number;
}

/** How a job ended, written once; a running job has none. */
export interface IngestEnding {
  state: CatalogOutcome['state'];
  reason?: string;
  finishedAt: Date;
  counts: IngestCounts;
}

/** One upload, as the gateway recorded it when it queued the job. */
export interface IngestJobRecord {
  id: string;
  createdBy: string;
  createdAt: Date;
  csvName: string;
  archiveName: string;
  mapping: CatalogMapping;
  /** Every data row of the CSV, refused ones included. */
  total: number;
  /** Rows refused before queueing; they count as failed from the start. */
  refused: number;
  chunkSize: number;
  chunks: number;
  ending?: IngestEnding;
}

export type NewIngestJob = Omit<IngestJobRecord, 'ending'>;

interface IngestJobRow {
  id: string;
  created_by: string;
  /** A Date from PostgreSQL, milliseconds since the epoch from SQLite. */
  created_at: Date | number | string;
  csv_name: string;
  archive_name: string;
  mapping: string;
  total: number;
  refused: number;
  chunk_size: number;
  chunks: number;
  final_state: CatalogOutcome['state'] | null;
  final_reason: string | null;
  finished_at: Date | number | string | null;
  embedded: number | null;
  skipped: number | null;
  failed: number | null;
}

const TABLE = 'ingest_jobs';

/** Upload records in the `ingest_jobs` table. */
@Injectable()
export class IngestJobsRepository {
  constructor(@Inject(DATABASE) private readonly database: Knex) {}

  async create(job: NewIngestJob): Promise<void> {
    await this.database(TABLE).insert({
      id: job.id,
      created_by: job.createdBy,
      created_at: job.createdAt,
      csv_name: job.csvName,
      archive_name: job.archiveName,
      mapping: JSON.stringify(job.mapping),
      total: job.total,
      refused: job.refused,
      chunk_size: job.chunkSize,
      chunks: job.chunks,
    });
  }

  async find(id: string): Promise<IngestJobRecord | undefined> {
    const row = await this.database<IngestJobRow>(TABLE).where({ id }).first();
    return row && toRecord(row);
  }

  /** Newest first. */
  async list(limit: number, offset: number): Promise<IngestJobRecord[]> {
    const rows = await this.database<IngestJobRow>(TABLE)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit)
      .offset(offset);
    return rows.map(toRecord);
  }

  /** Records how the job ended, unless that is recorded already (the first writer wins). */
  async recordEnding(id: string, ending: IngestEnding): Promise<void> {
    await this.database(TABLE)
      .where({ id })
      .whereNull('final_state')
      .update({
        final_state: ending.state,
        final_reason: ending.reason ?? null,
        finished_at: ending.finishedAt,
        embedded: ending.counts.embedded,
        skipped: ending.counts.skipped,
        failed: ending.counts.failed,
      });
  }

  /** Forgets a job that could not be queued. */
  async delete(id: string): Promise<void> {
    await this.database(TABLE).where({ id }).delete();
  }
}

function toRecord(row: IngestJobRow): IngestJobRecord {
  const record: IngestJobRecord = {
    id: row.id,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
    csvName: row.csv_name,
    archiveName: row.archive_name,
    mapping: JSON.parse(row.mapping) as CatalogMapping,
    total: Number(row.total),
    refused: Number(row.refused),
    chunkSize: Number(row.chunk_size),
    chunks: Number(row.chunks),
  };
  if (row.final_state !== null && row.finished_at !== null) {
    record.ending = {
      state: row.final_state,
      ...(row.final_reason !== null && { reason: row.final_reason }),
      finishedAt: new Date(row.finished_at),
      counts: {
        embedded: Number(row.embedded ?? 0),
        skipped: Number(row.skipped ?? 0),
        failed: Number(row.failed ?? 0),
      },
    };
  }
  return record;
}
