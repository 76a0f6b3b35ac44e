import { Transform, type TransformCallback } from 'node:stream';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Passes bytes through, failing once one physical line grows past `maxLineBytes`.
 * csv-parse's `max_record_size` counts cell contents but not the commas between them, so a
 * huge line of empty cells (`,,,,`...) would slip past it and build an enormous array; this
 * guard sits in front of the parser and bounds every line whatever it holds.
 */
export class LineLengthGuard extends Transform {
  private lineBytes = 0;
  private line = 1;
  /** The previous chunk ended in CR, so an LF opening this one completes a CRLF. */
  private pendingCr = false;

  constructor(
    private readonly maxLineBytes: number,
    private readonly tooLong: (line: number) => Error,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let start = 0;
    const nextBreak = breakFinder(chunk);
    for (let at = nextBreak(start); at !== -1; at = nextBreak(start)) {
      if (this.lineBytes + (at - start) > this.maxLineBytes) {
        return callback(this.tooLong(this.line));
      }
      const endsSplitCrlf = this.pendingCr && at === 0 && chunk[at] === LF;
      if (!endsSplitCrlf) this.line += 1;
      this.pendingCr = false;
      if (chunk[at] === CR) {
        if (at + 1 === chunk.length) this.pendingCr = true;
        else if (chunk[at + 1] === LF) at += 1;
      }
      this.lineBytes = 0;
      start = at + 1;
    }
    if (start < chunk.length) this.pendingCr = false;
    this.lineBytes += chunk.length - start;
    if (this.lineBytes > this.maxLineBytes) return callback(this.tooLong(this.line));
    callback(null, chunk);
  }
}

/**
 * Finds line breaks from ever-increasing positions. It remembers the next LF and the next CR,
 * so a file with one kind of break is scanned once, not once per line (which made a chunk
 * of many LF-only lines cost lines x chunk length, looking for a CR that never comes).
 */
function breakFinder(chunk: Buffer): (from: number) => number {
  let lf = -2;
  let cr = -2;
  return (from) => {
    if (lf !== -1 && lf < from) lf = chunk.indexOf(LF, from);
    if (cr !== -1 && cr < from) cr = chunk.indexOf(CR, from);
    if (lf === -1) return cr;
    if (cr === -1) return lf;
    return Math.min(lf, cr);
  };
}
