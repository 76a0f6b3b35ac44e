import { Logger, OnModuleDestroy } from '@nestjs/common';
import {
  IngestJobName,
  QueueName,
  ingestJobIds,
  type IngestCatalogPayload,
  type IngestChunkPayload,
} from '@imgsearch/queue';
import { FlowProducer, Job, JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  IngestQueue,
  type CatalogJobSnapshot,
  type IngestFlow,
  type QueueJobState,
} from './ingest.queue';

export interface BullmqIngestQueueOptions {
  /** `QUEUE_PREFIX`: the embedders must use the same one, or they see no job. */
  prefix: string;
  /**
   * Chunk jobs written to Redis in one transaction. A chunk of 256 rows weighs some 100 KB, so
   * the default 100 keeps each transaction near 10 MB however large the catalogue. Default 100.
   */
  chunksPerBatch?: number;
}

const HOUR_SECONDS = 3600;
const DAY_SECONDS = 24 * HOUR_SECONDS;
/** Chunk results are counted in the progress store when they finish; the jobs are only kept to debug. */
const CHUNK_RETENTION = {
  removeOnComplete: { age: DAY_SECONDS },
  removeOnFail: { age: 7 * DAY_SECONDS },
};
/** As long as the progress store keeps its counters; the gateway records the outcome before. */
const CATALOG_RETENTION = { age: 30 * DAY_SECONDS };
/**
 * A queue no worker consumes. While a large catalogue's chunks are added batch after batch, a
 * job here holds the catalogue job back, so it cannot run if the first chunks finish before the
 * last are added; it is removed once they all are.
 */
const GATE_QUEUE = `${QueueName.Ingest}-gate`;
const REMOVABLE_STATES = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);
const KNOWN_STATES = new Set<string>([
  'waiting-children',
  'waiting',
  'prioritized',
  'delayed',
  'active',
  'completed',
  'failed',
]);
const PARALLEL_LOOKUPS = 50;

type CatalogJob = Job<IngestCatalogPayload, unknown>;

/** The ingest queue on BullMQ: a flow per upload, the catalogue job parent of its chunks. */
export class BullmqIngestQueue extends IngestQueue implements OnModuleDestroy {
  private readonly logger = new Logger(BullmqIngestQueue.name);
  private readonly queue: Queue;
  private readonly gate: Queue;
  private readonly flows: FlowProducer;
  private readonly chunksPerBatch: number;

  /** @param connection shared with the gateway, which closes it; BullMQ does not. */
  constructor(connection: Redis, options: BullmqIngestQueueOptions) {
    super();
    const chunksPerBatch = options.chunksPerBatch ?? 100;
    if (!Number.isInteger(chunksPerBatch) || chunksPerBatch < 1) {
      throw new RangeError(`chunksPerBatch must be a positive integer (got ${chunksPerBatch})`);
    }
    this.chunksPerBatch = chunksPerBatch;
    const settings = { connection, prefix: options.prefix };
    this.queue = new Queue(QueueName.Ingest, settings);
    this.gate = new Queue(GATE_QUEUE, settings);
    this.flows = new FlowProducer(settings);
    const logError = (error: Error) => this.logger.error({ msg: 'ingest queue error', err: error });
    this.queue.on('error', logError);
    this.gate.on('error', logError);
    this.flows.on('error', logError);
  }

  async add(flow: IngestFlow): Promise<void> {
    const [first, ...rest] = batches(flow.chunks, this.chunksPerBatch);
    const gated = rest.length > 0;
    try {
      await this.flows.add({
        name: IngestJobName.Catalog,
        queueName: QueueName.Ingest,
        data: { jobId: flow.jobId, total: flow.total } satisfies IngestCatalogPayload,
        opts: catalogOptions(flow.jobId),
        children: [
          ...(gated ? [this.gateNode(flow.jobId)] : []),
          ...(first ?? []).map((chunk) => ({
            name: IngestJobName.Chunk,
            queueName: QueueName.Ingest,
            data: chunk,
            opts: chunkOptions(chunk),
          })),
        ],
      });
      for (const batch of rest) await this.addChildren(flow.jobId, batch);
      if (gated) await this.gate.remove(gateId(flow.jobId));
    } catch (error) {
      await this.discard(flow.jobId);
      throw error;
    }
  }

