import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CatalogCsvError } from './catalog-csv.error';
import { CatalogCsvReader } from './catalog-csv.reader';
import type { CatalogItem, CatalogRecord } from './catalog-record';
import { DEFAULT_CATALOG_MAPPING, parseCatalogMapping } from './csv-mapping';
import { CatalogCsvBuilder } from './testing/catalog-csv.builder';
import { TempFolder } from './testing/test-zip.builder';

const SAMPLES = join(__dirname, '../../../samples');
const PHOTOS_CSV = join(SAMPLES, 'catalog/photos.csv');
const FALL24_CSV = join(SAMPLES, 'seed-format/Fall24.csv');
const fall24Mapping = () =>
  parseCatalogMapping(readFileSync(join(SAMPLES, 'seed-format/Fall24.mapping.json'), 'utf8'));

const reader = (options = {}) => new CatalogCsvReader(DEFAULT_CATALOG_MAPPING, options);

async function readAll(csv: CatalogCsvBuilder, target = reader()): Promise<CatalogRecord[]> {
  const records: CatalogRecord[] = [];
  for await (const record of target.read(csv.stream())) records.push(record);
  return records;
}

async function refusal(read: Promise<unknown>): Promise<CatalogCsvError> {
  const error = await read.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CatalogCsvError);
  return error as CatalogCsvError;
}

