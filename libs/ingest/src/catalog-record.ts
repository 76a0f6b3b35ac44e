import type { MetadataValue } from './cell-value';

/** Metadata of one item, keyed by trimmed column header; empty cells are left out. */
export type CatalogMetadata = Record<string, MetadataValue>;

/**
 * One CSV row that became an item. `row` is the line of the file where the row starts
 * (header = 1, first data row = 2): the row number a spreadsheet shows, unless an earlier
 * cell spans several lines.
 */
export interface CatalogItem {
  kind: 'item';
  row: number;
  id: string;
  /** Image path as the CSV gives it (or the image template builds it), relative to `imageFolder`. */
  imagePath: string;
  metadata: CatalogMetadata;
}

/** A row that cannot become an item, or an item whose image cannot be used; never fatal to the upload. */
export interface CatalogRowError {
  kind: 'error';
  row: number;
  id?: string;
  /** The image path the row names, when it names one. */
  file?: string;
  reason: string;
}

export type CatalogRecord = CatalogItem | CatalogRowError;
