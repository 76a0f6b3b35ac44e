const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Bounds on what {@link SafeZip} will list and inflate; every one is checked while inflating too. */
export interface SafeZipLimits {
  /** Most entries in the central directory, folders and ignored entries included. Default 2,000,000. */
  maxEntries: number;
  /** Largest uncompressed size of one entry. Default 50 MiB. */
  maxEntryBytes: number;
  /** Most uncompressed bytes of all accepted entries together, and most one reader inflates. Default 50 GiB. */
  maxTotalBytes: number;
  /** Highest uncompressed:compressed ratio of an entry larger than `ratioMinBytes`. Default 200 (photos rarely pass 10). */
  maxCompressionRatio: number;
  /** Entries up to this size skip the ratio check: a small flat image may compress 1000:1 harmlessly. Default 1 MiB. */
  ratioMinBytes: number;
}

export const DEFAULT_SAFE_ZIP_LIMITS: Readonly<SafeZipLimits> = Object.freeze({
  maxEntries: 2_000_000,
  maxEntryBytes: 50 * MiB,
  maxTotalBytes: 50 * GiB,
  maxCompressionRatio: 200,
  ratioMinBytes: 1 * MiB,
});

/** Fills in defaults; throws a `RangeError` naming the first limit that is not a positive number. */
export function resolveZipLimits(limits: Partial<SafeZipLimits> = {}): SafeZipLimits {
  const resolved = { ...DEFAULT_SAFE_ZIP_LIMITS, ...dropUndefined(limits) };
  for (const [name, value] of Object.entries(resolved)) {
    if (typeof value !== 'number' || !(value > 0)) {
      throw new RangeError(
        `SafeZip limit ${name} must be a positive number (got ${String(value)})`,
      );
    }
  }
  return resolved;
}

function dropUndefined(limits: Partial<SafeZipLimits>): Partial<SafeZipLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined));
}
