import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZipFile } from 'yazl';

const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER_SIZE = 30;

type Patch = (zip: Buffer) => void;

/**
 * Builds small ZIPs for tests, including the hostile ones no honest tool writes: names that
 * climb out (`../evil.png`), headers that lie about sizes, data that fails its checksum.
 */
export class TestZipBuilder {
  private readonly zip = new ZipFile();
  private readonly patches: Patch[] = [];
  private unsafeNames = 0;

  /** Adds a file; `compress: false` stores it as is. */
  withFile(name: string, data: Buffer | string, options: { compress?: boolean } = {}): this {
    this.zip.addBuffer(Buffer.from(data), name, { compress: options.compress ?? true });
    return this;
  }

  withDirectory(name: string): this {
    this.zip.addEmptyDirectory(name);
    return this;
  }

  /** Adds a file under a name yazl refuses to write (absolute, `..`, backslashes). */
  withUnsafeName(name: string, data: Buffer | string): this {
    const placeholder = `u${this.unsafeNames++}`.padEnd(Buffer.byteLength(name), 'q');
    this.withFile(placeholder, data);
    this.patches.push((zip) => replaceAll(zip, Buffer.from(placeholder), Buffer.from(name)));
    return this;
  }

  /** Makes the central directory, and the local header, declare `size` uncompressed bytes for `name`. */
  withDeclaredSize(name: string, size: number): this {
    this.patches.push((zip) => {
      const central = centralHeaderOf(zip, name);
      zip.writeUInt32LE(size, central + 24);
      zip.writeUInt32LE(size, zip.readUInt32LE(central + 42) + 22);
    });
    return this;
  }

  /**
   * Makes both headers declare `bytes` more compressed data for `name` than it has, so that its
   * compressed range runs on into whatever follows it in the file.
   */
  withCompressedSizeGrownBy(name: string, bytes: number): this {
    this.patches.push((zip) => {
      const central = centralHeaderOf(zip, name);
      const local = zip.readUInt32LE(central + 42);
      zip.writeUInt32LE(zip.readUInt32LE(central + 20) + bytes, central + 20);
      zip.writeUInt32LE(zip.readUInt32LE(local + 18) + bytes, local + 18);
    });
    return this;
  }

  /** Flips the first data byte of `name` (store it uncompressed so it still inflates). */
  withCorruptedData(name: string): this {
    this.patches.push((zip) => {
      const local = zip.readUInt32LE(centralHeaderOf(zip, name) + 42);
      const dataStart =
        local + LOCAL_HEADER_SIZE + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      zip[dataStart] = (zip[dataStart] ?? 0) ^ 0xff;
    });
    return this;
  }

  async build(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const done = new Promise<void>((resolve, reject) => {
      this.zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
      this.zip.outputStream.on('end', resolve);
      this.zip.outputStream.on('error', reject);
    });
    this.zip.end();
    await done;
    const zip = Buffer.concat(chunks);
    for (const patch of this.patches) patch(zip);
    return zip;
  }

  /** Writes the archive into `folder` and returns its path. */
  async writeTo(folder: TempFolder | string, fileName = 'test.zip'): Promise<string> {
    const path = join(typeof folder === 'string' ? folder : folder.path, fileName);
    writeFileSync(path, await this.build());
    return path;
  }
}

/** A folder under the OS temp dir, removed by `remove()`. */
export class TempFolder {
  readonly path = mkdtempSync(join(tmpdir(), 'ingest-test-'));

  file(name: string, contents: string | Buffer): string {
    const path = join(this.path, name);
    writeFileSync(path, contents);
    return path;
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

function replaceAll(zip: Buffer, from: Buffer, to: Buffer): void {
  for (let at = zip.indexOf(from); at !== -1; at = zip.indexOf(from, at + from.length))
    to.copy(zip, at);
}

function centralHeaderOf(zip: Buffer, name: string): number {
  const wanted = Buffer.from(name);
  for (let at = 0; at + 46 <= zip.length; at += 1) {
    if (zip.readUInt32LE(at) !== CENTRAL_HEADER) continue;
    const nameLength = zip.readUInt16LE(at + 28);
    if (zip.subarray(at + 46, at + 46 + nameLength).equals(wanted)) return at;
  }
  throw new Error(`no central directory header for "${name}"`);
}
