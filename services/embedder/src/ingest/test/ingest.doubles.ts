import { ImageDecodeError } from '@imgsearch/clip';
import { ZipEntryError } from '@imgsearch/ingest';
import type { ChunkOutcome, IngestProgress, IngestRow, IngestRowError } from '@imgsearch/queue';
import type { ImageVector } from '@imgsearch/vector-store';
import type {
  ArchiveLease,
  ArchiveSource,
  CatalogProgress,
  ImageEncoder,
  ItemFiles,
  PipelineMetrics,
  ThumbnailMaker,
} from '../ingest.ports';

/** Bytes the fake encoder refuses to decode. */
export const NOT_AN_IMAGE = Buffer.from('this is not an image');

/** The bytes a fake archive holds for an entry. */
export const imageBytes = (entry: string) => Buffer.from(`image of ${entry}`);

/** Shared log of what the doubles did, to check the order of events across them. */
export class EventLog {
  readonly events: string[] = [];

  add(event: string): void {
    this.events.push(event);
  }

  indexOf(event: string): number {
    const index = this.events.indexOf(event);
    if (index < 0) throw new Error(`no event "${event}" in ${JSON.stringify(this.events)}`);
    return index;
  }
}

/** An archive with the entries given; others are missing, `corrupt` ones fail their checksum. */
export class FakeArchives implements ArchiveSource {
  private readonly entries = new Map<string, Buffer>();
  private readonly corrupt = new Set<string>();
  acquired = 0;
  released = 0;
  failure?: Error;

  constructor(private readonly log = new EventLog()) {}

  /** Adds the rows' entries as readable pictures. */
  withImagesOf(rows: readonly IngestRow[]): this {
    for (const row of rows) this.entries.set(row.entry, imageBytes(row.entry));
    return this;
  }

  withEntry(name: string, data: Buffer): this {
    this.entries.set(name, data);
    return this;
  }

  without(name: string): this {
    this.entries.delete(name);
    return this;
  }

  withCorruptEntry(name: string): this {
    this.corrupt.add(name);
    return this;
  }

  failingToOpen(error: Error): this {
    this.failure = error;
    return this;
  }

  async acquire(): Promise<ArchiveLease> {
    if (this.failure) throw this.failure;
    this.acquired += 1;
    return {
      readEntry: async (name) => this.read(name),
      release: () => {
        this.released += 1;
      },
    };
  }

  private read(name: string): Buffer {
    this.log.add(`read ${name}`);
    if (this.corrupt.has(name)) {
      throw new ZipEntryError(
        name,
        'corrupt',
        `entry "${name}" fails its checksum: the archive is damaged`,
      );
    }
    const data = this.entries.get(name);
    if (!data) throw new ZipEntryError(name, 'not-found', `no entry "${name}" in the archive`);
    return data;
  }
}

/**
 * Stands in for CLIP: "pixels" hold the bytes' length, an embedding is [length, batch index].
 * Inference takes `inferenceMs`, so decoding can be seen running during it.
 */
export class FakeEncoder implements ImageEncoder {
  readonly batchSizes: number[] = [];
  inferenceMs = 0;
  failure?: Error;

  constructor(private readonly log = new EventLog()) {}

  async preprocessImage(image: Buffer): Promise<Float32Array> {
    this.log.add(`decode ${image.toString()}`);
    if (image.equals(NOT_AN_IMAGE)) throw new ImageDecodeError('unsupported image format');
    return Float32Array.of(image.length);
  }

  async embedPixels(pixels: readonly Float32Array[]): Promise<Float32Array[]> {
    const batch = this.batchSizes.push(pixels.length);
    this.log.add(`embed ${batch} start`);
    await new Promise((resolve) => setTimeout(resolve, this.inferenceMs));
    if (this.failure) throw this.failure;
    this.log.add(`embed ${batch} end`);
    return pixels.map((picture) => Float32Array.of(picture[0]!, batch));
  }
}