describe(CatalogCsvReader.name, () => {
  describe('with the default mapping on photos.csv', () => {
    it('reads 19 items with ids, image paths and row numbers', async () => {
      const { items, errors, rows, header } = await reader().collect(PHOTOS_CSV);
      expect(errors).toEqual([]);
      expect(rows).toBe(19);
      expect(header).toEqual(['id', 'image', 'title', 'category']);
      expect(items).toHaveLength(19);
      expect(items[0]).toEqual<CatalogItem>({
        kind: 'item',
        row: 2,
        id: 'astronaut',
        imagePath: 'astronaut.png',
        metadata: {
          title: 'Portrait of an astronaut in a spacesuit with a flag',
          category: 'people',
        },
      });
      expect(items.find((item) => item.imagePath === 'chelsea.png')?.id).toBe('cat');
      expect(items[18]).toMatchObject({ row: 20, id: 'ihc' });
    });
  });

  describe('with the template mapping on the seed-format Fall24.csv', () => {
    it('loads all 17 rows, Serial 17 on row 18', async () => {
      const { items, errors } = await new CatalogCsvReader(fall24Mapping()).collect(FALL24_CSV);
      expect(errors).toEqual([]);
      expect(items).toHaveLength(17);
      expect(items.at(-1)).toMatchObject({ row: 18, id: 'Fall2417', imagePath: 'Fall2417.jpg' });
    });

    it('keeps every column as metadata, numbers as numbers, quoted commas inside one value', async () => {
      const { items } = await new CatalogCsvReader(fall24Mapping()).collect(FALL24_CSV);
      expect(items[6]).toEqual<CatalogItem>({
        kind: 'item',
        row: 8,
        id: 'Fall247',
        imagePath: 'Fall247.jpg',
        metadata: {
          'Serial No.': 7,
          collection_changed: 'Fall24',
          gsm: 220,
          Color: 'Grey',
          Pattern: 'Herringbone',
          'End use': 'Dress',
          Transparency: 'Sheer',
          composition: '80% polyester, 20% elastane',
          'fabric type': 'Woven',
        },
      });
    });
  });

  describe('read', () => {
    it('strips a byte order mark from the first header', async () => {
      const records = await readAll(new CatalogCsvBuilder().withBom().row('a', 'a.png', 'A'));
      expect(records).toEqual([
        { kind: 'item', row: 2, id: 'a', imagePath: 'a.png', metadata: { title: 'A' } },
      ]);
    });

    it('leaves empty cells out of the metadata and trims the rest', async () => {
      const csv = new CatalogCsvBuilder(['id', 'image', ' title ', 'colour', 'gsm']).row(
        'a',
        'a.png',
        '  Shirt ',
        '',
        '120',
      );
      const [record] = await readAll(csv);
      expect(record).toMatchObject({ metadata: { title: 'Shirt', gsm: 120 } });
      expect(record?.kind === 'item' && Object.keys(record.metadata)).toEqual(['title', 'gsm']);
    });

    it('keeps codes with leading zeros as text', async () => {
      const [record] = await readAll(
        new CatalogCsvBuilder(['id', 'image', 'code']).row('a', 'a.png', '007'),
      );
      expect(record).toMatchObject({ metadata: { code: '007' } });
    });

    it('stores only the whitelisted metadata columns', async () => {
      const mapping = parseCatalogMapping({ metadataColumns: ['category'] });
      const csv = new CatalogCsvBuilder(['id', 'image', 'title', 'category']).row(
        'a',
        'a.png',
        'A',
        'x',
      );
      const [record] = await readAll(csv, new CatalogCsvReader(mapping));
      expect(record).toMatchObject({ metadata: { category: 'x' } });
      expect(record?.kind === 'item' && record.metadata).not.toHaveProperty('title');
    });

    it('reports a repeated id with the row that used it first', async () => {
      const csv = new CatalogCsvBuilder()
        .row('a', 'a.png', 'A')
        .row('b', 'b.png', 'B')
        .row('a', 'c.png', 'C');
      const records = await readAll(csv);
      expect(records.map((record) => record.kind)).toEqual(['item', 'item', 'error']);
      expect(records[2]).toEqual({
        kind: 'error',
        row: 4,
        id: 'a',
        reason: 'duplicate id "a", first seen on row 2',
      });
    });

    it('refuses a row whose id is empty', async () => {
      const [record] = await readAll(new CatalogCsvBuilder().row('', 'a.png', 'A'));
      expect(record).toEqual({ kind: 'error', row: 2, reason: 'missing id: column "id" is empty' });
    });

    it('refuses a row whose image is missing', async () => {
      const [record] = await readAll(new CatalogCsvBuilder().row('a', ' ', 'A'));
      expect(record).toEqual({
        kind: 'error',
        row: 2,
        id: 'a',
        reason: 'missing image: column "image" is empty',
      });
    });

    it('refuses a row whose template value is missing, naming the column', async () => {
      const mapping = parseCatalogMapping(fall24Mapping());
      const csv = new CatalogCsvBuilder(['Serial No.', 'collection_changed'])
        .row('1', 'Fall24')
        .row('', 'Fall24');
      const records = await readAll(csv, new CatalogCsvReader(mapping));
      expect(records[1]).toEqual({
        kind: 'error',
        row: 3,
        reason:
          'missing id: template "{collection_changed}{Serial No.}" needs column "Serial No.", which is empty',
      });
    });

    it('refuses a row with more values than the header has columns', async () => {
      const csv = new CatalogCsvBuilder().rawLine('a,a.png,Cotton, linen');
      const [record] = await readAll(csv);
      expect(record).toMatchObject({
        kind: 'error',
        row: 2,
        reason: expect.stringContaining('4 cells but the header has 3 columns'),
      });
    });

    it('numbers rows by the line they start on, across multi-line cells, CRLF and blank lines', async () => {
      const csv = new CatalogCsvBuilder()
        .withCrlf()
        .row('a', 'a.png', 'two\r\nlines')
        .rawLine('')
        .rawLine(',,')
        .row('b', 'b.png', 'B');
      const records = await readAll(csv);
      expect(records.map((record) => [record.row, record.kind === 'item' && record.id])).toEqual([
        [2, 'a'],
        [6, 'b'],
      ]);
    });

    it('refuses a header that lacks columns, naming them', async () => {
      const csv = new CatalogCsvBuilder(['sku', 'title']).row('a', 'A');
      const error = await refusal(reader().collect(csv.stream()));
      expect(error.problem).toBe('missing-columns');
      expect(error.details.columns).toEqual(['id', 'image']);
      expect(error.message).toBe('the CSV header lacks the column(s) "id", "image"');
    });

    it('refuses a header that repeats a column', async () => {
      const error = await refusal(
        reader().collect(new CatalogCsvBuilder(['id', 'image', 'id']).stream()),
      );
      expect(error.problem).toBe('duplicate-columns');
      expect(error.details.columns).toEqual(['id']);
    });

    it('refuses metadata columns the vector store cannot take as keys, naming each', async () => {
      const csv = new CatalogCsvBuilder(['id', 'image', '$dollar', 'title', '#hash', '__proto__']);
      const error = await refusal(reader().collect(csv.row('a', 'a.png', 1, 'A', 2, 3).stream()));
      expect(error.problem).toBe('unstorable-columns');
      expect(error.details).toEqual({ line: 1, columns: ['$dollar', '#hash', '__proto__'] });
      expect(error.message).toBe(
        'CSV column "$dollar" cannot be stored as metadata: names may not start with "$" or "#"; ' +
          'CSV column "#hash" cannot be stored as metadata: names may not start with "$" or "#"; ' +
          'CSV column "__proto__" cannot be stored as metadata: names may not be "__proto__"',
      );
    });

    it('takes such a column when it is not stored: read by a template, or left out of the whitelist', async () => {
      const mapping = parseCatalogMapping({ idTemplate: '{$sku}', metadataColumns: ['title'] });
      const csv = new CatalogCsvBuilder(['$sku', 'image', 'title', '#note']).row(
        '7',
        'a.png',
        'A',
        'n',
      );
      const [record] = await readAll(csv, new CatalogCsvReader(mapping));
      expect(record).toMatchObject({ kind: 'item', id: '7', metadata: { title: 'A' } });
    });

    it('keeps columns named like members of Object.prototype as ordinary keys', async () => {
      const csv = new CatalogCsvBuilder([
        'id',
        'image',
        'constructor',
        'toString',
        'hasOwnProperty',
      ]);
      const [record] = await readAll(csv.row('a', 'a.png', 'y', 'z', 3));
      expect(record?.kind === 'item' && { ...record.metadata }).toEqual({
        constructor: 'y',
        toString: 'z',
        hasOwnProperty: 3,
      });
    });

    it('refuses a CSV that is not UTF-8, naming the line of the first bad byte', async () => {
      const latin1 = Buffer.from('id,image,title\na,a.png,cafe\nb,b.png,café\n', 'latin1');
      const error = await refusal(reader().collect(Readable.from([latin1])));
      expect(error.problem).toBe('not-utf8');
      expect(error.details.line).toBe(3);
      expect(error.message).toBe('CSV is not valid UTF-8 (line 3); save it as UTF-8');
    });

    it('reads UTF-8 characters split across the chunks of the stream', async () => {
      const bytes = Buffer.from('id,image,title\na,a.png,café crème 🧵\n');
      const chunks = Array.from(bytes, (byte) => Buffer.from([byte]));
      const [record] = await readAll(
        { stream: () => Readable.from(chunks) } as CatalogCsvBuilder,
        reader(),
      );
      expect(record).toMatchObject({ metadata: { title: 'café crème 🧵' } });
    });

    it('refuses a 2 MB line with a 1 MB limit, naming the line', async () => {
      const csv = new CatalogCsvBuilder()
        .row('a', 'a.png', 'A')
        .row('b', 'b.png', 'x'.repeat(2 * 1024 * 1024));
      const error = await refusal(reader({ maxRecordBytes: 1024 * 1024 }).collect(csv.stream()));
      expect(error.problem).toBe('record-too-large');
      expect(error.message).toBe('line 3 is longer than the 1 MiB limit for one row');
      expect(error.details.line).toBe(3);
    });

    it('refuses a row over the limit made of short quoted lines, naming the line it starts on', async () => {
      const cell = Array.from({ length: 8 }, () => 'y'.repeat(30)).join('\n');
      const csv = new CatalogCsvBuilder().row('a', 'a.png', 'A').row('b', 'b.png', cell);
      const error = await refusal(reader({ maxRecordBytes: 100 }).collect(csv.stream()));
      expect(error.message).toBe('line 3 is longer than the 100 bytes limit for one row');
    });

    it('refuses a file with no line breaks at all by the default limit', async () => {
      const folder = new TempFolder();
      try {
        const path = folder.file('one-line.csv', `id,image,title${',x'.repeat(600_000)}`);
        const error = await refusal(reader().collect(path));
        expect(error.message).toBe('line 1 is longer than the 1 MiB limit for one row');
      } finally {
        folder.remove();
      }
    });

    it('refuses more data rows than the limit', async () => {
      const csv = new CatalogCsvBuilder()
        .row('a', 'a.png', 'A')
        .row('b', 'b.png', 'B')
        .row('c', 'c.png', 'C');
      const error = await refusal(reader({ maxRows: 2 }).collect(csv.stream()));
      expect(error.problem).toBe('too-many-rows');
      expect(error.message).toBe('the CSV has more than 2 data rows (line 4)');
    });

    it('refuses a quoted value that is never closed, naming the line it opens on', async () => {
      const csv = new CatalogCsvBuilder()
        .row('a', 'a.png', 'A')
        .rawLine('b,b.png,"open')
        .rawLine('c,c.png,C');
      const error = await refusal(reader().collect(csv.stream()));
      expect(error.problem).toBe('malformed');
      expect(error.message).toBe('a quoted value opened on line 3 is never closed');
    });

    it('refuses an empty file', async () => {
      const error = await refusal(reader().collect(Readable.from([Buffer.from('\n\n')])));
      expect(error.problem).toBe('empty');
    });

    it('stops reading the source when the caller stops early', async () => {
      const source = new CatalogCsvBuilder().row('a', 'a.png', 'A').row('b', 'b.png', 'B').stream();
      for await (const record of reader().read(source)) {
        expect(record.row).toBe(2);
        break;
      }
      expect(source.destroyed).toBe(true);
    });

    it('passes on a file that does not exist as it is', async () => {
      await expect(reader().collect('/nonexistent/catalog.csv')).rejects.toMatchObject({
        code: 'ENOENT',
      });
    });
  });

  describe('constructor', () => {
    it('refuses a limit that is not a positive integer', () => {
      expect(() => reader({ maxRows: 0 })).toThrow('maxRows must be a positive integer (got 0)');
    });
  });
});
