import type { MetadataPatch } from '@imgsearch/search-api';
import type { ItemMetadata } from '@imgsearch/vector-store';

/**
 * The metadata after the patch: given keys set, `null` keys removed, the rest untouched. Built
 * without a prototype, so that every key (`constructor`, `toString`) is plain data.
 */
export function applyMetadataPatch(current: ItemMetadata, patch: MetadataPatch): ItemMetadata {
  const next = Object.assign(Object.create(null) as ItemMetadata, current);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

/** The keys the patch removes that `current` holds; inherited names such as `constructor` are not held. */
export function removedKeys(current: ItemMetadata, patch: MetadataPatch): string[] {
  return Object.keys(patch).filter((key) => patch[key] === null && Object.hasOwn(current, key));
}

/** The values the patch sets, removals left out. */
export function keysToSet(patch: MetadataPatch): ItemMetadata {
  const set = Object.create(null) as ItemMetadata;
  for (const [key, value] of Object.entries(patch)) if (value !== null) set[key] = value;
  return set;
}
