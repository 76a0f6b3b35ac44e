import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZipArchiveError, ZipEntryError } from './safe-zip.errors';
import type { SafeZipLimits } from './safe-zip.limits';
import { SafeZip } from './safe-zip.reader';
import { TempFolder, TestZipBuilder } from './testing/test-zip.builder';

const SAMPLES = join(__dirname, '../../../samples');
const MiB = 1024 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe(SafeZip.name, () => {
  let folder: TempFolder;
  const opened: SafeZip[] = [];

  beforeEach(() => (folder = new TempFolder()));
  afterEach(() => {
    opened.splice(0).forEach((zip) => zip.close());
    folder.remove();
  });

  async function open(
    builder: TestZipBuilder,
    limits: Partial<SafeZipLimits> = {},
  ): Promise<SafeZip> {
    const zip = await SafeZip.open(await builder.writeTo(folder), limits);
    opened.push(zip);
    return zip;
  }

  async function entryError(read: Promise<Buffer>): Promise<ZipEntryError> {
    const error = await read.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ZipEntryError);
    return error as ZipEntryError;
  }

  async function archiveError(
    path: string,
    limits: Partial<SafeZipLimits> = {},
  ): Promise<ZipArchiveError> {
    const error = await SafeZip.open(path, limits).then(
      (zip) => zip.close(),
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ZipArchiveError);
    return error as ZipArchiveError;
  }

  const zeros = (bytes: number) => Buffer.alloc(bytes);

  describe('with the sample photos.zip', () => {
    it('lists the 19 photos under their top folder', async () => {
      const zip = await SafeZip.open(join(SAMPLES, 'catalog/photos.zip'));
      opened.push(zip);
      const names = zip.listEntries().map((entry) => entry.name);
      expect(names).toHaveLength(19);
      expect(names).toContain('photos/astronaut.png');
      expect(zip.refusedEntries()).toEqual([]);
    });

    it('reads one photo, byte for byte', async () => {
      const zip = await SafeZip.open(join(SAMPLES, 'catalog/photos.zip'));
      opened.push(zip);
      const data = await zip.readEntry('photos/horse.png');
      expect(data.subarray(0, 8)).toEqual(PNG_SIGNATURE);
      expect(data.equals(readFileSync(join(SAMPLES, 'photos/horse.png')))).toBe(true);
    });
  });

  describe('listEntries', () => {
    it('ignores folders, __MACOSX/ and dot files', async () => {
      const zip = await open(
        new TestZipBuilder()
          .withDirectory('photos')
          .withFile('photos/cat.png', 'cat')
          .withFile('__MACOSX/photos/._cat.png', 'resource fork')
          .withFile('photos/.DS_Store', 'finder')
          .withFile('.hidden/dog.png', 'dog'),
      );
      expect(zip.listEntries().map((entry) => entry.name)).toEqual(['photos/cat.png']);
      expect(zip.refusedEntries()).toEqual([]);
    });

    it('reports entries that climb out or are absolute as refused, and keeps the rest', async () => {
      const zip = await open(
        new TestZipBuilder()
          .withFile('ok.png', 'fine')
          .withUnsafeName('../evil.png', 'evil')
          .withUnsafeName('..\\win.png', 'evil')
          .withUnsafeName('/etc/passwd', 'evil'),
      );
      expect(zip.listEntries().map((entry) => entry.name)).toEqual(['ok.png']);
      expect(zip.refusedEntries()).toEqual([
        { name: '../evil.png', reason: 'has a path that climbs out of the archive ("..")' },
        { name: '..\\win.png', reason: 'has a path that climbs out of the archive ("..")' },
        { name: '/etc/passwd', reason: 'has an absolute path' },
      ]);
      await expect(zip.readEntry('ok.png')).resolves.toEqual(Buffer.from('fine'));
    });

    it('refuses a second entry with the same name', async () => {
      const zip = await open(
        new TestZipBuilder().withFile('a.png', 'first').withFile('./a.png', 'second'),
      );
      expect(zip.refusedEntries()).toEqual([
        { name: './a.png', reason: 'repeats the name "a.png"; the first copy is used' },
      ]);
      await expect(zip.readEntry('a.png')).resolves.toEqual(Buffer.from('first'));
    });
  });

  describe('readEntry', () => {
    it('refuses a zip bomb by its ratio while the other entries still read', async () => {
      const zip = await open(
        new TestZipBuilder().withFile('bomb.png', zeros(10 * MiB)).withFile('cat.png', 'cat'),
      );
      const [refused] = zip.refusedEntries();
      expect(refused?.name).toBe('bomb.png');
      expect(refused?.reason).toMatch(
        /^expands .* into 10 MiB \(\d+:1\), over the 200:1 limit for entries over 1 MiB; it looks like a zip bomb$/,
      );
      const error = await entryError(zip.readEntry('bomb.png'));
      expect(error.problem).toBe('refused');
      expect(error.message).toContain('entry "bomb.png" was refused: it expands');
      await expect(zip.readEntry('cat.png')).resolves.toEqual(Buffer.from('cat'));
    });

    it('refuses an entry over the size limit', async () => {
      const zip = await open(new TestZipBuilder().withFile('big.png', zeros(10 * MiB)), {
        maxEntryBytes: MiB,
      });
      const error = await entryError(zip.readEntry('big.png'));
      expect(error.message).toBe(
        'entry "big.png" was refused: it is 10 MiB uncompressed, over the 1 MiB limit per entry',
      );
    });

    it('catches a header that understates the size, counting what actually inflates', async () => {
      const zip = await open(
        new TestZipBuilder()
          .withFile('liar.png', zeros(10 * MiB))
          .withDeclaredSize('liar.png', 1000)
          .withFile('cat.png', 'cat'),
        { maxEntryBytes: MiB },
      );
      expect(zip.listEntries().find((entry) => entry.name === 'liar.png')?.uncompressedSize).toBe(
        1000,
      );
      const error = await entryError(zip.readEntry('liar.png'));
      expect(error.problem).toBe('corrupt');
      expect(error.message).toContain(
        'entry "liar.png" does not hold the size its header declares',
      );
      await expect(zip.readEntry('cat.png')).resolves.toEqual(Buffer.from('cat'));
    });

    it("ignores what follows the end of an entry's deflated data within its compressed size", async () => {
      const zip = await open(
        new TestZipBuilder()
          .withFile('a.txt', 'x'.repeat(5000))
          .withCompressedSizeGrownBy('a.txt', 20)
          .withFile('b.txt', 'b'),
      );
      await expect(zip.readEntry('a.txt')).resolves.toEqual(Buffer.from('x'.repeat(5000)));
      await expect(zip.readEntry('b.txt')).resolves.toEqual(Buffer.from('b'));
    });

    it('refuses an entry whose data fails its checksum', async () => {
      const zip = await open(
        new TestZipBuilder()
          .withFile('cat.png', 'cat', { compress: false })
          .withCorruptedData('cat.png'),
      );
      const error = await entryError(zip.readEntry('cat.png'));
      expect(error.message).toBe('entry "cat.png" fails its checksum: the archive is damaged');
    });

    it('reads stored and deflated entries alike', async () => {
      const zip = await open(
        new TestZipBuilder()
          .withFile('a.txt', 'stored', { compress: false })
          .withFile('b.txt', 'x'.repeat(5000)),
      );
      await expect(zip.readEntry('a.txt')).resolves.toEqual(Buffer.from('stored'));
      await expect(zip.readEntry('b.txt')).resolves.toEqual(Buffer.from('x'.repeat(5000)));
    });

    it('says when an entry does not exist', async () => {
      const zip = await open(new TestZipBuilder().withFile('a.png', 'a'));
      const error = await entryError(zip.readEntry('b.png'));
      expect(error).toMatchObject({
        problem: 'not-found',
        entry: 'b.png',
        message: 'no entry "b.png" in the archive',
      });
    });
  });

  // 30 MiB of zeros whose headers declare 1000 bytes, beside a real photo: reading the liar
  // fails part-way through, while more of the file is being read for it or for its neighbour.
  describe('with an entry that holds more than its headers declare', () => {
    const LIAR = 'entry "liar.png" does not hold the size its header declares';
    const photo = readFileSync(join(SAMPLES, 'photos/coffee.png'));
    let liarFolder: TempFolder;
    let path: string;

    beforeAll(async () => {
      liarFolder = new TempFolder();
      path = await new TestZipBuilder()
        .withFile('liar.png', zeros(30 * MiB))
        .withDeclaredSize('liar.png', 1000)
        .withFile('ok.png', photo)
        .writeTo(liarFolder, 'liar.zip');
    });
    afterAll(() => liarFolder.remove());

    /**
     * Fails the test, at once, when a read outlives its entry and throws outside every promise
     * (such a throw also leaves the reads it broke unsettled, so `run` would never return).
     *
     * A capture callback rather than an 'uncaughtException' listener: the `process` of jest's
     * sandbox is a copy whose listeners never hear the real process's events, while the capture
     * callback is the process's own.
     */
    async function withoutUncaughtExceptions(run: () => Promise<void>): Promise<void> {
      let fail!: (error: unknown) => void;
      const uncaught = new Promise<never>((_, reject) => (fail = reject));
      process.setUncaughtExceptionCaptureCallback((error) =>
        fail(new Error(`uncaught exception: ${error.message}`, { cause: error })),
      );
      try {
        const settle = async () => {
          await run();
          // Long enough for any read still in flight to land.
          await new Promise((resolve) => setTimeout(resolve, 300));
        };
        await Promise.race([settle(), uncaught]);
      } finally {
        process.setUncaughtExceptionCaptureCallback(null);
      }
    }

    /** The photo, compared with `equals`: jest's deep equality walks a buffer byte by byte. */
    function expectPhoto(data: Buffer | undefined): void {
      expect(data?.equals(photo)).toBe(true);
    }

    function expectLiarRefused(error: unknown): void {
      expect(error).toBeInstanceOf(ZipEntryError);
      expect(error).toMatchObject({ entry: 'liar.png', problem: 'corrupt' });
      expect((error as ZipEntryError).message).toContain(LIAR);
    }

    it('refuses the liar with a clear reason, then closes at once, over and over', async () => {
      await withoutUncaughtExceptions(async () => {
        for (let round = 0; round < 20; round += 1) {
          const zip = await SafeZip.open(path);
          expectLiarRefused(await zip.readEntry('liar.png').catch((error: unknown) => error));
          if (round % 2 === 1) expectPhoto(await zip.readEntry('ok.png'));
          void zip.close();
        }
      });
    }, 30_000);

    it('reads the good entry while the liar fails beside it, as the embedder does', async () => {
      await withoutUncaughtExceptions(async () => {
        for (let round = 0; round < 20; round += 1) {
          const zip = await SafeZip.open(path);
          const [liar, ok, liarAgain, okAgain] = await Promise.allSettled(
            ['liar.png', 'ok.png', 'liar.png', 'ok.png'].map((name) => zip.readEntry(name)),
          );
          void zip.close();
          for (const refused of [liar, liarAgain]) {
            expect(refused?.status).toBe('rejected');
            expectLiarRefused((refused as PromiseRejectedResult).reason);
          }
          for (const read of [ok, okAgain]) {
            expect(read?.status).toBe('fulfilled');
            expectPhoto((read as PromiseFulfilledResult<Buffer>).value);
          }
        }
      });
    }, 30_000);

    it('closes the file only once the reads in flight have settled, and refuses later reads', async () => {
      await withoutUncaughtExceptions(async () => {
        const zip = await SafeZip.open(path);
        const settled: string[] = [];
        const liar = zip.readEntry('liar.png').catch((error: unknown) => {
          settled.push('liar');
          return error;
        });
        const ok = zip.readEntry('ok.png').then((data) => {
          settled.push('ok');
          return data;
        });
        await zip.close();
        settled.push('closed');
        expect(settled).toHaveLength(3);
        expect(settled[2]).toBe('closed');
        expectLiarRefused(await liar);
        expectPhoto(await ok);
        await expect(zip.readEntry('ok.png')).rejects.toThrow(
          'cannot read entry "ok.png": the archive is closed',
        );
      });
    }, 30_000);
  });

  describe('open', () => {
    it('refuses a file that is not a ZIP', async () => {
      const error = await archiveError(folder.file('photos.zip', 'id,image\n'));
      expect(error.problem).toBe('unreadable');
      expect(error.message).toMatch(/^the file is not a readable ZIP archive: /);
    });

    it('refuses more entries than the limit', async () => {
      const path = await new TestZipBuilder()
        .withFile('a', 'a')
        .withFile('b', 'b')
        .withFile('c', 'c')
        .writeTo(folder);
      const error = await archiveError(path, { maxEntries: 2 });
      expect(error.message).toBe('the archive has 3 entries, over the limit of 2');
    });

    it('refuses an archive that inflates past the total limit', async () => {
      const path = await new TestZipBuilder()
        .withFile('a', zeros(600))
        .withFile('b', zeros(600))
        .writeTo(folder);
      const error = await archiveError(path, { maxTotalBytes: 1000 });
      expect(error).toMatchObject({
        problem: 'too-large',
        message: 'the archive inflates to 1.2 KiB, over the 1000 bytes limit',
      });
    });

    it('refuses a limit that is not a positive number', async () => {
      await expect(SafeZip.open('unused.zip', { maxEntries: -1 })).rejects.toThrow(
        'SafeZip limit maxEntries must be a positive number (got -1)',
      );
    });
  });
});
