import type { MetadataPatch } from '@imgsearch/search-api';
import type { ItemMetadata, MetadataValue } from '@imgsearch/vector-store';

/** A metadata change that Chroma could not store; the message names the key. */
export class MetadataPatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetadataPatchError';
  }
}

/**
 * Checks a PATCH's `metadata`: values are strings, finite numbers, booleans, or `null` to remove
 * the key. Chroma refuses empty keys and keys starting with `$` or `#` (its own), so they are
 * refused here with a clearer message.
 * @throws MetadataPatchError
 */
export function parseMetadataPatch(value: unknown): MetadataPatch {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MetadataPatchError('metadata must be an object');
  }
  for (const [key, item] of Object.entries(value)) {
    if (key === '' || key.startsWith('$') || key.startsWith('#')) {
      throw new MetadataPatchError(
        `metadata: key "${key}" is not allowed; keys must not be empty or start with "$" or "#"`,
      );
    }
    if (!isMetadataValue(item) && item !== null) {
      throw new MetadataPatchError(
        `metadata.${key}: must be a string, number, boolean, or null to remove it; got ${JSON.stringify(item) ?? String(item)}`,
      );
    }
  }
  return value as MetadataPatch;
}

/** The metadata after the patch: given keys set, `null` keys removed, the rest untouched. */
export function applyMetadataPatch(current: ItemMetadata, patch: MetadataPatch): ItemMetadata {
  const next: ItemMetadata = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

function isMetadataValue(value: unknown): value is MetadataValue {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}
