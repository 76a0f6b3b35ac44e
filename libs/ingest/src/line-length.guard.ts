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
    for (let at = nextBreak(chunk, start); at !== -1; at = nextBreak(chunk, start)) {
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

function nextBreak(chunk: Buffer, from: number): number {
  const lf = chunk.indexOf(LF, from);
  const cr = chunk.indexOf(CR, from);
  if (lf === -1) return cr;
  if (cr === -1) return lf;
  return Math.min(lf, cr);
}
