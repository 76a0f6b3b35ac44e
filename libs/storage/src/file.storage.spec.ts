import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStorage } from './file.storage';
import { storageKeys } from './storage-keys';

describe(FileStorage.name, () => {
  let root: string;
  let storage: FileStorage;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'storage-'));
    storage = new FileStorage(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes, sizes and deletes a file by key', async () => {
    const key = storageKeys.thumbnail('cat');
    await storage.write(key, Buffer.from('jpeg bytes'));
    await expect(storage.size(key)).resolves.toBe(10);
    await storage.delete(key);
    await expect(storage.size(key)).resolves.toBeUndefined();
  });

  it('refuses keys that leave the root', () => {
    expect(() => storage.pathOf('../etc/passwd')).toThrow('outside the storage root');
    expect(() => storage.pathOf('/etc/passwd')).toThrow('outside the storage root');
  });

  it('gives every item id a safe, distinct key', () => {
    expect(storageKeys.original('a/../../b')).toMatch(/^originals\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
    expect(storageKeys.original('cat')).not.toBe(storageKeys.original('Cat'));
  });
});
