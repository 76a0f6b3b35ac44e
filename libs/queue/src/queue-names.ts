/** Every queue the system uses; producers and consumers share these names. */
export enum QueueName {
  Ingest = 'ingest',
}

export enum IngestJobName {
  /** Parent job of one upload; runs once every chunk has finished, and settles the job's state. */
  Catalog = 'ingest-catalog',
  /** A slice of the catalogue's rows, embedded by one worker. */
  Chunk = 'ingest-chunk',
}

/** Job ids BullMQ uses, derived from the ingest job's id so that they are deterministic. */
export const ingestJobIds = {
  catalog: (jobId: string) => `${jobId}`,
  chunk: (jobId: string, chunkIndex: number) => `${jobId}-chunk-${chunkIndex}`,
};
