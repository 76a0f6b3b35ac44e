import type { IngestRowError } from '@imgsearch/queue';

export const ERRORS_CSV_HEADER = ['row', 'id', 'file', 'reason'];

/**
 * The error report as CSV lines (RFC 4180: CRLF endings, fields quoted when they hold a comma,
 * a quote or a line break, quotes doubled). Written here rather than with csv-stringify, which
 * is not a dependency, because four columns of escaping are a dozen lines.
 */
export function* errorsCsvLines(errors: Iterable<IngestRowError>): Generator<string> {
  yield csvLine(ERRORS_CSV_HEADER);
  for (const error of errors) {
    yield csvLine([String(error.row), error.id ?? '', error.file ?? '', error.reason]);
  }
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
