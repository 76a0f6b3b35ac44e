import { Logger } from '@nestjs/common';
import {
  type CatalogOutcome,
  type ChunkOutcome,
  type IngestCatalogPayload,
  type IngestChunkPayload,
  IngestJobName,
  QueueName,
  redisOptions,
} from '@imgsearch/queue';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import type { FailedChunk, IngestCatalogProcessor } from './ingest-catalog.processor';
import type { IngestChunkProcessor } from './ingest-chunk.processor';
import type { IngestJobMetrics } from './ingest.metrics';

/** Options of {@link IngestWorker}. */
export interface IngestWorkerOptions {
  /**
   * Redis to take jobs from (`REDIS_URL`). The worker's own connections use `redisOptions('worker')`:
   * `maxRetriesPerRequest: null`, as BullMQ requires, so a Redis outage pauses it instead of failing jobs.
   */
  readonly redisUrl: string;
  /** Prefix of BullMQ's keys (`QUEUE_PREFIX`); must be the gateway's, or no job is seen. */
  readonly prefix: string;
  /** Jobs run at once by this process (`EMBED_JOB_CONCURRENCY`, default 1). */
  readonly concurrency: number;
}

type IngestPayload = IngestChunkPayload | IngestCatalogPayload;
type IngestResult = ChunkOutcome | CatalogOutcome;
type IngestJob = Job<IngestPayload, IngestResult>;

/**
 * The BullMQ consumer of the ingest queue: routes each job to its processor, instruments
 * every run once, logs failures, and finishes its current jobs when closed.
 */
export class IngestWorker {
  private readonly logger = new Logger(IngestWorker.name);
  private worker?: Worker<IngestPayload, IngestResult>;

  constructor(
    private readonly chunks: IngestChunkProcessor,
    private readonly catalogs: IngestCatalogProcessor,
    private readonly metrics: IngestJobMetrics,
    private readonly options: IngestWorkerOptions,
  ) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError(
        `IngestWorker concurrency must be a positive integer, got ${options.concurrency}`,
      );
    }
  }

  /** Starts taking jobs. */
  start(): void {
    if (this.worker) return;
    const worker = new Worker<IngestPayload, IngestResult>(
      QueueName.Ingest,
      (job) => this.metrics.track(job.name, () => this.route(job)),
      {
        connection: { url: this.options.redisUrl, ...redisOptions('worker') },
        prefix: this.options.prefix,
        concurrency: this.options.concurrency,
      },
    );
    worker.on('error', (error) => this.logger.error({ msg: 'ingest worker error', err: error }));
    worker.on('failed', (job, error) => this.logFailure(job, error));
    worker.on('completed', (job, result) => this.logCompletion(job, result));
    this.worker = worker;
  }

  /** Stops taking jobs, waits for the jobs in progress to finish, and closes the connections. */
  async close(): Promise<void> {
    await this.worker?.close();
  }

  private route(job: IngestJob): Promise<IngestResult> {
    switch (job.name) {
      case IngestJobName.Chunk:
        return this.chunks.process(job.data as IngestChunkPayload, {
          number: job.attemptsMade + 1,
          of: job.opts.attempts ?? 1,
        });
      case IngestJobName.Catalog:
        return this.catalogs.process(job.data as IngestCatalogPayload, {
          failedChunks: () => this.failedChunks(job),
        });
      default:
        throw new UnrecoverableError(`unknown job name "${job.name}" on queue ${QueueName.Ingest}`);
    }
  }

  /** Chunks of this catalogue job that failed for good (they were added with `ignoreDependencyOnFailure`). */
  private async failedChunks(job: IngestJob): Promise<FailedChunk[]> {
    const worker = this.worker!;
    const queueKey = worker.toKey('');
    const failures = Object.entries(await job.getIgnoredChildrenFailures());
    const chunks = await Promise.all(
      failures.map(async ([childKey, reason]) => {
        if (!childKey.startsWith(queueKey)) return undefined;
        const child = await Job.fromId<IngestChunkPayload>(worker, childKey.slice(queueKey.length));
        if (child?.name !== IngestJobName.Chunk) return undefined;
        return { payload: child.data, attempts: child.attemptsMade, reason };
      }),
    );
    return chunks.filter((chunk) => chunk !== undefined);
  }

  private logCompletion(job: IngestJob, result: IngestResult): void {
    this.logger.log({ msg: `${job.name} done`, ...jobFields(job), result: summary(result) });
  }

  private logFailure(job: IngestJob | undefined, error: Error): void {
    const fields = job ? jobFields(job) : {};
    this.logger.warn({ msg: 'ingest job run failed', ...fields, err: error.message });
  }
}

function jobFields(job: IngestJob) {
  const { jobId } = job.data;
  const chunkIndex = 'chunkIndex' in job.data ? job.data.chunkIndex : undefined;
  return { jobId, chunkIndex, queueJobId: job.id, attemptsMade: job.attemptsMade };
}

/** The counts of a chunk without its row errors, which may be thousands. */
function summary(result: IngestResult) {
  if (!('errors' in result)) return result;
  const { errors: _errors, ...counts } = result;
  return counts;
}
