import type { ChunkOutcome, IngestProgressStore } from '@imgsearch/queue';
import type { ImageVector } from '@imgsearch/vector-store';

/**
 * What the ingest processors need from the outside world. Each port is met by one adapter per
 * technology (SafeZip, ClipModel over ONNX Runtime, sharp, FileStorage, Chroma, Redis), so the
 * processors never import those libraries and are tested with plain doubles.
 */

/** An open archive, borrowed from an {@link ArchiveSource} until {@link release}. */
export interface ArchiveLease {
  /**
   * The bytes of one entry.
   * @throws ZipEntryError when that entry is missing, refused, too large or damaged
   */
  readEntry(name: string): Promise<Buffer>;
  /** Gives the archive back; it may be closed once nobody holds it. */
  release(): void;
}

export interface ArchiveSource {
  /**
   * Opens (or reuses) the uploaded archive stored under `archiveKey`.
   * @throws ZipArchiveError when the archive cannot be used at all
   */
  acquire(archiveKey: string): Promise<ArchiveLease>;
}

/** The vision side of CLIP; `ClipModel` fits as is. */
export interface ImageEncoder {
  /**
   * The encoder's input for one picture.
   * @throws ImageDecodeError when the bytes are no usable picture
   */
  preprocessImage(image: Buffer): Promise<Float32Array>;
  /** One inference run; L2-normalized embeddings in the order of `pixels`. */
  embedPixels(pixels: readonly Float32Array[]): Promise<Float32Array[]>;
}

export interface ThumbnailMaker {
  /**
   * A small JPEG of the picture.
   * @throws ImageDecodeError when the bytes are no usable picture
   */
  make(image: Buffer): Promise<Buffer>;
}

/** Where originals and thumbnails go; `FileStorage` fits as is. */
export interface ItemFiles {
  write(key: string, data: Buffer): Promise<void>;
}

/** Where vectors go; `ChromaImageRepository` fits as is. */
export interface VectorSink {
  upsert(vectors: ImageVector[]): Promise<void>;
}

/** The progress a chunk reports; `IngestProgressStore` fits as is. */
export type ChunkProgress = Pick<IngestProgressStore, 'isCancelled' | 'recordChunk'>;

/** The progress the catalogue job settles from; `IngestProgressStore` fits as is. */
export type CatalogProgress = Pick<
  IngestProgressStore,
  'isCancelled' | 'recordChunk' | 'read' | 'errors'
>;

/** Measurements of the embedding pipeline. */
export interface PipelineMetrics {
  /** One picture read, decoded, preprocessed and thumbnailed. */
  imageDecoded(seconds: number): void;
  /** One run of the vision encoder. */
  batchEmbedded(size: number, seconds: number): void;
  /** A chunk's outcome, counted once per chunk however often it ran. */
  chunkRecorded(outcome: ChunkOutcome): void;
}
