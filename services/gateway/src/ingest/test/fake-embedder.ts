import {
  IngestJobName,
  IngestProgressStore,
  QueueName,
  createRedis,
  type CatalogOutcome,
  type ChunkOutcome,
  type IngestCatalogPayload,
  type IngestChunkPayload,
} from '@imgsearch/queue';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * Stands in for the embedder: every row of a chunk is "embedded" (skipped once the job is
 * cancelled) and the catalogue job settles as the real one does, on the shared progress store.
 */
export class FakeEmbedder {
  private readonly connection: Redis;
  private readonly worker: Worker;
  private readonly progress: IngestProgressStore;

  /** Starts one, connected and taking jobs. */
  static async start(redisUrl: string, prefix: string): Promise<FakeEmbedder> {
    const embedder = new FakeEmbedder(redisUrl, prefix);
    await embedder.worker.waitUntilReady();
    return embedder;
  }

  private constructor(redisUrl: string, prefix: string) {
    this.connection = createRedis(redisUrl, 'worker');
    this.progress = new IngestProgressStore(this.connection, prefix);
    this.worker = new Worker(QueueName.Ingest, (job) => this.process(job.name, job.data), {
      connection: this.connection,
      prefix,
    });
    this.worker.on('error', () => undefined);
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.connection.quit();
  }

  private async process(name: string, data: unknown): Promise<ChunkOutcome | CatalogOutcome> {
    if (name === IngestJobName.Chunk) return this.chunk(data as IngestChunkPayload);
    const { jobId } = data as IngestCatalogPayload;
    return { state: (await this.progress.isCancelled(jobId)) ? 'cancelled' : 'completed' };
  }

  private async chunk(payload: IngestChunkPayload): Promise<ChunkOutcome> {
    const rows = payload.rows.length;
    const cancelled = await this.progress.isCancelled(payload.jobId);
    const outcome = cancelled
      ? { embedded: 0, skipped: rows, failed: 0, errors: [] }
      : { embedded: rows, skipped: 0, failed: 0, errors: [] };
    await this.progress.recordChunk(payload.jobId, payload.chunkIndex, outcome);
    return outcome;
  }
}
