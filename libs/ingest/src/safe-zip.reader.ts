import { open as openFile, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createInflateRaw } from 'node:zlib';
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
/** Compressed bytes read from the file at a time. */
const READ_CHUNK_BYTES = 64 * 1024;

/**
 * Reads single entries of a ZIP on disk by random access through the central directory; the
 * archive is never loaded whole. Entries that could escape the extraction folder, or whose
 * declared sizes break the limits, are refused and listed with a reason; every read counts
 * the bytes actually inflated, so a header that lies is caught too.
 *
 * yauzl only parses the central directory and local headers, through a reader over a
 * `FileHandle` this class owns; entry data is read with that handle's promises and inflated
 * here. Every read is awaited by the `readEntry` call that made it, and the file is closed
 * only once those calls have settled, so no read can outlive the file or throw outside a
 * promise. (yauzl's own entry streams cannot be used: when one entry's stream is destroyed
 * while another entry is being read, a read it had queued still runs and throws from inside an
 * `fs` callback, which crashes the process.)
 */
export class SafeZip {
  private readonly byName: ReadonlyMap<string, StoredEntry>;
  private readonly refusedByName: ReadonlyMap<string, string>;
  private inflatedBytes = 0;
  /** `readEntry` calls not yet settled; the file stays open until they are. */
  private readonly reads = new Set<Promise<Buffer>>();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly file: FileHandle,
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
    const file = await openFile(path, 'r');
    let zip: yauzl.ZipFile | undefined;
    try {
      zip = await openArchive(file);
      if (zip.entryCount > resolved.maxEntries) {
        throw new ZipArchiveError(
          'too-many-entries',
          `the archive has ${zip.entryCount} entries, over the limit of ${resolved.maxEntries}`,
        );
      }
      const { entries, refused } = await readCentralDirectory(zip, resolved);
      return new SafeZip(file, zip, resolved, entries, refused);
    } catch (error) {
      // yauzl reads one record at a time and has settled its last read by the time it fails.
      zip?.close();
      await file.close().catch(() => undefined);
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
   * Inflates one entry into memory, at most `maxEntryBytes`. Reads may run at once.
   * @throws ZipEntryError when the entry is missing, refused, over a limit, or corrupt.
   * @throws Error when the archive was closed before the call: a fault of the caller, not of the entry.
   */
  async readEntry(name: string): Promise<Buffer> {
    if (this.closing !== undefined) {
      throw new Error(`cannot read entry "${name}": the archive is closed`);
    }
    const entry = this.byName.get(name);
    if (entry === undefined) throw this.unreadable(name);
    const read = this.inflate(entry);
    this.reads.add(read);
    try {
      return await read;
    } finally {
      this.reads.delete(read);
    }
  }

  /**
   * Refuses further reads and closes the file once the reads in flight have settled; they
   * finish as if nothing happened. Calling it again returns the same promise, which never rejects.
   */
  close(): Promise<void> {
    this.closing ??= this.closeWhenIdle();
    return this.closing;
  }

  private async closeWhenIdle(): Promise<void> {
    await Promise.allSettled([...this.reads]);
    this.zip.close();
    await this.file.close().catch(() => undefined);
  }

  private unreadable(name: string): ZipEntryError {
    const reason = this.refusedByName.get(name);
    if (reason === undefined) {
      return new ZipEntryError(name, 'not-found', `no entry "${name}" in the archive`);
    }
    return new ZipEntryError(name, 'refused', `entry "${name}" was refused: it ${reason}`);
  }

  /** Reads the entry's data straight from the file and inflates it, enforcing every limit. */
  private async inflate(entry: StoredEntry): Promise<Buffer> {
    const { name, uncompressedSize } = entry;
    const fileDataStart = await this.dataStartOf(entry);
    const chunks: Buffer[] = [];
    let bytes = 0;
    let complete = false;
    const collect = async (inflated: AsyncIterable<Buffer>): Promise<void> => {
      for await (const chunk of inflated) {
        bytes += chunk.length;
        this.inflatedBytes += chunk.length;
        if (bytes > uncompressedSize) throw sizeMismatch(entry, 'more');
        const problem = this.inflationProblem(entry, bytes);
        if (problem !== undefined) {
          throw new ZipEntryError(
            name,
            'too-large',
            `entry "${name}" was refused while inflating: it ${problem}`,
          );
        }
        chunks.push(chunk);
      }
      if (bytes < uncompressedSize) throw sizeMismatch(entry, String(bytes));
      complete = true;
    };
    const compressed = readRange(this.file, fileDataStart, entry.compressedSize);
    try {
      // pipeline settles only once every stage has stopped, the file read in flight included.
      if (entry.method === DEFLATED) await pipeline(compressed, createInflateRaw(), collect);
      else await pipeline(compressed, collect);
    } catch (error) {
      if (error instanceof ZipEntryError) throw error;
      // The deflate stream ended before the compressed size did, so pipeline stopped reading
      // what follows; yauzl ignored such bytes too, and the checksum still judges the data.
      if (!(complete && (error as NodeJS.ErrnoException).code === 'ABORT_ERR')) {
        throw corrupt(name, error);
      }
    }
    const data = Buffer.concat(chunks, bytes);
    if (crc32(data) !== entry.crc32) {
      throw new ZipEntryError(
        name,
        'corrupt',
        `entry "${name}" fails its checksum: the archive is damaged`,
      );
    }
    return data;
  }

  /** Where the entry's data starts, after checking its local header and that the data lies within the file. */
  private async dataStartOf(entry: StoredEntry): Promise<number> {
    const header = Object.assign(new yauzl.Entry(), {
      relativeOffsetOfLocalHeader: entry.offset,
      compressedSize: entry.compressedSize,
    });
    try {
      const { fileDataStart } = await this.zip.readLocalFileHeaderPromise(header, {
        minimal: true,
      });
      return fileDataStart;
    } catch (error) {
      throw corrupt(entry.name, error);
    }
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

async function openArchive(file: FileHandle): Promise<yauzl.ZipFile> {
  const { size } = await file.stat();
  try {
    // decodeStrings: false, because yauzl fails the whole listing on one unsafe name;
    // names are decoded and judged here instead, so such entries are only refused.
    return await yauzl.fromRandomAccessReaderPromise(new FileHandleReader(file), size, {
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

/**
 * yauzl's access to the file: reads through the handle's promises. The handle belongs to
 * {@link SafeZip}, which closes it, so `close` leaves it open.
 */
class FileHandleReader extends yauzl.RandomAccessReader {
  constructor(private readonly file: FileHandle) {
    super();
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (error: Error | null, bytesRead?: number) => void,
  ): void {
    this.file.read(buffer, offset, length, position).then(
      ({ bytesRead }) => callback(null, bytesRead),
      (error: Error) => callback(error),
    );
  }

  /** Only yauzl's entry streams use this, and SafeZip opens none; given for completeness. */
  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from(readRange(this.file, start, end - start));
  }

  override close(callback: (error: Error | null) => void): void {
    setImmediate(callback, null);
  }
}

/** `length` bytes of the file from `start`, read one chunk at a time. */
async function* readRange(file: FileHandle, start: number, length: number): AsyncGenerator<Buffer> {
  const end = start + length;
  let position = start;
  while (position < end) {
    const size = Math.min(READ_CHUNK_BYTES, end - position);
    const { bytesRead, buffer } = await file.read(Buffer.allocUnsafe(size), 0, size, position);
    if (bytesRead === 0) throw new Error('unexpected end of file');
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
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

/** `found`: how many bytes the entry inflated to, or `more` when it inflates past the size declared. */
function sizeMismatch({ name, uncompressedSize }: StoredEntry, found: string): ZipEntryError {
  return new ZipEntryError(
    name,
    'corrupt',
    `entry "${name}" does not hold the size its header declares (${uncompressedSize} bytes ` +
      `declared, ${found} found): the archive is damaged or forged`,
  );
}

function corrupt(name: string, error: unknown): ZipEntryError {
  const message = (error as Error).message;
  return new ZipEntryError(name, 'corrupt', `entry "${name}" cannot be read: ${message}`);
}
