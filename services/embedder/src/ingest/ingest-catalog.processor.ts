import type { CatalogOutcome, IngestCatalogPayload, IngestChunkPayload } from '@imgsearch/queue';
import type { CatalogProgress, PipelineMetrics } from './ingest.ports';
import { allFailed, givenUpReason } from './row-problem';

/** A chunk job that failed for good. */
export interface FailedChunk {
  readonly payload: IngestChunkPayload;
  /** Runs it had. */
  readonly attempts: number;
  /** The error of its last run. */
  readonly reason: string;
}

/** What the catalogue job knows about its chunk jobs; the queue adapter provides it. */
export interface CatalogChildren {
  /** Chunks that failed on every attempt (or were failed by the queue, e.g. after stalling). */
  failedChunks(): Promise<FailedChunk[]>;
}

/** Removes a job's uploaded CSV and ZIP once no chunk can need them. */
export interface UploadCleaner {
  deleteUploads(jobId: string): Promise<void>;
}

/**
 * Settles an ingest job once all its chunks are done: `cancelled` when it was cancelled,
 * `failed` when rows were given but none could be embedded, `completed` otherwise (row errors
 * included). Then the uploaded files go: every image worth keeping is stored as an original,
 * and an archive of many gigabytes should not outlive its job.
 */
export class IngestCatalogProcessor {
  constructor(
    private readonly progress: CatalogProgress,
    private readonly metrics: Pick<PipelineMetrics, 'chunkRecorded'>,
    private readonly uploads: UploadCleaner,
  ) {}

  async process(payload: IngestCatalogPayload, children: CatalogChildren): Promise<CatalogOutcome> {
    const outcome = await this.settle(payload, children);
    await this.uploads.deleteUploads(payload.jobId);
    return outcome;
  }

  private async settle(
    payload: IngestCatalogPayload,
    children: CatalogChildren,
  ): Promise<CatalogOutcome> {
    await this.countFailedChunks(payload.jobId, await children.failedChunks());
    if (await this.progress.isCancelled(payload.jobId)) return { state: 'cancelled' };
    const progress = await this.progress.read(payload.jobId);
    if (progress === undefined) {
      return {
        state: 'failed',
        reason: `the progress of ingest job ${payload.jobId} is gone: it expired or was never started`,
      };
    }
    if (progress.total > 0 && progress.embedded === 0) {
      return { state: 'failed', reason: await this.nothingEmbedded(payload.jobId) };
    }
    return { state: 'completed' };
  }

  /**
   * A chunk counts its own rows as failed on its last attempt, unless it never got there (it
   * stalled, or Redis failed too); recording is idempotent per chunk, so this only fills gaps.
   */
  private async countFailedChunks(jobId: string, failed: readonly FailedChunk[]): Promise<void> {
    for (const { payload, attempts, reason } of failed) {
      const outcome = allFailed(payload.rows, givenUpReason(attempts, reason));
      const added = await this.progress.recordChunk(jobId, payload.chunkIndex, outcome);
      if (added) this.metrics.chunkRecorded(outcome);
    }
  }

  private async nothingEmbedded(jobId: string): Promise<string> {
    const [first] = await this.progress.errors(jobId, 0, 1);
    const reason = 'no image could be embedded';
    return first === undefined
      ? reason
      : `${reason}; first error: row ${first.row}: ${first.reason}`;
  }
}
