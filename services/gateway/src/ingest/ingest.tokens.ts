import type { IngestProgressStore } from '@imgsearch/queue';

/** The module's {@link IngestOptions}, built from the gateway's configuration. */
export const INGEST_OPTIONS = Symbol('INGEST_OPTIONS');

/** The job progress counters in Redis: an `IngestProgressStore` on `QUEUE_PREFIX`. */
export const INGEST_PROGRESS = Symbol('INGEST_PROGRESS');

/** What the gateway asks of the progress store; tests pass an in-memory double. */
export type IngestProgress = Pick<
  IngestProgressStore,
  'start' | 'read' | 'errors' | 'cancel' | 'isCancelled' | 'recordChunk'
>;
