import type { IngestChunkPayload } from '@imgsearch/queue';

/** The catalogue job and its chunk jobs, as one upload queues them. */
export interface IngestFlow {
  jobId: string;
  /** Every data row of the CSV, refused ones included. */
  total: number;
  chunks: IngestChunkPayload[];
}

/** A queue job's state, in BullMQ's words. */
export type QueueJobState =
  'waiting-children' | 'waiting' | 'prioritized' | 'delayed' | 'active' | 'completed' | 'failed';

/** The catalogue (parent) job as the queue holds it. */
export interface CatalogJobSnapshot {
  state: QueueJobState;
  /** What the catalogue job returned, once completed (a `CatalogOutcome` when the embedder is well). */
  returnValue?: unknown;
  /** Why it failed, once failed. */
  failedReason?: string;
  finishedAt?: Date;
}

/**
 * The ingest queue, seen from the gateway. The BullMQ adapter implements it; the ingest
 * services depend on this class only, so their tests pass a double.
 */
export abstract class IngestQueue {
  /**
   * Queues the catalogue job with every chunk as its child, so it runs once all have finished.
   * Either all of it is queued or, after a fault, as little as could be taken back.
   */
  abstract add(flow: IngestFlow): Promise<void>;

  /** The catalogue job, or `undefined` when the queue holds none (never queued, or removed). */
  abstract catalogJob(jobId: string): Promise<CatalogJobSnapshot | undefined>;

  /** The catalogue jobs of many uploads at once, in the same order. */
  abstract catalogJobs(jobIds: readonly string[]): Promise<Array<CatalogJobSnapshot | undefined>>;

  /**
   * Removes the chunk jobs of `jobId` that no worker has started (waiting, or waiting to be
   * retried) and returns their indexes; running and finished chunks are left alone.
   */
  abstract removePendingChunks(jobId: string, chunkCount: number): Promise<number[]>;
}
