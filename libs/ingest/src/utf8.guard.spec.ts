import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Utf8Guard } from './utf8.guard';

const latin1 = (text: string) => Buffer.from(text, 'latin1');
const utf8 = (text: string) => Buffer.from(text, 'utf8');

async function guard(chunks: Buffer[]): Promise<Buffer> {
  const output: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    new Utf8Guard((line) => new Error(`not UTF-8 on line ${line}`)),
    async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) output.push(chunk);
    },
  );
  return Buffer.concat(output);
}

/** `bytes` cut into chunks of `size` bytes, so characters and CRLFs fall across chunk ends. */
function split(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}

describe(Utf8Guard.name, () => {
  it('passes UTF-8 through unchanged, a BOM and characters of 2, 3 and 4 bytes included', async () => {
    const text = utf8('\uFEFFid,title\r\n1,café\n2,€ 10\r3,🧵 thread\n');
    await expect(guard([text])).resolves.toEqual(text);
  });

  it.each([1, 2, 3, 5])('accepts characters split across chunks of %i bytes', async (size) => {
    const text = utf8('id,title\n1,café crème\n2,€ and 🧵\n');
    await expect(guard(split(text, size))).resolves.toEqual(text);
  });

  it('refuses Latin-1 text, naming the line of the first bad byte', async () => {
    await expect(guard([latin1('id,title\n1,cafe\n2,café\n3,crème\n')])).rejects.toThrow(
      'not UTF-8 on line 3',
    );
  });

  it.each([1, 2, 7])(
    'names the same line when the file comes in chunks of %i bytes',
    async (size) => {
      const text = Buffer.concat([utf8('id,title\r\n1,é\r\n2,€\r\n3,'), latin1('é'), utf8('\r\n')]);
      await expect(guard(split(text, size))).rejects.toThrow('not UTF-8 on line 4');
    },
  );

  it('counts CRLF, CR and LF as one line break each', async () => {
    const text = Buffer.concat([utf8('a\r\nb\rc\nd\r\r'), latin1('é')]);
    await expect(guard([text])).rejects.toThrow('not UTF-8 on line 6');
  });

  it('refuses a character cut off by the end of a later chunk', async () => {
    // The lead byte of "é" ends one chunk, and the next chunk does not continue it.
    const chunks = [utf8('id\n1,caf'), Buffer.from([0xc3]), utf8('\nx\n')];
    await expect(guard(chunks)).rejects.toThrow('not UTF-8 on line 2');
  });

  it('refuses a file that ends in the middle of a character', async () => {
    await expect(guard([utf8('id\n1,caf'), Buffer.from([0xe2, 0x82])])).rejects.toThrow(
      'not UTF-8 on line 2',
    );
  });

  it('refuses a UTF-16 file on its first line', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id,image\n', 'utf16le')]);
    await expect(guard([utf16])).rejects.toThrow('not UTF-8 on line 1');
  });
});
