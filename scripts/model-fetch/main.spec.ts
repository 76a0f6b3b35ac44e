import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { main } from './main';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

describe(main.name, () => {
  it('exits 2 with one "cannot reach" line when the hub is unreachable', async () => {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as { port: number };
    await new Promise<void>((done) => server.close(() => done()));
    const stdout = capture();
    const stderr = capture();

    const code = await main(
      ['--model', 'a/b', '--out', '/nonexistent/never-written'],
      { HF_ENDPOINT: `http://127.0.0.1:${port}` },
      stdout.stream,
      stderr.stream,
    );

    expect(code).toBe(2);
    const errors = stderr
      .text()
      .split('\n')
      .filter((line) => line.startsWith('model:fetch:'));
    expect(errors).toEqual([
      expect.stringMatching(
        new RegExp(`^model:fetch: cannot reach http://127\\.0\\.0\\.1:${port}: .*no internet`),
      ),
    ]);
    expect(stdout.text()).toBe('');
  });

  it('exits 1 with the usage for bad arguments', async () => {
    const stderr = capture();

    const code = await main(['--variant', 'fp8'], {}, capture().stream, stderr.stream);

    expect(code).toBe(1);
    expect(stderr.text()).toMatch(/--model is required/);
  });
});
