import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import * as yauzl from 'yauzl';
import { formatBytes } from './format-bytes';
import { ZipArchiveError, ZipEntryError } from './safe-zip.errors';
import { resolveZipLimits, type SafeZipLimits } from './safe-zip.limits';
import { classifyEntryName } from './zip-entry-name';

/** A file entry that may be read. */
export interface SafeZipEntry {
  /** Path inside the archive, `/`-separated, without `.` or empty segments. */
  name: string;
  compressedSize: number;
  /** As the header declares it; reading enforces it. */
  uncompressedSize: number;
}

/** An entry listed but never read, with the reason in words. */
export interface RefusedZipEntry {
  /** The name as the archive spells it. */
  name: string;
  reason: string;
}

interface StoredEntry extends SafeZipEntry {
  offset: number;
  method: number;
  crc32: number;
}

const STORED = 0;
const DEFLATED = 8;

/**
 * Reads single entries of a ZIP on disk by random access through the central directory; the
 * archive is never loaded whole. Entries that could escape the extraction folder, or whose
 * declared sizes break the limits, are refused and listed with a reason; every read counts
 * the bytes actually inflated, so a header that lies is caught too.
 */
export class SafeZip {
  private readonly byName: ReadonlyMap<string, StoredEntry>;
  private readonly refusedByName: ReadonlyMap<string, string>;
  private inflatedBytes = 0;

  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly limits: SafeZipLimits,
    private readonly entries: readonly StoredEntry[],
    private readonly refused: readonly RefusedZipEntry[],
  ) {
    this.byName = new Map(entries.map((entry) => [entry.name, entry]));
    this.refusedByName = new Map(refused.map((entry) => [entry.name, entry.reason]));
  }

  /**
   * Opens an archive and reads its central directory.
   * @throws ZipArchiveError when it is no readable ZIP, has too many entries, or inflates past `maxTotalBytes`.
   */
  static async open(path: string, limits: Partial<SafeZipLimits> = {}): Promise<SafeZip> {
    const resolved = resolveZipLimits(limits);
    const zip = await openArchive(path);
    try {
      if (zip.entryCount > resolved.maxEntries) {
        throw new ZipArchiveError(
          'too-many-entries',
          `the archive has ${zip.entryCount} entries, over the limit of ${resolved.maxEntries}`,
        );
      }
      const { entries, refused } = await readCentralDirectory(zip, resolved);
      return new SafeZip(zip, resolved, entries, refused);
    } catch (error) {
      zip.close();
      throw error;
    }
  }

  /** The entries that may be read, in archive order (folders, `__MACOSX/` and dot files left out). */
  listEntries(): readonly SafeZipEntry[] {
    return this.entries;
  }

  /** The entries refused by name or by size, each with its reason. */
  refusedEntries(): readonly RefusedZipEntry[] {
    return this.refused;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /**
   * Inflates one entry into memory, at most `maxEntryBytes`.
   * @throws ZipEntryError when the entry is missing, refused, over a limit, or corrupt.
   */
  async readEntry(name: string): Promise<Buffer> {
    const entry = this.byName.get(name);
    if (entry === undefined) throw this.unreadable(name);
    let stream: Readable;
    try {
      stream = await this.openStream(entry);
    } catch (error) {
      throw corrupt(name, error);
    }
    const data = await this.drain(entry, stream);
    if (crc32(data) !== entry.crc32) {
      throw new ZipEntryError(
        name,
        'corrupt',
        `entry "${name}" fails its checksum: the archive is damaged`,
      );
    }
    return data;
  }

  /** Closes the file; reads in flight fail. */
  close(): void {
    this.zip.close();
  }

  private unreadable(name: string): ZipEntryError {
    const reason = this.refusedByName.get(name);
    if (reason === undefined) {
      return new ZipEntryError(name, 'not-found', `no entry "${name}" in the archive`);
    }
    return new ZipEntryError(name, 'refused', `entry "${name}" was refused: it ${reason}`);
  }

  private async openStream(entry: StoredEntry): Promise<Readable> {
    const header = Object.assign(new yauzl.Entry(), {
      relativeOffsetOfLocalHeader: entry.offset,
      compressedSize: entry.compressedSize,
    });
    const { fileDataStart } = await this.zip.readLocalFileHeaderPromise(header, { minimal: true });
    const { compressedSize, uncompressedSize, method } = entry;
    // validateEntrySizes (on by default) makes yauzl fail a stream that inflates past the declared size.
    // Not openReadStreamLowLevelPromise: in yauzl 3.4 it calls openReadStream by mistake.
    return new Promise((resolve, reject) => {
      this.zip.openReadStreamLowLevel(
        fileDataStart,
        compressedSize,
        0,
        compressedSize,
        method === DEFLATED,
        uncompressedSize,
        (error, stream) => (error ? reject(error) : resolve(stream)),
      );
    });
  }

  private drain(entry: StoredEntry, stream: Readable): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      let settled = false;
      const fail = (error: ZipEntryError) => {
        if (settled) return;
        settled = true;
        stream.destroy();
        reject(error);
      };
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        this.inflatedBytes += chunk.length;
        const problem = this.inflationProblem(entry, bytes);
        if (problem === undefined) chunks.push(chunk);
        else
          fail(
            new ZipEntryError(
              entry.name,
              'too-large',
              `entry "${entry.name}" was refused while inflating: it ${problem}`,
            ),
          );
      });
      stream.on('error', (error) => fail(corrupt(entry.name, error)));
      stream.on('end', () => {
        if (settled) return;
        settled = true;
        resolve(Buffer.concat(chunks, bytes));
      });
    });
  }

  private inflationProblem(entry: StoredEntry, bytes: number): string | undefined {
    const { maxEntryBytes, maxTotalBytes } = this.limits;
    if (bytes > maxEntryBytes) {
      return `inflates past the ${formatBytes(maxEntryBytes)} limit per entry`;
    }
    const ratio = ratioProblem(bytes, entry.compressedSize, this.limits);
    if (ratio !== undefined) return ratio;
    if (this.inflatedBytes > maxTotalBytes) {
      return `takes this reader past the ${formatBytes(maxTotalBytes)} limit in total`;
    }
    return undefined;
  }
}

