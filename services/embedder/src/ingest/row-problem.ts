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

/**
 * Why the rows of a chunk that failed on every attempt were not embedded, as the job's error
 * report shows it to the uploader: `cause` is the last attempt's error message, summed up by
 * {@link faultSummary}. The full error belongs in the logs.
 */
export function givenUpReason(attempts: number, cause: string): string {
  const runs = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
  return `could not be embedded after ${runs}: ${faultSummary(cause)}`;
}

const ADDRESS = /\b[a-z][a-z\d+.-]*:\/\/[^\s'"<>]+/gi;
/** chromadb's client puts the request's URL (server, collection id) into a 400's message. */
const VECTOR_STORE_REFUSAL = /^Bad request to \S+ with status:\s*/;
const VECTOR_STORE_UNREACHABLE = /^Failed to connect to chroma/i;

/**
 * An error message cut down to what an uploader can read in a report: its first line, with
 * internal addresses (the vector store's URL, which names the server and the collection id)
 * left out, and the vector store's refusals said as such.
 */
export function faultSummary(message: string): string {
  const line = (message.split(/\r?\n/, 1)[0] ?? '').trim();
  if (VECTOR_STORE_UNREACHABLE.test(line)) return 'the vector store cannot be reached';
  if (VECTOR_STORE_REFUSAL.test(line)) {
    const detail = withoutAddresses(line.replace(VECTOR_STORE_REFUSAL, ''));
    return detail ? `vector store refused the batch: ${detail}` : 'vector store refused the batch';
  }
  return withoutAddresses(line) || 'an unexpected error';
}

function withoutAddresses(text: string): string {
  return text.replace(ADDRESS, '(internal address)').trim();
}
