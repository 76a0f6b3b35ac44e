import { metadataKeyProblem } from '@imgsearch/vector-store';
import { toMetadataValue } from './cell-value';
import { CatalogCsvError } from './catalog-csv.error';
import type { CatalogMetadata, CatalogRecord, CatalogRowError } from './catalog-record';
import {
  compileMapping,
  validateHeader,
  type CatalogMapping,
  type ValueSource,
} from './csv-mapping';

type Cells = readonly string[];
type SourceValue = { kind: 'value'; value: string } | { kind: 'missing'; problem: string };

/**
 * Turns the cells of one CSV row into an item or a row error. Remembers the ids it has
 * handed out, so a repeated id is reported with the row that used it first.
 */
export class CatalogRowMapper {
  private readonly columns: ReadonlyMap<string, number>;
  private readonly metadataColumns: ReadonlyArray<{ name: string; index: number }>;
  private readonly firstRowOfId = new Map<string, number>();
  private readonly id: ValueSource;
  private readonly image: ValueSource;

  /**
   * @param headerLine where the header sits in the file, for error messages (default 1).
   * @throws CatalogCsvError when the header lacks a column the mapping needs, repeats one, or
   *   names a metadata column in a way that cannot be stored (`$price`, `#tag`, `__proto__`).
   */
  constructor(
    private readonly header: readonly string[],
    mapping: CatalogMapping,
    headerLine = 1,
  ) {
    const names = header.map((cell) => cell.trim());
    assertNoRepeats(names, headerLine);
    const missing = validateHeader(names, mapping);
    if (missing.length > 0) {
      const list = missing.map((column) => `"${column}"`).join(', ');
      throw new CatalogCsvError('missing-columns', `the CSV header lacks the column(s) ${list}`, {
        line: headerLine,
        columns: missing,
      });
    }
    const compiled = compileMapping(mapping);
    this.id = compiled.id;
    this.image = compiled.image;
    this.columns = new Map(names.map((name, index) => [name, index]));
    this.metadataColumns = pickMetadataColumns(names, compiled.metadataColumns, [
      this.id,
      this.image,
    ]);
    assertStorableNames(this.metadataColumns, headerLine);
  }

  /** Maps one data row that starts on line `row` of the file. */
  map(cells: Cells, row: number): CatalogRecord {
    const extra = cells.slice(this.header.length).filter((cell) => cell.trim() !== '');
    if (extra.length > 0) {
      return fail(
        row,
        `the row has ${cells.length} cells but the header has ${this.header.length} columns; is a comma in a value not quoted?`,
      );
    }
    const id = this.valueOf(this.id, cells, 'id');
    if (id.kind === 'missing') return fail(row, id.problem);
    const firstRow = this.firstRowOfId.get(id.value);
    if (firstRow !== undefined) {
      return fail(row, `duplicate id "${id.value}", first seen on row ${firstRow}`, id.value);
    }
    this.firstRowOfId.set(id.value, row);
    const image = this.valueOf(this.image, cells, 'image');
    if (image.kind === 'missing') return fail(row, image.problem, id.value);
    return {
      kind: 'item',
      row,
      id: id.value,
      imagePath: image.value,
      metadata: this.metadataOf(cells),
    };
  }

  private valueOf(source: ValueSource, cells: Cells, what: 'id' | 'image'): SourceValue {
    const cellOf = (column: string) => cells[this.columns.get(column) ?? -1]?.trim();
    if (source.kind === 'column') {
      const value = cellOf(source.column);
      if (value) return { kind: 'value', value };
      return { kind: 'missing', problem: `missing ${what}: column "${source.column}" is empty` };
    }
    const filled = source.template.fill(cellOf);
    if (filled.kind === 'value') return filled;
    return {
      kind: 'missing',
      problem: `missing ${what}: template "${source.template.source}" needs column "${filled.column}", which is empty`,
    };
  }

  private metadataOf(cells: Cells): CatalogMetadata {
    // No prototype: a column named like an Object.prototype member (`constructor`) is a plain key.
    const metadata: CatalogMetadata = Object.create(null) as CatalogMetadata;
    for (const { name, index } of this.metadataColumns) {
      const cell = cells[index]?.trim();
      if (cell) metadata[name] = toMetadataValue(cell);
    }
    return metadata;
  }
}

function fail(row: number, reason: string, id?: string): CatalogRowError {
  return id === undefined ? { kind: 'error', row, reason } : { kind: 'error', row, id, reason };
}

function assertNoRepeats(names: readonly string[], line: number): void {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const name of names) {
    if (name === '') continue;
    if (seen.has(name)) repeated.add(name);
    seen.add(name);
  }
  if (repeated.size === 0) return;
  const list = [...repeated].map((column) => `"${column}"`).join(', ');
  throw new CatalogCsvError('duplicate-columns', `the CSV header repeats the column(s) ${list}`, {
    line,
    columns: [...repeated],
  });
}

/**
 * Metadata column names must be keys the vector store accepts; otherwise every chunk of the
 * upload would fail when written, so the upload is refused while the uploader can still fix it.
 */
function assertStorableNames(columns: ReadonlyArray<{ name: string }>, line: number): void {
  const refused = columns.flatMap(({ name }) => {
    const problem = metadataKeyProblem(name);
    return problem === undefined ? [] : [{ name, problem }];
  });
  if (refused.length === 0) return;
  const message = refused
    .map(({ name, problem }) => `CSV column "${name}" cannot be stored as metadata: ${problem}`)
    .join('; ');
  throw new CatalogCsvError('unstorable-columns', message, {
    line,
    columns: refused.map(({ name }) => name),
  });
}

/**
 * A whitelist is taken as given. Otherwise every named column is metadata except one read
 * directly as the id or the image path: those are stored as the item id and the image.
 * Columns that only feed a template stay, as the Flask app kept them.
 */
function pickMetadataColumns(
  names: readonly string[],
  whitelist: readonly string[] | undefined,
  sources: readonly ValueSource[],
): Array<{ name: string; index: number }> {
  const indexed = names.map((name, index) => ({ name, index })).filter(({ name }) => name !== '');
  if (whitelist !== undefined) return indexed.filter(({ name }) => whitelist.includes(name));
  const direct = new Set(
    sources.flatMap((source) => (source.kind === 'column' ? [source.column] : [])),
  );
  return indexed.filter(({ name }) => !direct.has(name));
}
