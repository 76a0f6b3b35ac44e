export { ChromaImageRepository, type ChromaConnection } from './chroma-image.repository';
export { metadataKeyProblem } from './metadata-key';
export {
  InvalidFilterError,
  ModelMismatchError,
  type ImageVector,
  type ItemMetadata,
  type MetadataValue,
  type ModelSignature,
  type NearestQuery,
  type ScoredItem,
  type StoredItem,
  type WhereFilter,
} from './vector-store.types';
