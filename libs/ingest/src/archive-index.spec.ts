import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArchiveIndex } from './archive-index';
import { CatalogCsvReader } from './catalog-csv.reader';
import type { CatalogItem } from './catalog-record';
import { DEFAULT_CATALOG_MAPPING, parseCatalogMapping } from './csv-mapping';
import { SafeZip } from './safe-zip.reader';

const SAMPLES = join(__dirname, '../../../samples');

function anItem(overrides: Partial<CatalogItem> = {}): CatalogItem {
  return { kind: 'item', row: 2, id: 'cat', imagePath: 'cat.png', metadata: {}, ...overrides };
}

async function entryNamesOf(path: string): Promise<string[]> {
  const zip = await SafeZip.open(path);
  try {
    return zip.listEntries().map((entry) => entry.name);
  } finally {
    zip.close();
  }
}

describe(ArchiveIndex.name, () => {
  describe('resolve', () => {
    it('finds an exact path first', () => {
      const index = new ArchiveIndex(['cat.png', 'photos/cat.png', 'photos/dog.png']);
      expect(index.resolve('cat.png')).toEqual({ kind: 'found', entry: 'cat.png' });
    });

    it('tolerates a single top folder the CSV leaves out', () => {
      const index = new ArchiveIndex(['photos/cat.png', 'photos/dog.png']);
      expect(index.commonFolder).toBe('photos');
      expect(index.resolve('cat.png')).toEqual({ kind: 'found', entry: 'photos/cat.png' });
      expect(index.resolve('photos/cat.png')).toEqual({ kind: 'found', entry: 'photos/cat.png' });
    });

    it('does not guess a folder when entries sit in several', () => {
      const index = new ArchiveIndex(['a/cat.png', 'b/dog.png']);
      expect(index.resolve('cat.png')).toEqual({
        kind: 'missing',
        reason: 'image "cat.png" not found in the archive',
      });
    });

    it('looks under the mapping image folder', () => {
      const index = new ArchiveIndex(['Fall24/Fall241.jpg', 'Other/Fall241.jpg']);
      expect(index.resolve('Fall241.jpg', 'Fall24')).toEqual({
        kind: 'found',
        entry: 'Fall24/Fall241.jpg',
      });
    });

    it('falls back to a match that differs only in case, when there is one', () => {
      const index = new ArchiveIndex(['photos/Cat.PNG', 'photos/dog.png']);
      expect(index.resolve('cat.png')).toEqual({ kind: 'found', entry: 'photos/Cat.PNG' });
    });

    it('refuses to pick between entries that differ only in case', () => {
      const index = new ArchiveIndex(['Cat.png', 'cat.PNG']);
      expect(index.resolve('CAT.png')).toEqual({
        kind: 'missing',
        reason:
          'image "CAT.png" is ambiguous in the archive: it matches "Cat.png", "cat.PNG" but for case',
      });
    });

    it('accepts Windows separators and a leading ./ in the CSV', () => {
      const index = new ArchiveIndex(['photos/2024/cat.png']);
      expect(index.resolve('.\\2024\\cat.png')).toEqual({
        kind: 'found',
        entry: 'photos/2024/cat.png',
      });
    });
  });

  describe('of', () => {
    it('says why an image the archive holds was refused', () => {
      const zip = {
        listEntries: () => [{ name: 'photos/cat.png', compressedSize: 3, uncompressedSize: 3 }],
        refusedEntries: () => [{ name: 'photos/bomb.png', reason: 'looks like a zip bomb' }],
      };
      expect(ArchiveIndex.of(zip).resolve('bomb.png')).toEqual({
        kind: 'missing',
        reason: 'image "bomb.png" was refused: it looks like a zip bomb',
      });
    });
  });

  describe('resolveItem', () => {
    it('turns a missing image into a row error naming the file', () => {
      const index = new ArchiveIndex(['dog.png']);
      expect(index.resolveItem(anItem({ row: 7 }))).toEqual({
        kind: 'error',
        row: 7,
        id: 'cat',
        file: 'cat.png',
        reason: 'image "cat.png" not found in the archive',
      });
    });
  });

  describe('with the sample catalogues', () => {
    it('resolves all 19 photos of photos.csv inside the photos/ folder', async () => {
      const { items } = await new CatalogCsvReader(DEFAULT_CATALOG_MAPPING).collect(
        join(SAMPLES, 'catalog/photos.csv'),
      );
      const index = new ArchiveIndex(await entryNamesOf(join(SAMPLES, 'catalog/photos.zip')));
      const resolved = items.map((item) => index.resolveItem(item));
      expect(resolved.filter((result) => result.kind === 'resolved')).toHaveLength(19);
      expect(index.resolveItem(items.find((item) => item.id === 'cat')!)).toMatchObject({
        entry: 'photos/chelsea.png',
      });
    });

    it('resolves 16 Fall24 images and reports Serial 17 on row 18, whose image is not in the ZIP', async () => {
      const mapping = parseCatalogMapping(
        readFileSync(join(SAMPLES, 'seed-format/Fall24.mapping.json'), 'utf8'),
      );
      const { items } = await new CatalogCsvReader(mapping).collect(
        join(SAMPLES, 'seed-format/Fall24.csv'),
      );
      const zip = await SafeZip.open(join(SAMPLES, 'seed-format/Fall24.zip'));
      try {
        const index = ArchiveIndex.of(zip);
        const results = items.map((item) => index.resolveItem(item, mapping.imageFolder));
        const resolved = results.flatMap((result) => (result.kind === 'resolved' ? [result] : []));
        expect(resolved).toHaveLength(16);
        expect(results.filter((result) => result.kind === 'error')).toEqual([
          {
            kind: 'error',
            row: 18,
            id: 'Fall2417',
            file: 'Fall2417.jpg',
            reason: 'image "Fall2417.jpg" not found in the archive',
          },
        ]);
        const jpeg = await zip.readEntry(resolved[0]!.entry);
        expect([...jpeg.subarray(0, 2)]).toEqual([0xff, 0xd8]);
      } finally {
        zip.close();
      }
    });
  });
});
