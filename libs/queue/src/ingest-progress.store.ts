import type { Redis } from 'ioredis';
import type { ChunkOutcome, IngestRowError } from './ingest-payloads';

export interface IngestProgress {
  total: number;
  embedded: number;
  skipped: number;
  failed: number;
}

/**
 * Counts and row errors of every ingest job, in Redis so that any number of embedders can add
 * to them and any gateway replica can read them. A chunk is counted once even when BullMQ runs
 * it again after a crash: the count and the "chunk done" mark change in one Lua script.
 */
export class IngestProgressStore {
  /** Errors kept per job; the counts stay exact beyond it. */
  static readonly MAX_ERRORS = 100_000;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** How long a job's progress is kept after its last change. */
    private readonly ttlSeconds = 30 * 24 * 3600,
  ) {}

  /** Creates the job's counters with the rows refused before queueing (missing images, duplicates). */
  async start(jobId: string, total: number, refused: IngestRowError[]): Promise<void> {
    const multi = this.redis.multi();
    multi.hset(this.key(jobId, 'progress'), {
      total,
      embedded: 0,
      skipped: 0,
      failed: refused.length,
    });
    for (let i = 0; i < refused.length; i += 1000) {
      multi.rpush(
        this.key(jobId, 'errors'),
        ...refused.slice(i, i + 1000).map((error) => JSON.stringify(error)),
      );
    }
    this.expireAll(multi, jobId);
    await multi.exec();
  }

  /** Adds a chunk's outcome unless that chunk was already counted; returns whether it was added. */
  async recordChunk(jobId: string, chunkIndex: number, outcome: ChunkOutcome): Promise<boolean> {
    const errors = outcome.errors.map((error) => JSON.stringify(error));
    const added = await this.redis.eval(
      RECORD_CHUNK,
      3,
      this.key(jobId, 'chunks'),
      this.key(jobId, 'progress'),
      this.key(jobId, 'errors'),
      chunkIndex,
      outcome.embedded,
      outcome.skipped,
      outcome.failed,
      IngestProgressStore.MAX_ERRORS,
      this.ttlSeconds,
      ...errors,
    );
    return added === 1;
  }

  async read(jobId: string): Promise<IngestProgress | undefined> {
    const hash = await this.redis.hgetall(this.key(jobId, 'progress'));
    if (!hash.total) return undefined;
    return {
      total: Number(hash.total),
      embedded: Number(hash.embedded ?? 0),
      skipped: Number(hash.skipped ?? 0),
      failed: Number(hash.failed ?? 0),
    };
  }

  async errors(jobId: string, offset = 0, limit = -1): Promise<IngestRowError[]> {
    const end = limit < 0 ? -1 : offset + limit - 1;
    const raw = await this.redis.lrange(this.key(jobId, 'errors'), offset, end);
    return raw.map((line) => JSON.parse(line) as IngestRowError);
  }

  async cancel(jobId: string): Promise<void> {
    await this.redis.set(this.key(jobId, 'cancelled'), '1', 'EX', this.ttlSeconds);
  }

  async isCancelled(jobId: string): Promise<boolean> {
    return (await this.redis.exists(this.key(jobId, 'cancelled'))) === 1;
  }

  private expireAll(multi: ReturnType<Redis['multi']>, jobId: string): void {
    for (const part of ['progress', 'errors', 'chunks'] as const)
      multi.expire(this.key(jobId, part), this.ttlSeconds);
  }

  private key(jobId: string, part: 'progress' | 'errors' | 'chunks' | 'cancelled'): string {
    return `${this.prefix}:ingest:${jobId}:${part}`;
  }
}

const RECORD_CHUNK = `
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[2], 'embedded', ARGV[2])
redis.call('HINCRBY', KEYS[2], 'skipped', ARGV[3])
redis.call('HINCRBY', KEYS[2], 'failed', ARGV[4])
local room = tonumber(ARGV[5]) - redis.call('LLEN', KEYS[3])
for i = 7, #ARGV do
  if i - 7 >= room then break end
  redis.call('RPUSH', KEYS[3], ARGV[i])
end
for _, key in ipairs(KEYS) do redis.call('EXPIRE', key, ARGV[6]) end
return 1
`;
