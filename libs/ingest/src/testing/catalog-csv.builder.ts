import { Readable } from 'node:stream';

/** Builds catalogue CSV text, quoting cells the way spreadsheets do. */
export class CatalogCsvBuilder {
  private readonly lines: string[];
  private bom = false;
  private eol = '\n';

  constructor(header: readonly string[] = ['id', 'image', 'title']) {
    this.lines = [toLine(header)];
  }

  row(...cells: Array<string | number>): this {
    this.lines.push(toLine(cells.map(String)));
    return this;
  }

  /** Adds a line exactly as given, for text no spreadsheet would write. */
  rawLine(line: string): this {
    this.lines.push(line);
    return this;
  }

  withBom(): this {
    this.bom = true;
    return this;
  }

  withCrlf(): this {
    this.eol = '\r\n';
    return this;
  }

  build(): string {
    return `${this.bom ? '\uFEFF' : ''}${this.lines.join(this.eol)}${this.eol}`;
  }

  stream(): Readable {
    return Readable.from([Buffer.from(this.build())]);
  }
}

function toLine(cells: readonly string[]): string {
  return cells
    .map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell))
    .join(',');
}
