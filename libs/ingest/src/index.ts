export { ArchiveIndex, type ImageResolution, type ResolvedItem } from './archive-index';
export { CatalogCsvError, type CatalogCsvProblem } from './catalog-csv.error';
export {
  CatalogCsvReader,
  DEFAULT_MAX_RECORD_BYTES,
  DEFAULT_MAX_ROWS,
  type CatalogCsvContents,
  type CatalogCsvOptions,
} from './catalog-csv.reader';
export type {
  CatalogItem,
  CatalogMetadata,
  CatalogRecord,
  CatalogRowError,
} from './catalog-record';
export { toMetadataValue, type MetadataValue } from './cell-value';
export { ColumnTemplate } from './column-template';
export { formatBytes } from './format-bytes';
export {
  CatalogMappingError,
  DEFAULT_CATALOG_MAPPING,
  parseCatalogMapping,
  requiredColumns,
  validateHeader,
  type CatalogMapping,
} from './csv-mapping';
export {
  ZipArchiveError,
  ZipEntryError,
  type ZipArchiveProblem,
  type ZipEntryProblem,
} from './safe-zip.errors';
export { DEFAULT_SAFE_ZIP_LIMITS, type SafeZipLimits } from './safe-zip.limits';
export { SafeZip, type RefusedZipEntry, type SafeZipEntry } from './safe-zip.reader';
