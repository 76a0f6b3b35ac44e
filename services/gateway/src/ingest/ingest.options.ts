import type { CatalogCsvOptions, SafeZipLimits } from '@imgsearch/ingest';
import type { GatewayConfig } from '../gateway.config';

/** Everything the ingest module takes from the configuration, in the shape its parts use. */
export interface IngestOptions {
  /** Rows per chunk job (`INGEST_CHUNK_SIZE`, default 256). */
  chunkSize: number;
  /** Row limits of the CSV reader (`INGEST_MAX_ROWS`, `INGEST_MAX_ROW_BYTES`). */
  csv: Required<CatalogCsvOptions>;
  /** Limits on the uploaded ZIP (`ZIP_*`). */
  zip: Partial<SafeZipLimits>;
  upload: UploadLimits;
  events: EventTimings;
}

/** Largest part of each kind one upload may send. */
export interface UploadLimits {
  /** `UPLOAD_MAX_CSV_BYTES`, default 512 MiB. */
  csvBytes: number;
  /** `UPLOAD_MAX_ARCHIVE_BYTES`, default 50 GiB. */
  archiveBytes: number;
  /** A mapping is a few hundred bytes of JSON; 1 MiB leaves room without inviting abuse. */
  mappingBytes: number;
}

/** How `GET /api/ingest/:jobId/events` paces itself. */
export interface EventTimings {
  /** How often the job's status is read while someone listens. Default 500 ms. */
  pollMs: number;
  /** A comment line sent this often keeps proxies from closing a quiet stream. Default 15 s. */
  heartbeatMs: number;
}

export const MAPPING_MAX_BYTES = 1024 * 1024;

export function ingestOptionsFrom(config: GatewayConfig): IngestOptions {
  return {
    chunkSize: config.INGEST_CHUNK_SIZE,
    csv: { maxRows: config.INGEST_MAX_ROWS, maxRecordBytes: config.INGEST_MAX_ROW_BYTES },
    zip: {
      maxEntries: config.ZIP_MAX_ENTRIES,
      maxEntryBytes: config.ZIP_MAX_ENTRY_BYTES,
      maxTotalBytes: config.ZIP_MAX_TOTAL_BYTES,
      maxCompressionRatio: config.ZIP_MAX_COMPRESSION_RATIO,
    },
    upload: {
      csvBytes: config.UPLOAD_MAX_CSV_BYTES,
      archiveBytes: config.UPLOAD_MAX_ARCHIVE_BYTES,
      mappingBytes: MAPPING_MAX_BYTES,
    },
    events: { pollMs: 500, heartbeatMs: 15_000 },
  };
}
