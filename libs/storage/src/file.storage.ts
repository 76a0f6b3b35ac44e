import { createReadStream, ReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';

/**
 * Files under one root folder, addressed by keys such as `originals/ab/abcd...`.
 * Writes are atomic (temporary file, then rename) so a reader never sees half a file,
 * and a key can never point outside the root.
 */
export class FileStorage {
  readonly root: string;

  constructor(root: string) {
    if (!root) throw new Error('FileStorage needs a root folder');
    this.root = resolve(root);
  }

  /** Absolute path of a key; throws for keys that would leave the root. */
  pathOf(key: string): string {
    const path = resolve(this.root, key);
    const inside = relative(this.root, path);
    if (!key || inside.startsWith('..') || isAbsolute(inside)) {
      throw new Error(`storage key "${key}" is outside the storage root`);
    }
    return path;
  }

  async write(key: string, data: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = join(dirname(path), `.${randomUUID()}.tmp`);
    await writeFile(temporary, data);
    await rename(temporary, path);
  }

  /** Makes sure the folder of a key exists, for callers that stream into `pathOf(key)`. */
  async prepare(key: string): Promise<string> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    return path;
  }

  async size(key: string): Promise<number | undefined> {
    try {
      return (await stat(this.pathOf(key))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  read(key: string): ReadStream {
    return createReadStream(this.pathOf(key));
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true, recursive: true });
  }
}