async function openArchive(path: string): Promise<yauzl.ZipFile> {
  try {
    // decodeStrings: false, because yauzl fails the whole listing on one unsafe name;
    // names are decoded and judged here instead, so such entries are only refused.
    return await yauzl.openPromise(path, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false,
      validateEntrySizes: true,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) throw error;
    throw new ZipArchiveError(
      'unreadable',
      `the file is not a readable ZIP archive: ${(error as Error).message}`,
    );
  }
}

async function readCentralDirectory(
  zip: yauzl.ZipFile,
  limits: SafeZipLimits,
): Promise<{ entries: StoredEntry[]; refused: RefusedZipEntry[] }> {
  const entries: StoredEntry[] = [];
  const refused: RefusedZipEntry[] = [];
  const names = new Set<string>();
  let totalBytes = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const raw = yauzl.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        true,
      );
      const verdict = classifyEntryName(raw);
      if (verdict.kind === 'ignored') continue;
      if (verdict.kind === 'refused') {
        refused.push({ name: raw, reason: verdict.reason });
        continue;
      }
      const reason = entryProblem(entry, verdict.name, names, limits);
      if (reason !== undefined) {
        refused.push({ name: raw, reason });
        continue;
      }
      names.add(verdict.name);
      totalBytes += entry.uncompressedSize;
      entries.push({
        name: verdict.name,
        compressedSize: entry.compressedSize,
        uncompressedSize: entry.uncompressedSize,
        offset: entry.relativeOffsetOfLocalHeader,
        method: entry.compressionMethod,
        crc32: entry.crc32,
      });
    }
  } catch (error) {
    throw new ZipArchiveError(
      'unreadable',
      `the archive's central directory cannot be read: ${(error as Error).message}`,
    );
  }
  if (totalBytes > limits.maxTotalBytes) {
    throw new ZipArchiveError(
      'too-large',
      `the archive inflates to ${formatBytes(totalBytes)}, over the ${formatBytes(limits.maxTotalBytes)} limit`,
    );
  }
  return { entries, refused };
}

function entryProblem(
  entry: yauzl.Entry,
  name: string,
  seen: ReadonlySet<string>,
  limits: SafeZipLimits,
): string | undefined {
  if (entry.isEncrypted()) return 'is encrypted';
  if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
    return `uses compression method ${entry.compressionMethod}; only stored and deflated entries are read`;
  }
  if (seen.has(name)) return `repeats the name "${name}"; the first copy is used`;
  if (entry.uncompressedSize > limits.maxEntryBytes) {
    return `is ${formatBytes(entry.uncompressedSize)} uncompressed, over the ${formatBytes(limits.maxEntryBytes)} limit per entry`;
  }
  return ratioProblem(entry.uncompressedSize, entry.compressedSize, limits);
}

function ratioProblem(
  uncompressed: number,
  compressed: number,
  limits: SafeZipLimits,
): string | undefined {
  const { maxCompressionRatio, ratioMinBytes } = limits;
  if (uncompressed <= ratioMinBytes) return undefined;
  if (uncompressed <= compressed * maxCompressionRatio) return undefined;
  const ratio = compressed === 0 ? 'without limit' : `${Math.round(uncompressed / compressed)}:1`;
  return (
    `expands ${formatBytes(compressed)} into ${formatBytes(uncompressed)} (${ratio}), over the ` +
    `${maxCompressionRatio}:1 limit for entries over ${formatBytes(ratioMinBytes)}; it looks like a zip bomb`
  );
}

function corrupt(name: string, error: unknown): ZipEntryError {
  const message = (error as Error).message;
  if (/too many bytes|not enough bytes/.test(message)) {
    return new ZipEntryError(
      name,
      'corrupt',
      `entry "${name}" does not hold the size its header declares (${message}): the archive is damaged or forged`,
    );
  }
  return new ZipEntryError(name, 'corrupt', `entry "${name}" cannot be read: ${message}`);
}