export class FakeThumbnails implements ThumbnailMaker {
  async make(image: Buffer): Promise<Buffer> {
    return Buffer.concat([Buffer.from('thumbnail of '), image]);
  }
}

export class FakeItemFiles implements ItemFiles {
  readonly files = new Map<string, Buffer>();
  failure?: Error;

  async write(key: string, data: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    this.files.set(key, data);
  }
}

/** Keeps upserts by id, as Chroma does; can fail from the n-th call on. */
export class FakeVectorSink {
  readonly calls: ImageVector[][] = [];
  readonly items = new Map<string, ImageVector>();
  private failFrom = Infinity;
  private failure?: Error;

  constructor(private readonly log = new EventLog()) {}

  /** Makes the `call`-th upsert (1-based) and every later one fail with `error`. */
  failingFrom(call: number, error: Error): this {
    this.failFrom = call;
    this.failure = error;
    return this;
  }

  recovers(): this {
    this.failFrom = Infinity;
    return this;
  }

  async upsert(vectors: ImageVector[]): Promise<void> {
    this.calls.push(vectors);
    this.log.add(`upsert ${vectors.map((vector) => vector.id).join(',')}`);
    if (this.calls.length >= this.failFrom) throw this.failure;
    for (const vector of vectors) this.items.set(vector.id, vector);
  }
}

/** The progress store in memory, with its once-per-chunk rule. */
export class FakeProgress implements CatalogProgress {
  readonly recorded = new Map<string, ChunkOutcome>();
  private readonly cancelled = new Set<string>();
  private readonly progress = new Map<string, IngestProgress>();
  private readonly errorList = new Map<string, IngestRowError[]>();
  failure?: Error;

  constructor(private readonly log = new EventLog()) {}

  start(jobId: string, total: number, refused: IngestRowError[] = []): this {
    this.progress.set(jobId, { total, embedded: 0, skipped: 0, failed: refused.length });
    this.errorList.set(jobId, [...refused]);
    return this;
  }

  cancel(jobId: string): this {
    this.cancelled.add(jobId);
    return this;
  }

  async isCancelled(jobId: string): Promise<boolean> {
    return this.cancelled.has(jobId);
  }

  async recordChunk(jobId: string, chunkIndex: number, outcome: ChunkOutcome): Promise<boolean> {
    this.log.add(`record chunk ${chunkIndex}`);
    if (this.failure) throw this.failure;
    const key = `${jobId}/${chunkIndex}`;
    if (this.recorded.has(key)) return false;
    this.recorded.set(key, outcome);
    const progress = this.progress.get(jobId) ?? { total: 0, embedded: 0, skipped: 0, failed: 0 };
    this.progress.set(jobId, {
      total: progress.total,
      embedded: progress.embedded + outcome.embedded,
      skipped: progress.skipped + outcome.skipped,
      failed: progress.failed + outcome.failed,
    });
    this.errorList.set(jobId, [...(this.errorList.get(jobId) ?? []), ...outcome.errors]);
    return true;
  }

  async read(jobId: string): Promise<IngestProgress | undefined> {
    return this.progress.get(jobId);
  }

  async errors(jobId: string, offset = 0, limit = -1): Promise<IngestRowError[]> {
    const all = this.errorList.get(jobId) ?? [];
    return limit < 0 ? all.slice(offset) : all.slice(offset, offset + limit);
  }

  outcomeOf(jobId: string, chunkIndex = 0): ChunkOutcome | undefined {
    return this.recorded.get(`${jobId}/${chunkIndex}`);
  }
}

export class RecordingMetrics implements PipelineMetrics {
  decoded = 0;
  readonly batches: number[] = [];
  readonly chunks: ChunkOutcome[] = [];

  imageDecoded(): void {
    this.decoded += 1;
  }

  batchEmbedded(size: number): void {
    this.batches.push(size);
  }

  chunkRecorded(outcome: ChunkOutcome): void {
    this.chunks.push(outcome);
  }
}
