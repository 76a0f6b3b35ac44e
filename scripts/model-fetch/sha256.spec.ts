import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashBytes, hashFile } from './sha256';

describe(hashFile.name, () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sha256-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the SHA-256 and the git blob id that `git hash-object` gives', async () => {
    const path = join(dir, 'hello.txt');
    await writeFile(path, 'hello\n');

    expect(await hashFile(path)).toEqual({
      size: 6,
      sha256: '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03',
      gitBlobId: 'ce013625030ba8dba906f756967f9e9ca394464a',
    });
  });

  it('agrees with the in-memory hashes over many chunks', async () => {
    const bytes = Buffer.alloc(3_000_000, 7);
    await writeFile(join(dir, 'big.bin'), bytes);

    expect(await hashFile(join(dir, 'big.bin'))).toEqual(hashBytes(bytes));
  });
});
