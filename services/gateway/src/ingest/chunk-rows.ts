/** Splits `rows` into slices of `size`, in order; the last one holds what is left. */
export function chunkRows<T>(rows: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`chunk size must be a positive integer (got ${size})`);
  }
  const chunks: T[][] = [];
  for (let start = 0; start < rows.length; start += size)
    chunks.push(rows.slice(start, start + size));
  return chunks;
}

/** Rows in chunk `index` when `resolved` rows were cut into chunks of `size`. */
export function rowsInChunk(resolved: number, size: number, index: number): number {
  return Math.max(0, Math.min(size, resolved - index * size));
}
