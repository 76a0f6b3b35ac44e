export { createRedis, pingRedis, redisOptions, type RedisRole } from './redis-connection';
export { IngestJobName, QueueName, ingestJobIds } from './queue-names';
export { IngestProgressStore, type IngestProgress } from './ingest-progress.store';
export type {
  CatalogOutcome,
  ChunkOutcome,
  IngestCatalogPayload,
  IngestChunkPayload,
  IngestMetadata,
  IngestRow,
  IngestRowError,
  IngestState,
} from './ingest-payloads';
