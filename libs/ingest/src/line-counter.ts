const LINE_BREAK = /\r\n|\r|\n/g;

/**
 * Tracks the file line each parsed CSV record starts on. csv-parse's own `info.lines` counts
 * the two characters of a CRLF inside a quoted cell as two lines and stays off by one for the
 * rest of the file, so lines are counted here from the parsed cells instead. This needs every
 * record, blank lines included (`skip_empty_lines: false`); only quoted cells hold line breaks.
 */
export class LineCounter {
  private lastLine = 0;

  /** Line the next record will start on; where the parser stopped, when it fails. */
  get next(): number {
    return this.lastLine + 1;
  }

  /** Records one parsed record; returns the line it starts on. */
  advance(cells: readonly string[]): number {
    const start = this.next;
    let breaks = 0;
    for (const cell of cells) breaks += cell.match(LINE_BREAK)?.length ?? 0;
    this.lastLine = start + breaks;
    return start;
  }
}
