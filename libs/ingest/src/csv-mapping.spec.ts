import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CatalogMappingError,
  DEFAULT_CATALOG_MAPPING,
  parseCatalogMapping,
  requiredColumns,
  validateHeader,
} from './csv-mapping';

const FALL24_MAPPING = join(__dirname, '../../../samples/seed-format/Fall24.mapping.json');

function problemsOf(input: unknown): string[] {
  try {
    parseCatalogMapping(input);
  } catch (error) {
    if (error instanceof CatalogMappingError) return error.problems;
    throw error;
  }
  throw new Error('expected the mapping to be refused');
}

describe(parseCatalogMapping.name, () => {
  it.each([undefined, null, '', '  '])('gives the default mapping for %p', (input) => {
    expect(parseCatalogMapping(input)).toEqual({ idColumn: 'id', imageColumn: 'image' });
  });

  it('fills in the default for the column a mapping leaves out', () => {
    expect(parseCatalogMapping({ idColumn: 'sku' })).toEqual({
      idColumn: 'sku',
      imageColumn: 'image',
    });
  });

  it('reads the Fall24 mapping file, templates and folder included', () => {
    const mapping = parseCatalogMapping(readFileSync(FALL24_MAPPING, 'utf8'));
    expect(mapping).toEqual({
      idTemplate: '{collection_changed}{Serial No.}',
      imageTemplate: '{collection_changed}{Serial No.}.jpg',
      imageFolder: 'Fall24',
    });
  });

  it('trims names and normalizes the image folder', () => {
    const mapping = parseCatalogMapping({ idColumn: ' sku ', imageFolder: './photos\\2024/' });
    expect(mapping).toEqual({ idColumn: 'sku', imageColumn: 'image', imageFolder: 'photos/2024' });
  });

  it('names an unknown field and lists the known ones', () => {
    const [problem] = problemsOf({ idColum: 'sku' });
    expect(problem).toContain('unknown field "idColum"');
    expect(problem).toContain('idColumn');
  });

  it('names a field of the wrong type', () => {
    expect(problemsOf({ idColumn: 7 })).toEqual([
      'mapping.idColumn: Expected string, received number',
    ]);
  });

  it('names a bad template by its field', () => {
    const [problem] = problemsOf({ imageTemplate: '{collection_changed{Serial No.}.jpg' });
    expect(problem).toMatch(/^mapping\.imageTemplate: /);
    expect(problem).toContain('nested braces');
  });

  it('refuses a column and a template for the same value', () => {
    expect(problemsOf({ idColumn: 'id', idTemplate: '{a}' })).toEqual([
      'mapping: give either idColumn or idTemplate, not both',
    ]);
  });

  it('names each bad field at once', () => {
    const problems = problemsOf({ idColumn: '', metadataColumns: ['a', 'a'] });
    expect(problems).toEqual([
      'mapping.idColumn: must name a column',
      'mapping.metadataColumns: lists a column twice',
    ]);
  });

  it('refuses an image folder outside the archive', () => {
    expect(problemsOf({ imageFolder: '../elsewhere' })[0]).toContain('mapping.imageFolder');
  });

  it('refuses text that is not JSON', () => {
    expect(problemsOf('{idColumn: sku}')[0]).toMatch(/^mapping: is not valid JSON/);
  });
});

describe(requiredColumns.name, () => {
  it('needs id and image for the default mapping', () => {
    expect(requiredColumns(DEFAULT_CATALOG_MAPPING)).toEqual(['id', 'image']);
  });

  it('needs every column a template reads, once', () => {
    const mapping = parseCatalogMapping({ idTemplate: '{c}{n}', imageTemplate: '{c}{n}.jpg' });
    expect(requiredColumns(mapping)).toEqual(['c', 'n']);
  });

  it('needs the whitelisted metadata columns', () => {
    const mapping = parseCatalogMapping({ metadataColumns: ['title', 'Color'] });
    expect(requiredColumns(mapping)).toEqual(['id', 'image', 'title', 'Color']);
  });
});

describe(validateHeader.name, () => {
  it('finds nothing missing in a header that fits, ignoring padding', () => {
    expect(validateHeader([' id', 'image ', 'title'], DEFAULT_CATALOG_MAPPING)).toEqual([]);
  });

  it('lists the columns a header lacks', () => {
    expect(validateHeader(['sku', 'title'], DEFAULT_CATALOG_MAPPING)).toEqual(['id', 'image']);
  });

  it('lists a column a template names that the header lacks', () => {
    const mapping = parseCatalogMapping({
      idTemplate: '{collection}{Serial No.}',
      imageColumn: 'image',
    });
    expect(validateHeader(['Serial No.', 'image'], mapping)).toEqual(['collection']);
  });
});
