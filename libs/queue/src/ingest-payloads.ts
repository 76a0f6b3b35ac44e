/** A metadata value as stored with an item: CSV numerals become numbers, the rest strings. */
export type IngestMetadata = Record<string, string | number>;

/** One catalogue row whose image was found in the archive, ready to embed. */
export interface IngestRow {
  /** The line number a spreadsheet shows (header = 1). */
  row: number;
  id: string;
  /** The entry's name inside the archive, already resolved and safe. */
  entry: string;
  metadata: IngestMetadata;
}

/** A row that could not be embedded, as a person reads it in the job's error report. */
export interface IngestRowError {
  row: number;
  id?: string;
  file?: string;
  reason: string;
}

/** Payload of the parent job: carries references only, never rows or image bytes. */
export interface IngestCatalogPayload {
  jobId: string;
  total: number;
}

/** Payload of one chunk job: a slice of rows and where their archive lies in storage. */
export interface IngestChunkPayload {
  jobId: string;
  chunkIndex: number;
  /** Storage key of the uploaded ZIP. */
  archiveKey: string;
  rows: IngestRow[];
}

/** What a chunk did; expected row problems are counted here, never thrown. */
export interface ChunkOutcome {
  embedded: number;
  /** Rows left alone because the job was cancelled. */
  skipped: number;
  failed: number;
  errors: IngestRowError[];
}

export type IngestState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

/** Result of the parent job, computed once every chunk has finished. */
export interface CatalogOutcome {
  state: Extract<IngestState, 'completed' | 'failed' | 'cancelled'>;
  reason?: string;
}
