/** What to do with one name from a ZIP's central directory. */
export type EntryNameVerdict =
  | { kind: 'file'; name: string }
  | { kind: 'ignored'; why: 'directory' | 'macos-metadata' | 'hidden' }
  | { kind: 'refused'; reason: string };

/**
 * Sorts a raw entry name into a file we may read, an entry to skip silently (folders, the
 * `__MACOSX/` resource forks and dot files such as `.DS_Store` that Finder adds to every ZIP),
 * or a refused entry: one that would land outside the folder it is extracted into.
 * Backslashes count as separators, as old Windows tools wrote them, so `..\\x` is caught too.
 * The returned name has `.` and empty segments dropped (`./a//b.png` -> `a/b.png`).
 */
export function classifyEntryName(raw: string): EntryNameVerdict {
  if (raw === '') return { kind: 'refused', reason: 'has an empty name' };
  if (raw.includes('\0')) return { kind: 'refused', reason: 'has a NUL character in its name' };
  const slashed = raw.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[a-zA-Z]:/.test(slashed)) {
    return { kind: 'refused', reason: 'has an absolute path' };
  }
  const segments = slashed.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) {
    return { kind: 'refused', reason: 'has a path that climbs out of the archive ("..")' };
  }
  if (slashed.endsWith('/') || segments.length === 0) return { kind: 'ignored', why: 'directory' };
  if (segments[0] === '__MACOSX') return { kind: 'ignored', why: 'macos-metadata' };
  const hidden = segments.some((segment) => segment.startsWith('.'));
  if (hidden) return { kind: 'ignored', why: 'hidden' };
  return { kind: 'file', name: segments.join('/') };
}