  async catalogJob(jobId: string): Promise<CatalogJobSnapshot | undefined> {
    const job = (await this.queue.getJob(ingestJobIds.catalog(jobId))) as CatalogJob | undefined;
    if (job === undefined) return undefined;
    const state = await job.getState();
    if (!KNOWN_STATES.has(state)) return undefined;
    return {
      state: state as QueueJobState,
      returnValue: job.returnvalue ?? undefined,
      failedReason: job.failedReason || undefined,
      finishedAt: job.finishedOn ? new Date(job.finishedOn) : undefined,
    };
  }

  async catalogJobs(jobIds: readonly string[]): Promise<Array<CatalogJobSnapshot | undefined>> {
    return Promise.all(jobIds.map((jobId) => this.catalogJob(jobId)));
  }

  async removePendingChunks(jobId: string, chunkCount: number): Promise<number[]> {
    // A gate left by a gateway that stopped half-way through `add` would hold the job forever.
    await this.gate.remove(gateId(jobId));
    const removed: number[] = [];
    for (let start = 0; start < chunkCount; start += PARALLEL_LOOKUPS) {
      const indexes = range(start, Math.min(start + PARALLEL_LOOKUPS, chunkCount));
      const outcomes = await Promise.all(
        indexes.map((index) => this.removeIfPending(jobId, index)),
      );
      removed.push(...indexes.filter((_, position) => outcomes[position]));
    }
    return removed;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.flows.close(), this.gate.close(), this.queue.close()]);
  }

  /** `Queue.remove` refuses a job a worker holds (returns 0), so a chunk that just started stays. */
  private async removeIfPending(jobId: string, chunkIndex: number): Promise<boolean> {
    const id = ingestJobIds.chunk(jobId, chunkIndex);
    const state = await this.queue.getJobState(id);
    if (!REMOVABLE_STATES.has(state)) return false;
    return (await this.queue.remove(id)) === 1;
  }

  private async addChildren(jobId: string, chunks: IngestChunkPayload[]): Promise<void> {
    const parent = { id: ingestJobIds.catalog(jobId), queue: this.queue.qualifiedName };
    await this.queue.addBulk(
      chunks.map((chunk) => ({
        name: IngestJobName.Chunk,
        data: chunk,
        opts: { ...chunkOptions(chunk), parent },
      })),
    );
  }

  private gateNode(jobId: string) {
    return { name: 'gate', queueName: GATE_QUEUE, data: { jobId }, opts: { jobId: gateId(jobId) } };
  }

  /** Takes back what a failed `add` queued, as far as Redis lets it; the fault is what matters. */
  private async discard(jobId: string): Promise<void> {
    try {
      await this.queue.remove(ingestJobIds.catalog(jobId), { removeChildren: true });
      await this.gate.remove(gateId(jobId));
    } catch (error) {
      this.logger.warn({ msg: 'could not discard a half-queued ingest job', jobId, err: error });
    }
  }
}

function catalogOptions(jobId: string): JobsOptions {
  return {
    jobId: ingestJobIds.catalog(jobId),
    attempts: 3,
    backoff: { type: 'exponential', delay: 2000 },
    removeOnComplete: CATALOG_RETENTION,
    removeOnFail: CATALOG_RETENTION,
  };
}

function chunkOptions(chunk: IngestChunkPayload): JobsOptions {
  return {
    jobId: ingestJobIds.chunk(chunk.jobId, chunk.chunkIndex),
    attempts: 5,
    backoff: { type: 'exponential', delay: 2000 },
    // A chunk that fails for good must not fail the upload: its rows are counted as failed.
    ignoreDependencyOnFailure: true,
    ...CHUNK_RETENTION,
  };
}

function gateId(jobId: string): string {
  return `${jobId}-gate`;
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    result.push(items.slice(start, start + size));
  }
  return result;
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, index) => start + index);
}
