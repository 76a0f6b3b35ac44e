import type { IngestRow, IngestRowError } from '@imgsearch/queue';
import { performance } from 'node:perf_hooks';
import { mapBounded, slices } from './bounded-map';
import type { ArchiveLease, ImageEncoder, PipelineMetrics, ThumbnailMaker } from './ingest.ports';
import { rowError, rowProblem } from './row-problem';

/** Options of {@link ImagePipeline}. */
export interface ImagePipelineOptions {
  /**
   * Most pictures per vision-encoder run (`EMBED_BATCH_SIZE`, default 32). Larger batches keep
   * the CPU or GPU busier; two batches of decoded pixels are held in memory at once.
   */
  readonly batchSize: number;
  /**
   * Pictures read and decoded at once while the encoder runs (`DECODE_CONCURRENCY`, default 4).
   * Decoding runs on libuv's thread pool, whose size (UV_THREADPOOL_SIZE) caps the useful value.
   */
  readonly decodeConcurrency: number;
}

/** A row whose picture was embedded, with the files to store for it. */
export interface EmbeddedImage {
  readonly row: IngestRow;
  /** The entry's bytes as found in the archive. */
  readonly original: Buffer;
  /** A small JPEG of the picture. */
  readonly thumbnail: Buffer;
  readonly embedding: Float32Array;
}

interface DecodedImage {
  readonly row: IngestRow;
  readonly original: Buffer;
  readonly thumbnail: Buffer;
  readonly pixels: Float32Array;
}

interface DecodedBatch {
  readonly images: DecodedImage[];
  readonly errors: IngestRowError[];
}

/**
 * Reads rows' pictures from an archive, decodes them and runs them through the vision encoder
 * in batches. A row whose entry cannot be read or whose picture cannot be decoded becomes a row
 * error; any other error is a fault and rejects the run.
 */
export class ImagePipeline {
  constructor(
    private readonly encoder: ImageEncoder,
    private readonly thumbnails: ThumbnailMaker,
    private readonly metrics: PipelineMetrics,
    private readonly options: ImagePipelineOptions,
  ) {
    for (const name of ['batchSize', 'decodeConcurrency'] as const) {
      const value = options[name];
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(
          `ImagePipeline option ${name} must be a positive integer, got ${value}`,
        );
      }
    }
  }

  /**
   * Embeds `rows`, handing each embedded batch to `store` before the next batch is embedded.
   * Nothing reads `archive` once the returned promise settles.
   * @returns the rows that could not be embedded, in row order
   */
  async run(
    rows: readonly IngestRow[],
    archive: ArchiveLease,
    store: (batch: EmbeddedImage[]) => Promise<void>,
  ): Promise<IngestRowError[]> {
    const batches = slices(rows, this.options.batchSize);
    if (batches.length === 0) return [];
    const errors: IngestRowError[] = [];
    // Decoding runs on libuv's thread pool and inference on ONNX Runtime's own threads, so both
    // can work at once: while batch n is embedded and stored, batch n+1 is read and decoded.
    // Decoding only one batch ahead bounds the pixels held in memory to two batches.
    let ahead: Promise<DecodedBatch> | undefined = this.decode(batches[0]!, archive);
    try {
      for (let index = 0; index < batches.length; index += 1) {
        const decoded = await ahead!;
        const next = batches[index + 1];
        ahead = next === undefined ? undefined : this.decode(next, archive);
        errors.push(...decoded.errors);
        if (decoded.images.length > 0) await store(await this.embed(decoded.images));
      }
    } finally {
      // After a fault the batch decoding ahead is abandoned, but it still reads the archive,
      // which the caller releases once this returns; its own failure no longer matters.
      await ahead?.catch(() => undefined);
    }
    return errors;
  }

  private async decode(rows: readonly IngestRow[], archive: ArchiveLease): Promise<DecodedBatch> {
    const results = await mapBounded(rows, this.options.decodeConcurrency, (row) =>
      this.decodeOne(row, archive),
    );
    const images: DecodedImage[] = [];
    const errors: IngestRowError[] = [];
    for (const result of results) {
      if ('reason' in result) errors.push(result);
      else images.push(result);
    }
    return { images, errors };
  }

  private async decodeOne(
    row: IngestRow,
    archive: ArchiveLease,
  ): Promise<DecodedImage | IngestRowError> {
    const started = performance.now();
    try {
      const original = await archive.readEntry(row.entry);
      // The encoder first: its verdict on a bad picture is the one reported.
      const pixels = await this.encoder.preprocessImage(original);
      const thumbnail = await this.thumbnails.make(original);
      return { row, original, thumbnail, pixels };
    } catch (error) {
      const reason = rowProblem(error);
      if (reason === undefined) throw error;
      return rowError(row, reason);
    } finally {
      this.metrics.imageDecoded(secondsSince(started));
    }
  }

  private async embed(images: readonly DecodedImage[]): Promise<EmbeddedImage[]> {
    const started = performance.now();
    const embeddings = await this.encoder.embedPixels(images.map((image) => image.pixels));
    this.metrics.batchEmbedded(images.length, secondsSince(started));
    return images.map(({ row, original, thumbnail }, index) => ({
      row,
      original,
      thumbnail,
      embedding: embeddings[index]!,
    }));
  }
}

function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}
