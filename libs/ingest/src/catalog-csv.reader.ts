import { CsvError, parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { CatalogCsvError } from './catalog-csv.error';
import type { CatalogItem, CatalogRecord, CatalogRowError } from './catalog-record';
import { CatalogRowMapper } from './catalog-row.mapper';
import type { CatalogMapping } from './csv-mapping';
import { formatBytes } from './format-bytes';
import { LineCounter } from './line-counter';
import { LineLengthGuard } from './line-length.guard';
import { Utf8Guard } from './utf8.guard';

export interface CatalogCsvOptions {
  /**
   * Longest row, in bytes, before the whole CSV is refused with the line it stopped at.
   * Guards memory against a file with no line breaks. Default 1 MiB.
   */
  maxRecordBytes?: number;
  /** Most data rows one CSV may have; the header and blank rows do not count. Default 1,000,000. */
  maxRows?: number;
}

/** Everything a CSV yields, for the gateway to validate and split into chunk jobs. */
export interface CatalogCsvContents {
  /** Header cells, trimmed. */
  header: string[];
  items: CatalogItem[];
  errors: CatalogRowError[];
  /** Data rows read, items and errors together (blank rows skipped). */
  rows: number;
}

export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
export const DEFAULT_MAX_ROWS = 1_000_000;

type ParsedRecord = { cells: string[]; line: number };

/**
 * Streams a catalogue CSV (UTF-8, comma-separated, optional BOM, any line ending) through a
 * mapping. Row problems come out as `{ kind: 'error' }` records; a file that cannot be a
 * catalogue (no header, missing or unstorable columns, bytes that are not UTF-8, a row over the
 * size limit, broken quoting, too many rows) throws {@link CatalogCsvError}.
 */
export class CatalogCsvReader {
  private readonly maxRecordBytes: number;
  private readonly maxRows: number;

  constructor(
    private readonly mapping: CatalogMapping,
    options: CatalogCsvOptions = {},
  ) {
    this.maxRecordBytes = positiveInteger(
      'maxRecordBytes',
      options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    );
    this.maxRows = positiveInteger('maxRows', options.maxRows ?? DEFAULT_MAX_ROWS);
  }

  /** Yields one record per non-blank data row, in file order. `source` is a path or a byte stream. */
  async *read(source: string | Readable): AsyncGenerator<CatalogRecord> {
    yield* this.readWithHeader(source, () => undefined);
  }

  /** Reads the whole CSV into memory; rows are small, so even a million fit. */
  async collect(source: string | Readable): Promise<CatalogCsvContents> {
    const contents: CatalogCsvContents = { header: [], items: [], errors: [], rows: 0 };
    const records = this.readWithHeader(source, (header) => (contents.header = header));
    for await (const record of records) {
      contents.rows += 1;
      if (record.kind === 'item') contents.items.push(record);
      else contents.errors.push(record);
    }
    return contents;
  }

  private async *readWithHeader(
    source: string | Readable,
    onHeader: (header: string[]) => void,
  ): AsyncGenerator<CatalogRecord> {
    const lines = new LineCounter();
    const parser = parse({
      bom: true,
      // Column counts are checked per row (a short row is fine, extra values are a row error).
      relax_column_count: true,
      // A quote inside an unquoted value, as in `5" wide`, is text, not a parse failure.
      relax_quotes: true,
      // Blank lines are kept so the line count stays right; blank rows are skipped below.
      skip_empty_lines: false,
      max_record_size: this.maxRecordBytes,
      // Runs synchronously in parse order, so `lines` is exact even when the parser fails.
      on_record: (cells: string[]): ParsedRecord => ({ cells, line: lines.advance(cells) }),
    });
    const input = typeof source === 'string' ? createReadStream(source) : source;
    const utf8 = new Utf8Guard((line) => notUtf8(line));
    const guard = new LineLengthGuard(this.maxRecordBytes, (line) => this.tooLarge(line));
    pipeline(input, utf8, guard, parser, () => undefined);

    let mapper: CatalogRowMapper | undefined;
    let rows = 0;
    try {
      for await (const { cells, line } of parser as AsyncIterable<ParsedRecord>) {
        if (isBlank(cells)) continue;
        if (mapper === undefined) {
          mapper = new CatalogRowMapper(cells, this.mapping, line);
          onHeader(cells.map((cell) => cell.trim()));
          continue;
        }
        rows += 1;
        if (rows > this.maxRows) {
          throw new CatalogCsvError(
            'too-many-rows',
            `the CSV has more than ${this.maxRows} data rows (line ${line})`,
            { line },
          );
        }
        yield mapper.map(cells, line);
      }
    } catch (error) {
      throw error instanceof CsvError ? this.describe(error, lines.next) : error;
    } finally {
      parser.destroy();
      guard.destroy();
      utf8.destroy();
      input.destroy();
    }
    if (mapper === undefined) {
      throw new CatalogCsvError('empty', 'the CSV is empty: it needs a header row');
    }
  }

  private describe(error: CsvError, line: number): CatalogCsvError {
    if (error.code === 'CSV_MAX_RECORD_SIZE') return this.tooLarge(line);
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      return new CatalogCsvError(
        'malformed',
        `a quoted value opened on line ${line} is never closed`,
        { line },
      );
    }
    return new CatalogCsvError(
      'malformed',
      `the CSV cannot be read at line ${line}: ${error.message}`,
      { line },
    );
  }

  private tooLarge(line: number): CatalogCsvError {
    const limit = formatBytes(this.maxRecordBytes);
    return new CatalogCsvError(
      'record-too-large',
      `line ${line} is longer than the ${limit} limit for one row`,
      { line },
    );
  }
}

function notUtf8(line: number): CatalogCsvError {
  return new CatalogCsvError(
    'not-utf8',
    `CSV is not valid UTF-8 (line ${line}); save it as UTF-8`,
    { line },
  );
}

function isBlank(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}

function positiveInteger(name: string, value: number): number {
  if (Number.isSafeInteger(value) && value > 0) return value;
  throw new RangeError(`${name} must be a positive integer (got ${value})`);
}
