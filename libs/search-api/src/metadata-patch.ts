import { metadataKeyProblem, type MetadataValue } from '@imgsearch/vector-store';

/** Metadata changes: values to set, `null` to remove a key. */
export type MetadataPatch = Record<string, MetadataValue | null>;

/** A metadata change that cannot be stored; the message names the key. */
export class MetadataPatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetadataPatchError';
  }
}

/**
 * Checks a PATCH's `metadata` as it came off the wire: keys by the vector store's rule
 * ({@link metadataKeyProblem}), values strings, finite numbers, booleans, or `null` to remove
 * the key. `1e400` parses to Infinity, which JSON cannot carry on (it would become `null`, a
 * removal), so it is refused rather than turned into something else.
 * @returns the patch in an object without a prototype, so that any key (`constructor`) is data
 * @throws MetadataPatchError
 */
export function parseMetadataPatch(value: unknown): MetadataPatch {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MetadataPatchError('metadata must be an object');
  }
  const patch = Object.create(null) as MetadataPatch;
  for (const [key, item] of Object.entries(value)) {
    const problem = metadataKeyProblem(key);
    if (problem !== undefined) {
      throw new MetadataPatchError(`metadata key "${key}" is not allowed: ${problem}`);
    }
    if (typeof item === 'number' && !Number.isFinite(item)) {
      throw new MetadataPatchError(`metadata.${key} must be a finite number`);
    }
    if (!isMetadataValue(item) && item !== null) {
      throw new MetadataPatchError(
        `metadata.${key} must be a string, number, boolean, or null to remove it; got ${JSON.stringify(item) ?? String(item)}`,
      );
    }
    patch[key] = item;
  }
  return patch;
}

function isMetadataValue(value: unknown): value is MetadataValue {
  return typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number';
}
