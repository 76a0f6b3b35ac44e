/** Why a whole CSV was refused; the gateway answers 422 (413 for the size limits). */
export type CatalogCsvProblem =
  | 'empty'
  | 'missing-columns'
  | 'duplicate-columns'
  | 'unstorable-columns'
  | 'not-utf8'
  | 'record-too-large'
  | 'too-many-rows'
  | 'malformed';

/**
 * A CSV that cannot be read as a catalogue at all. Thrown, unlike row problems, because
 * nothing after it can be trusted; `line` is where the reader stopped, `columns` the
 * columns a header lacks, repeats, or names in a way that cannot be stored as metadata.
 */
export class CatalogCsvError extends Error {
  constructor(
    readonly problem: CatalogCsvProblem,
    message: string,
    readonly details: { line?: number; columns?: string[] } = {},
  ) {
    super(message);
    this.name = 'CatalogCsvError';
  }
}
