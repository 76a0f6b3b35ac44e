import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HubResponseError } from './fetch-errors';
import { downloadResumable } from './resumable-download';

const CONTENT = Buffer.from('0123456789abcdefghij');

/** Answers like a server holding CONTENT; `rangeAnswer` decides what a Range request gets. */
function server(rangeAnswer: 'honour' | 'ignore' | 'unsatisfiable' | 'misaligned') {
  const offsets: number[] = [];
  const open = async (offset: number): Promise<Response> => {
    offsets.push(offset);
    const total = CONTENT.length;
    if (offset === 0 || rangeAnswer === 'ignore')
      return new Response(CONTENT, { status: 200, headers: { 'content-length': String(total) } });
    if (rangeAnswer === 'unsatisfiable')
      return new Response(null, { status: 416, headers: { 'content-range': `bytes */${total}` } });
    const start = rangeAnswer === 'misaligned' ? offset - 1 : offset;
    return new Response(CONTENT.subarray(start), {
      status: 206,
      headers: { 'content-range': `bytes ${start}-${total - 1}/${total}` },
    });
  };
  return { open, offsets };
}

describe(downloadResumable.name, () => {
  let dir: string;
  let partialPath: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'resumable-'));
    partialPath = join(dir, 'file.partial');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends the rest of the file after an existing partial', async () => {
    await writeFile(partialPath, CONTENT.subarray(0, 8));
    const { open, offsets } = server('honour');

    const result = await downloadResumable({ label: 'file', partialPath, open });

    expect(offsets).toEqual([8]);
    expect(result).toEqual({ bytes: 20, resumedFrom: 8, discarded: 0 });
    expect((await readFile(partialPath)).equals(CONTENT)).toBe(true);
  });

  it('overwrites the partial when the server ignores Range and sends everything', async () => {
    await writeFile(partialPath, 'XXXXXXXX');
    const { open, offsets } = server('ignore');

    const result = await downloadResumable({ label: 'file', partialPath, open });

    expect(offsets).toEqual([8]);
    expect(result).toEqual({ bytes: 20, resumedFrom: 0, discarded: 8 });
    expect((await readFile(partialPath)).equals(CONTENT)).toBe(true);
  });

  it.each(['unsatisfiable', 'misaligned'] as const)(
    'starts over when the server answers a Range request %s',
    async (answer) => {
      await writeFile(partialPath, CONTENT.subarray(0, 8));
      const { open, offsets } = server(answer);

      const result = await downloadResumable({ label: 'file', partialPath, open });

      expect(offsets).toEqual([8, 0]);
      expect(result.resumedFrom).toBe(0);
      expect((await readFile(partialPath)).equals(CONTENT)).toBe(true);
    },
  );

  it('requests nothing when the partial already has the announced size', async () => {
    await writeFile(partialPath, CONTENT);
    const { open, offsets } = server('honour');

    expect(
      await downloadResumable({ label: 'file', partialPath, open, expectedSize: CONTENT.length }),
    ).toEqual({ bytes: 20, resumedFrom: 20, discarded: 0 });
    expect(offsets).toEqual([]);
  });

  it('drops a partial longer than the announced size', async () => {
    await writeFile(partialPath, Buffer.concat([CONTENT, CONTENT]));
    const { open, offsets } = server('honour');

    await downloadResumable({ label: 'file', partialPath, open, expectedSize: CONTENT.length });

    expect(offsets).toEqual([0]);
    expect((await readFile(partialPath)).equals(CONTENT)).toBe(true);
  });

  it('refuses any other status', async () => {
    const open = async (): Promise<Response> => new Response('nope', { status: 500 });

    await expect(downloadResumable({ label: 'file', partialPath, open })).rejects.toThrow(
      HubResponseError,
    );
  });
});
