/** A metadata value as Chroma stores it. */
export type MetadataValue = string | number | boolean;
export type ItemMetadata = Record<string, MetadataValue>;

/** The model whose vectors a collection holds; vectors of two models never mix. */
export interface ModelSignature {
  model: string;
  dimension: number;
}

export interface ImageVector {
  id: string;
  embedding: Float32Array;
  metadata: ItemMetadata;
  /** Storage key of the original image. */
  imageKey: string;
}

export interface StoredItem {
  id: string;
  metadata: ItemMetadata;
  imageKey: string;
}

export interface ScoredItem extends StoredItem {
  /** Cosine similarity in [-1, 1]. */
  score: number;
}

/** Chroma's metadata filter (`$eq $ne $gt $gte $lt $lte $in $nin $and $or`). */
export type WhereFilter = Record<string, unknown>;

export interface NearestQuery {
  embedding: Float32Array;
  topK: number;
  where?: WhereFilter;
  /** Items left out of the results (the item itself, for "similar"). */
  excludeIds?: string[];
}

export class ModelMismatchError extends Error {
  constructor(collection: string, stored: Partial<ModelSignature>, wanted: ModelSignature) {
    super(
      `collection "${collection}" holds vectors of model "${stored.model}" (${stored.dimension}-d), ` +
        `not "${wanted.model}" (${wanted.dimension}-d); use another CHROMA_COLLECTION or the same model`,
    );
    this.name = 'ModelMismatchError';
  }
}

/** A `where` filter Chroma refused; the message says why. */
export class InvalidFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidFilterError';
  }
}
