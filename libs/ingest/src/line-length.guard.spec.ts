import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LineLengthGuard } from './line-length.guard';

async function guard(chunks: string[], maxLineBytes: number): Promise<string> {
  const output: Buffer[] = [];
  const tooLong = (line: number) => new Error(`line ${line} too long`);
  await pipeline(
    Readable.from(chunks.map((chunk) => Buffer.from(chunk))),
    new LineLengthGuard(maxLineBytes, tooLong),
    async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) output.push(chunk);
    },
  );
  return Buffer.concat(output).toString();
}

describe(LineLengthGuard.name, () => {
  it('passes lines up to the limit through unchanged', async () => {
    await expect(guard(['abcd\nef', 'gh\r\nij'], 4)).resolves.toBe('abcd\nefgh\r\nij');
  });

  it('refuses a line over the limit, naming it', async () => {
    await expect(guard(['ab\ncd\r\nefghi\n'], 4)).rejects.toThrow('line 3 too long');
  });

  it('adds up a line across chunks', async () => {
    await expect(guard(['a\nbc', 'de', 'f\n'], 4)).rejects.toThrow('line 2 too long');
  });

  it('counts a CRLF split between chunks as one line break', async () => {
    await expect(guard(['a\r', '\nb\r', '\nccccc'], 4)).rejects.toThrow('line 3 too long');
  });

  it('counts lone CR and LF as line breaks', async () => {
    await expect(guard(['a\rb\nc\r\rddddd'], 4)).rejects.toThrow('line 5 too long');
  });
});
