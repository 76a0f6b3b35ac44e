import type { ItemMetadata, WhereFilter } from '@imgsearch/vector-store';

/** What the query service answers; the gateway adds links before passing items on. */
export interface QueryItem {
  id: string;
  metadata: ItemMetadata;
}

export interface QueryResult extends QueryItem {
  /** Cosine similarity in [-1, 1]. */
  score: number;
}

export interface QueryResults {
  results: QueryResult[];
}

export interface QueryItemsById {
  items: QueryItem[];
  missing: string[];
}

export interface QueryItemPage {
  items: QueryItem[];
  nextCursor: string | null;
}

export interface QueryDeletion {
  deleted: string[];
  missing: string[];
}

/** Options every search takes; the query service checks `where` against Chroma's grammar. */
export interface SearchOptions {
  topK?: number;
  where?: WhereFilter;
  minScore?: number;
}

export interface ItemsQuery {
  ids?: string[];
  limit?: number;
  cursor?: string;
  where?: WhereFilter;
}

/** An uploaded picture, as multer hands it over (memory storage). */
export interface ImageUpload {
  buffer: Buffer;
  mimetype?: string;
  originalname?: string;
}
