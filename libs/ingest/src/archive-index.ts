import type { CatalogItem, CatalogRowError } from './catalog-record';
import type { RefusedZipEntry, SafeZip } from './safe-zip.reader';

/** Where a CSV image path points inside the archive, or why it points nowhere. */
export type ImageResolution =
  { kind: 'found'; entry: string } | { kind: 'missing'; reason: string };

/** An item together with the archive entry that holds its image. */
export interface ResolvedItem {
  kind: 'resolved';
  item: CatalogItem;
  entry: string;
}

/**
 * Finds the archive entry for a row's image path. People zip a folder as often as its
 * contents, so the lookup tries, in order: the exact path (under `imageFolder` if the mapping
 * names one); the same path under the archive's single top folder, when every entry shares
 * one (`photos/astronaut.png` for `astronaut.png`); then either of those ignoring case, when
 * exactly one entry matches (catalogues made on Windows or macOS mix `.JPG` and `.jpg`).
 * A path that names a refused entry says why it was refused rather than "not found".
 */
export class ArchiveIndex {
  private readonly names: ReadonlySet<string>;
  private readonly refusedReasons: ReadonlyMap<string, string>;
  private readonly topFolder: string | undefined;
  private lowerCaseNames: Map<string, string[]> | undefined;

  /**
   * @param entryNames readable entry names, as `SafeZip.listEntries()` gives them.
   * @param refused entries the archive holds but may not be read, as `SafeZip.refusedEntries()` gives them.
   */
  constructor(entryNames: Iterable<string>, refused: Iterable<RefusedZipEntry> = []) {
    this.names = new Set(entryNames);
    this.refusedReasons = new Map(
      [...refused].map(({ name, reason }) => [normalizePath(name), reason]),
    );
    this.topFolder = singleTopFolder(this.names);
  }

  /** The index of an open archive, refused entries included. */
  static of(zip: Pick<SafeZip, 'listEntries' | 'refusedEntries'>): ArchiveIndex {
    return new ArchiveIndex(
      zip.listEntries().map((entry) => entry.name),
      zip.refusedEntries(),
    );
  }

  /** The one folder every entry sits in, if there is one. */
  get commonFolder(): string | undefined {
    return this.topFolder;
  }

  resolve(imagePath: string, imageFolder?: string): ImageResolution {
    const wanted = joinPath(imageFolder, normalizePath(imagePath));
    const candidates = [wanted];
    if (this.topFolder !== undefined && !wanted.startsWith(`${this.topFolder}/`)) {
      candidates.push(`${this.topFolder}/${wanted}`);
    }
    const exact = candidates.find((candidate) => this.names.has(candidate));
    if (exact !== undefined) return { kind: 'found', entry: exact };
    const refusal = candidates.map((candidate) => this.refusedReasons.get(candidate)).find(Boolean);
    if (refusal !== undefined) {
      return { kind: 'missing', reason: `image "${imagePath}" was refused: it ${refusal}` };
    }
    return this.resolveIgnoringCase(imagePath, candidates);
  }

  /** Resolves an item's image, or turns it into the row error the job report shows. */
  resolveItem(item: CatalogItem, imageFolder?: string): ResolvedItem | CatalogRowError {
    const resolution = this.resolve(item.imagePath, imageFolder);
    if (resolution.kind === 'found') return { kind: 'resolved', item, entry: resolution.entry };
    return {
      kind: 'error',
      row: item.row,
      id: item.id,
      file: item.imagePath,
      reason: resolution.reason,
    };
  }

  private resolveIgnoringCase(imagePath: string, candidates: readonly string[]): ImageResolution {
    const byLowerCase = this.lowerCaseIndex();
    for (const candidate of candidates) {
      const matches = byLowerCase.get(candidate.toLowerCase()) ?? [];
      if (matches.length === 1) return { kind: 'found', entry: matches[0] };
      if (matches.length > 1) {
        const list = matches.map((match) => `"${match}"`).join(', ');
        return {
          kind: 'missing',
          reason: `image "${imagePath}" is ambiguous in the archive: it matches ${list} but for case`,
        };
      }
    }
    return { kind: 'missing', reason: `image "${imagePath}" not found in the archive` };
  }

  /** Built on the first miss only: most catalogues match exactly and never pay for it. */
  private lowerCaseIndex(): Map<string, string[]> {
    if (this.lowerCaseNames !== undefined) return this.lowerCaseNames;
    const index = new Map<string, string[]>();
    for (const name of this.names) {
      const key = name.toLowerCase();
      const bucket = index.get(key);
      if (bucket === undefined) index.set(key, [name]);
      else bucket.push(name);
    }
    this.lowerCaseNames = index;
    return index;
  }
}

/** CSV paths may use backslashes, a leading `./` or `/`; archive names never do. */
function normalizePath(path: string): string {
  return path
    .trim()
    .replace(/\\/g, '/')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
}

function joinPath(folder: string | undefined, path: string): string {
  return folder === undefined || folder === '' ? path : `${folder}/${path}`;
}

function singleTopFolder(names: ReadonlySet<string>): string | undefined {
  let folder: string | undefined;
  for (const name of names) {
    const slash = name.indexOf('/');
    if (slash === -1) return undefined;
    const top = name.slice(0, slash);
    if (folder !== undefined && folder !== top) return undefined;
    folder = top;
  }
  return folder;
}
