import type { ChunkOutcome, IngestProgress as Counts, IngestRowError } from '@imgsearch/queue';
import { IngestQueue, type CatalogJobSnapshot, type IngestFlow } from '../ingest.queue';
import type { IngestProgress } from '../ingest.tokens';

/** Records what is queued; tests set what the queue says of each catalogue job. */
export class FakeIngestQueue extends IngestQueue {
  readonly flows: IngestFlow[] = [];
  readonly snapshots = new Map<string, CatalogJobSnapshot>();
  /** Chunk indexes `removePendingChunks` reports as removed, per job; default all of them. */
  readonly pending = new Map<string, number[]>();
  failWith?: Error;

  async add(flow: IngestFlow): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.flows.push(flow);
    this.snapshots.set(flow.jobId, {
      state: flow.chunks.length > 0 ? 'waiting-children' : 'waiting',
    });
  }

  async catalogJob(jobId: string): Promise<CatalogJobSnapshot | undefined> {
    return this.snapshots.get(jobId);
  }

  async catalogJobs(jobIds: readonly string[]): Promise<Array<CatalogJobSnapshot | undefined>> {
    return jobIds.map((jobId) => this.snapshots.get(jobId));
  }

  async removePendingChunks(jobId: string, chunkCount: number): Promise<number[]> {
    return this.pending.get(jobId) ?? Array.from({ length: chunkCount }, (_, index) => index);
  }

  /** The queue finishes the catalogue job with this return value. */
  complete(jobId: string, returnValue: unknown, finishedAt = new Date()): void {
    this.snapshots.set(jobId, { state: 'completed', returnValue, finishedAt });
  }

  flowOf(jobId: string): IngestFlow {
    const flow = this.flows.find((candidate) => candidate.jobId === jobId);
    if (!flow) throw new Error(`no flow queued for ${jobId}`);
    return flow;
  }
}

/** IngestProgressStore's behaviour in memory: a chunk counts once, errors keep their order. */
export class InMemoryProgress implements IngestProgress {
  readonly counts = new Map<string, Counts>();
  readonly errorLists = new Map<string, IngestRowError[]>();
  readonly cancelled = new Set<string>();
  private readonly recorded = new Set<string>();
  reads = 0;

  async start(jobId: string, total: number, refused: IngestRowError[]): Promise<void> {
    this.counts.set(jobId, { total, embedded: 0, skipped: 0, failed: refused.length });
    this.errorLists.set(jobId, [...refused]);
  }

  async recordChunk(jobId: string, chunkIndex: number, outcome: ChunkOutcome): Promise<boolean> {
    const key = `${jobId}:${chunkIndex}`;
    if (this.recorded.has(key)) return false;
    this.recorded.add(key);
    const counts = this.counts.get(jobId) ?? { total: 0, embedded: 0, skipped: 0, failed: 0 };
    this.counts.set(jobId, {
      total: counts.total,
      embedded: counts.embedded + outcome.embedded,
      skipped: counts.skipped + outcome.skipped,
      failed: counts.failed + outcome.failed,
    });
    this.errorLists.set(jobId, [...(this.errorLists.get(jobId) ?? []), ...outcome.errors]);
    return true;
  }

  async read(jobId: string): Promise<Counts | undefined> {
    this.reads += 1;
    const counts = this.counts.get(jobId);
    return counts && { ...counts };
  }

  async errors(jobId: string, offset = 0, limit = -1): Promise<IngestRowError[]> {
    const list = this.errorLists.get(jobId) ?? [];
    return list.slice(offset, limit < 0 ? undefined : offset + limit);
  }

  async cancel(jobId: string): Promise<void> {
    this.cancelled.add(jobId);
  }

  async isCancelled(jobId: string): Promise<boolean> {
    return this.cancelled.has(jobId);
  }
}
