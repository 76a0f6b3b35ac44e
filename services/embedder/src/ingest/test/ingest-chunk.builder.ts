import type { IngestChunkPayload, IngestMetadata, IngestRow } from '@imgsearch/queue';

/** A catalogue row as the gateway puts it in a chunk; row numbers start at 2 (after the header). */
export function anIngestRow(index: number, overrides: Partial<IngestRow> = {}): IngestRow {
  const id = overrides.id ?? `item-${index}`;
  return {
    row: index + 2,
    id,
    entry: `photos/${id}.jpg`,
    metadata: { title: `Item ${index}`, price: index * 10 },
    ...overrides,
  };
}

/** Builds the payload of one chunk job. */
export class ChunkPayloadBuilder {
  private jobId = 'job-1';
  private chunkIndex = 0;
  private archiveKey = 'uploads/job-1/archive.zip';
  private readonly rows: IngestRow[] = [];

  /** Adds `count` ordinary rows. */
  withRows(count: number): this {
    for (let i = 0; i < count; i += 1) this.rows.push(anIngestRow(this.rows.length));
    return this;
  }

  /** Adds one row; `entry` names its file in the archive. */
  withRow(id: string, entry = `photos/${id}.jpg`, metadata?: IngestMetadata): this {
    this.rows.push(anIngestRow(this.rows.length, { id, entry, ...(metadata ? { metadata } : {}) }));
    return this;
  }

  ofJob(jobId: string, chunkIndex = 0): this {
    this.jobId = jobId;
    this.chunkIndex = chunkIndex;
    return this;
  }

  build(): IngestChunkPayload {
    return {
      jobId: this.jobId,
      chunkIndex: this.chunkIndex,
      archiveKey: this.archiveKey,
      rows: [...this.rows],
    };
  }
}

export const aChunk = () => new ChunkPayloadBuilder();
