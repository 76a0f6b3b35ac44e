import { ImageDecodeError } from '@imgsearch/clip';
import { ZipEntryError } from '@imgsearch/ingest';
import type { ChunkOutcome, IngestRow, IngestRowError } from '@imgsearch/queue';

/**
 * The reason a row cannot be embedded, when `error` is a problem of that row alone (an entry
 * that cannot be read, bytes that are no picture, a picture over the pixel limit); such a row
 * is reported and the chunk goes on. `undefined` for anything else: a fault, to be retried.
 */
export function rowProblem(error: unknown): string | undefined {
  if (error instanceof ZipEntryError || error instanceof ImageDecodeError) return error.message;
  return undefined;
}

export function rowError(row: IngestRow, reason: string): IngestRowError {
  return { row: row.row, id: row.id, file: row.entry, reason };
}

/** The outcome of a chunk whose rows were all left alone because the job was cancelled. */
export function allSkipped(rows: readonly IngestRow[]): ChunkOutcome {
  return { embedded: 0, skipped: rows.length, failed: 0, errors: [] };
}

/** The outcome of a chunk none of whose rows could be embedded, for one reason. */
export function allFailed(rows: readonly IngestRow[], reason: string): ChunkOutcome {
  return {
    embedded: 0,
    skipped: 0,
    failed: rows.length,
    errors: rows.map((row) => rowError(row, reason)),
  };
}

/** Why the rows of a chunk that failed on every attempt were not embedded. */
export function givenUpReason(attempts: number, cause: string): string {
  const runs = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
  return `could not be embedded after ${runs}: ${cause}`;
}
