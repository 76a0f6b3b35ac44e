import { Transform, type TransformCallback } from 'node:stream';

const LF = 0x0a;
const CR = 0x0d;
/** Longest unfinished UTF-8 sequence a chunk can end with (a 4-byte sequence less its last byte). */
const MAX_CARRY = 3;

/**
 * Passes bytes through, failing at the first byte sequence that is not UTF-8, with the line
 * it is on. Without it the CSV parser would turn such bytes (a Latin-1 `é`, a UTF-16 file)
 * into U+FFFD and the damaged text would be stored. Chunks are checked with a streaming
 * decoder, so a character split across two chunks is whole again; only when a chunk fails is
 * it scanned line by line to find the line to report.
 */
export class Utf8Guard extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly lines = new LineTracker();
  /** The last bytes passed on, which may hold the start of a character the next chunk ends. */
  private tail: Buffer = Buffer.alloc(0);

  constructor(private readonly invalid: (line: number) => Error) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      return callback(this.invalid(this.lineOfInvalidByte(chunk)));
    }
    this.lines.advance(chunk);
    this.tail = Buffer.concat([this.tail, chunk]).subarray(-MAX_CARRY);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    try {
      // Throws when the file ends in the middle of a character.
      this.decoder.decode();
    } catch {
      return callback(this.invalid(this.lines.line));
    }
    callback();
  }

  /** Decodes `chunk` again, a line at a time, to find the line its invalid byte is on. */
  private lineOfInvalidByte(chunk: Buffer): number {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const lines = this.lines.copy();
    // The unfinished character the previous chunk ended with, if any, starts at its lead byte.
    const lead = findLastIndex(this.tail, (byte) => (byte & 0xc0) !== 0x80);
    try {
      if (lead !== -1) decoder.decode(this.tail.subarray(lead), { stream: true });
      let start = 0;
      for (let at = nextBreak(chunk, 0); at !== -1; at = nextBreak(chunk, start)) {
        decoder.decode(chunk.subarray(start, at + 1), { stream: true });
        lines.advance(chunk.subarray(start, at + 1));
        start = at + 1;
      }
      decoder.decode(chunk.subarray(start), { stream: true });
    } catch {
      // `lines` stands on the line that failed.
    }
    return lines.line;
  }
}

/** Counts physical lines over a byte stream: CRLF, CR and LF each end one, as spreadsheets see it. */
class LineTracker {
  line = 1;
  /** The last bytes seen ended in CR, so an LF opening the next ones completes a CRLF. */
  private pendingCr = false;

  copy(): LineTracker {
    const copy = new LineTracker();
    copy.line = this.line;
    copy.pendingCr = this.pendingCr;
    return copy;
  }

  advance(bytes: Buffer): void {
    if (bytes.length === 0) return;
    let lf = bytes.indexOf(LF);
    let cr = bytes.indexOf(CR);
    let at = 0;
    while (lf !== -1 || cr !== -1) {
      const next = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      const secondHalfOfCrlf = next === 0 && this.pendingCr && bytes[0] === LF;
      if (!secondHalfOfCrlf) this.line += 1;
      this.pendingCr = bytes[next] === CR && next + 1 === bytes.length;
      at = bytes[next] === CR && bytes[next + 1] === LF ? next + 2 : next + 1;
      // Each position is searched for again only once passed, keeping the scan linear.
      if (lf !== -1 && lf < at) lf = bytes.indexOf(LF, at);
      if (cr !== -1 && cr < at) cr = bytes.indexOf(CR, at);
    }
    if (at < bytes.length) this.pendingCr = false;
  }
}

function nextBreak(bytes: Buffer, from: number): number {
  const lf = bytes.indexOf(LF, from);
  const cr = bytes.indexOf(CR, from);
  if (lf === -1) return cr;
  if (cr === -1) return lf;
  return Math.min(lf, cr);
}

function findLastIndex(bytes: Buffer, test: (byte: number) => boolean): number {
  for (let index = bytes.length - 1; index >= 0; index -= 1) if (test(bytes[index])) return index;
  return -1;
}
