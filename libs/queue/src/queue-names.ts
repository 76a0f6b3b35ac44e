/** Every queue the system uses; producers and consumers share these names. */
export enum QueueName {
  Ingest = 'ingest',
}

export enum IngestJobName {
  /** Parent job of one upload; completes when every chunk has. */
  Catalog = 'ingest-catalog',
  /** A slice of the catalogue's rows, embedded by one worker. */
  Chunk = 'ingest-chunk',
}
