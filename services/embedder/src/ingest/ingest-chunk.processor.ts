import { Logger } from '@nestjs/common';
import { ZipArchiveError } from '@imgsearch/ingest';
import type { ChunkOutcome, IngestChunkPayload } from '@imgsearch/queue';
import { storageKeys } from '@imgsearch/storage';
import type { EmbeddedImage, ImagePipeline } from './image-pipeline';
import type {
  ArchiveLease,
  ArchiveSource,
  ChunkProgress,
  ItemFiles,
  PipelineMetrics,
  VectorSink,
} from './ingest.ports';
import { allFailed, allSkipped, givenUpReason } from './row-problem';

/** Which run of a chunk job this is; the queue runs a chunk again when it throws. */
export interface ChunkAttempt {
  /** 1 for the first run. */
  readonly number: number;
  /** Runs allowed in all (the job's `attempts` option). */
  readonly of: number;
}

/** What {@link IngestChunkProcessor} works with; one adapter per technology. */
export interface IngestChunkDependencies {
  readonly archives: ArchiveSource;
  readonly pipeline: ImagePipeline;
  readonly files: ItemFiles;
  readonly vectors: VectorSink;
  readonly progress: ChunkProgress;
  readonly metrics: PipelineMetrics;
}

/**
 * Embeds one chunk of a catalogue: reads each row's picture from the uploaded archive, embeds
 * it, stores the original and a thumbnail, upserts the vector, and records the chunk's outcome.
 *
 * Rows whose picture cannot be read or decoded are row errors in the outcome. Anything else
 * (Chroma, Redis or the disk failing) is thrown, so the queue retries the chunk with backoff;
 * item ids are deterministic, so a rerun overwrites what an earlier run stored. When the last
 * attempt fails, every row is recorded as failed before the error is thrown, so the job's counts
 * add up by the time the catalogue job runs. Cancellation is checked when a chunk starts: a
 * cancelled job's chunks count their rows as skipped and touch nothing.
 */
export class IngestChunkProcessor {
  private readonly logger = new Logger(IngestChunkProcessor.name);

  constructor(private readonly deps: IngestChunkDependencies) {}

  async process(payload: IngestChunkPayload, attempt: ChunkAttempt): Promise<ChunkOutcome> {
    try {
      return await this.processOnce(payload);
    } catch (error) {
      if (attempt.number >= attempt.of) await this.giveUp(payload, attempt, error);
      throw error;
    }
  }

  private async processOnce(payload: IngestChunkPayload): Promise<ChunkOutcome> {
    const cancelled = await this.deps.progress.isCancelled(payload.jobId);
    const outcome = cancelled ? allSkipped(payload.rows) : await this.embedRows(payload);
    // Last, so that a chunk which throws before this point is counted by the run that succeeds.
    await this.record(payload, outcome);
    return outcome;
  }

  private async embedRows({ archiveKey, rows }: IngestChunkPayload): Promise<ChunkOutcome> {
    const archive = await this.openArchive(archiveKey);
    if (typeof archive === 'string') return allFailed(rows, archive);
    try {
      let embedded = 0;
      const errors = await this.deps.pipeline.run(rows, archive, async (batch) => {
        await this.store(batch);
        embedded += batch.length;
      });
      return { embedded, skipped: 0, failed: errors.length, errors };
    } finally {
      archive.release();
    }
  }

  /** The archive, or the reason no row of it can be read: retrying cannot repair a bad ZIP. */
  private async openArchive(archiveKey: string): Promise<ArchiveLease | string> {
    try {
      return await this.deps.archives.acquire(archiveKey);
    } catch (error) {
      if (error instanceof ZipArchiveError) return `the archive cannot be used: ${error.message}`;
      throw error;
    }
  }

  /** Files first, so that a vector in Chroma never points at an image that is not there. */
  private async store(batch: readonly EmbeddedImage[]): Promise<void> {
    await Promise.all(
      batch.map(({ row, original, thumbnail }) =>
        Promise.all([
          this.deps.files.write(storageKeys.original(row.id), original),
          this.deps.files.write(storageKeys.thumbnail(row.id), thumbnail),
        ]),
      ),
    );
    await this.deps.vectors.upsert(
      batch.map(({ row, embedding }) => ({
        id: row.id,
        embedding,
        metadata: row.metadata,
        imageKey: storageKeys.original(row.id),
      })),
    );
  }

  private async giveUp(
    payload: IngestChunkPayload,
    attempt: ChunkAttempt,
    error: unknown,
  ): Promise<void> {
    const cause = error instanceof Error ? error.message : String(error);
    // The rows' reason is a summary for the uploader; the whole error is for the operator.
    this.logger.error({
      msg: 'ingest chunk failed on its last attempt; its rows are recorded as failed',
      jobId: payload.jobId,
      chunkIndex: payload.chunkIndex,
      attempts: attempt.of,
      err: error,
    });
    try {
      await this.record(payload, allFailed(payload.rows, givenUpReason(attempt.of, cause)));
    } catch {
      // Redis is likely what failed; the catalogue job records failed chunks it finds uncounted.
    }
  }

  private async record(payload: IngestChunkPayload, outcome: ChunkOutcome): Promise<void> {
    const added = await this.deps.progress.recordChunk(payload.jobId, payload.chunkIndex, outcome);
    if (added) this.deps.metrics.chunkRecorded(outcome);
  }
}
