import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  ChecksumMismatchError,
  DownloadInterruptedError,
  HubNotFoundError,
  HubUnreachableError,
} from './fetch-errors';
import { fetchModel, FetchModelOptions } from './fetch-model';
import { hashBytes } from './sha256';
import { FakeHub } from './test/fake-hub.server';

const TINY_MODEL = resolve(__dirname, '../../models/tiny-random-clip');
const MODEL_ID = 'test-org/tiny-random-clip';
const REPO_FILES = [
  'config.json',
  'preprocessor_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'onnx/text_model.onnx',
  'onnx/vision_model.onnx',
];

async function tinyModelFiles(): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const path of REPO_FILES) files.set(path, await readFile(join(TINY_MODEL, path)));
  return files;
}

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe(fetchModel.name, () => {
  let hub: FakeHub;
  let outDir: string;
  let logLines: string[];
  const options = (overrides: Partial<FetchModelOptions> = {}): FetchModelOptions => ({
    model: MODEL_ID,
    endpoint: hub.endpoint,
    outDir,
    retries: 0,
    retryDelayMs: 0,
    log: (line) => logLines.push(line),
    ...overrides,
  });
  const localBytes = (path: string): Promise<Buffer> => readFile(join(outDir, path));

  beforeEach(async () => {
    hub = await new FakeHub(MODEL_ID, await tinyModelFiles()).start();
    outDir = await mkdtemp(join(tmpdir(), 'model-fetch-'));
    logLines = [];
  });

  afterEach(async () => {
    await hub.close();
    await rm(outDir, { recursive: true, force: true });
  });

  it('writes every file byte-identical to the hub and records its sha256 in fetch-info.json', async () => {
    const result = await fetchModel(options());

    for (const path of REPO_FILES)
      expect((await localBytes(path)).equals(hub.behaviour.files.get(path) as Buffer)).toBe(true);
    const info = JSON.parse((await localBytes('fetch-info.json')).toString());
    expect(info).toMatchObject({
      model: MODEL_ID,
      variant: 'fp32',
      endpoint: hub.endpoint,
      revision: 'main',
      absent: [],
    });
    const vision = hashBytes(hub.behaviour.files.get('onnx/vision_model.onnx') as Buffer);
    expect(info.files['onnx/vision_model.onnx']).toEqual({
      source: 'onnx/vision_model.onnx',
      size: vision.size,
      sha256: vision.sha256,
      verifiedBy: 'sha256',
    });
    expect(info.files['tokenizer.json'].verifiedBy).toBe('git-blob-id');
    expect(result.files.every((file) => file.status === 'downloaded')).toBe(true);
    expect((await readdir(join(outDir, 'onnx'))).sort()).toEqual([
      'text_model.onnx',
      'vision_model.onnx',
    ]);
  });

  it('continues an interrupted tower with a Range request on the next run', async () => {
    const cutAt = 300_000;
    hub.behaviour.cut = { path: 'onnx/vision_model.onnx', bytes: cutAt };

    const firstRun = fetchModel(options());
    await expect(firstRun).rejects.toThrow(DownloadInterruptedError);
    await expect(firstRun).rejects.toThrow(
      /download of onnx\/vision_model\.onnx interrupted after \d+ bytes.*rerun the same command/,
    );
    // The socket may drop bytes it had not yet handed over, so the partial can be a little shorter.
    const kept = (await stat(join(outDir, 'onnx/vision_model.onnx.partial'))).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(cutAt);
    await expect(stat(join(outDir, 'onnx/vision_model.onnx'))).rejects.toThrow(/ENOENT/);
    await expect(stat(join(outDir, 'fetch-info.json'))).rejects.toThrow(/ENOENT/);

    const result = await fetchModel(options());

    expect(hub.contentRequests('onnx/vision_model.onnx').map((request) => request.range)).toEqual([
      undefined,
      `bytes=${kept}-`,
    ]);
    expect(
      (await localBytes('onnx/vision_model.onnx')).equals(
        hub.behaviour.files.get('onnx/vision_model.onnx') as Buffer,
      ),
    ).toBe(true);
    expect(result.files.find((file) => file.local === 'onnx/vision_model.onnx')).toMatchObject({
      status: 'downloaded',
      resumedFrom: kept,
    });
    await expect(stat(join(outDir, 'onnx/vision_model.onnx.partial'))).rejects.toThrow(/ENOENT/);
  });

  it('resumes within the same run when retries are allowed', async () => {
    hub.behaviour.cut = { path: 'onnx/text_model.onnx', bytes: 1_000_000 };

    await fetchModel(options({ retries: 1 }));

    const ranges = hub.contentRequests('onnx/text_model.onnx').map((request) => request.range);
    expect(ranges).toEqual([undefined, expect.stringMatching(/^bytes=\d+-$/)]);
    expect(
      logLines.some((line) => line.startsWith('onnx/text_model.onnx: interrupted after')),
    ).toBe(true);
    expect(
      (await localBytes('onnx/text_model.onnx')).equals(
        hub.behaviour.files.get('onnx/text_model.onnx') as Buffer,
      ),
    ).toBe(true);
  });

  it('gives up on a transfer that stalls, keeping what arrived', async () => {
    hub.behaviour.cut = { path: 'onnx/vision_model.onnx', bytes: 300_000, stall: true };

    const run = fetchModel(options({ idleTimeoutMs: 200 }));

    await expect(run).rejects.toThrow(
      /onnx\/vision_model\.onnx interrupted after \d+ bytes \(no data for 0\.2 s\)/,
    );
    expect((await stat(join(outDir, 'onnx/vision_model.onnx.partial'))).size).toBeGreaterThan(0);
  });

  it('starts over when the server ignores the Range header', async () => {
    hub.behaviour.cut = { path: 'onnx/vision_model.onnx', bytes: 300_000 };
    await expect(fetchModel(options())).rejects.toThrow(DownloadInterruptedError);
    hub.behaviour.ignoreRange = true;

    await fetchModel(options());

    expect(
      (await localBytes('onnx/vision_model.onnx')).equals(
        hub.behaviour.files.get('onnx/vision_model.onnx') as Buffer,
      ),
    ).toBe(true);
  });

  it('skips files that are already complete and verified', async () => {
    await fetchModel(options());
    hub.requests.length = 0;

    const result = await fetchModel(options());

    expect(result.files.every((file) => file.status === 'already-complete')).toBe(true);
    expect(
      hub.requests.filter(
        (request) => request.method === 'GET' && !request.path.startsWith('/api/'),
      ),
    ).toEqual([]);
  });

  it('fails naming the file and both hashes when the sha256 does not match, leaving no file behind', async () => {
    const wrong = 'ab'.repeat(32);
    const actual = hashBytes(hub.behaviour.files.get('onnx/vision_model.onnx') as Buffer).sha256;
    hub.behaviour.publishedSha256.set('onnx/vision_model.onnx', wrong);

    const run = fetchModel(options());

    await expect(run).rejects.toThrow(ChecksumMismatchError);
    await expect(run).rejects.toThrow(
      `onnx/vision_model.onnx failed its sha256 check: expected ${wrong}, got ${actual}`,
    );
    const left = await readdir(join(outDir, 'onnx'));
    expect(left).not.toContain('vision_model.onnx');
    expect(left).not.toContain('vision_model.onnx.partial');
  });

  it('reports an endpoint nobody answers on as "cannot reach", exit code 2', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;

    const run = fetchModel(options({ endpoint }));

    await expect(run).rejects.toThrow(HubUnreachableError);
    await expect(run).rejects.toThrow(
      new RegExp(
        `^cannot reach ${endpoint}: .*ECONNREFUSED.*This machine may have no internet; copy a model folder into models/`,
      ),
    );
    await expect(run).rejects.toMatchObject({ exitCode: 2 });
  });

  it('reports a hub that accepts connections but never answers as "cannot reach"', async () => {
    const silent = createHttpServer(() => undefined);
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    const endpoint = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      await expect(fetchModel(options({ endpoint, responseTimeoutMs: 200 }))).rejects.toThrow(
        `cannot reach ${endpoint}: no response within 0.2 s.`,
      );
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((done) => silent.close(() => done()));
    }
  });

  it('says a model the hub does not know does not exist or needs a token', async () => {
    const run = fetchModel(options({ model: 'test-org/no-such-model' }));

    await expect(run).rejects.toThrow(HubNotFoundError);
    await expect(run).rejects.toThrow(
      /model test-org\/no-such-model does not exist at .* or needs a token \(HTTP 404\).*set HF_TOKEN/,
    );
    expect(await readdir(outDir)).toEqual([]);
  });

  it('fetches the fp16 towers and saves them under the fp32 names', async () => {
    const fp16Text = Buffer.concat([
      Buffer.from('fp16 text '),
      hub.behaviour.files.get('onnx/text_model.onnx') as Buffer,
    ]);
    const fp16Vision = Buffer.concat([
      Buffer.from('fp16 vision '),
      hub.behaviour.files.get('onnx/vision_model.onnx') as Buffer,
    ]);
    hub.behaviour.files.set('onnx/text_model_fp16.onnx', fp16Text);
    hub.behaviour.files.set('onnx/vision_model_fp16.onnx', fp16Vision);

    const result = await fetchModel(options({ variant: 'fp16' }));

    expect((await localBytes('onnx/text_model.onnx')).equals(fp16Text)).toBe(true);
    expect((await localBytes('onnx/vision_model.onnx')).equals(fp16Vision)).toBe(true);
    expect(hub.contentRequests('onnx/text_model.onnx')).toEqual([]);
    expect(result.info.variant).toBe('fp16');
    expect(result.info.files['onnx/vision_model.onnx'].source).toBe('onnx/vision_model_fp16.onnx');
    expect((await readdir(join(outDir, 'onnx'))).sort()).toEqual([
      'text_model.onnx',
      'vision_model.onnx',
    ]);
  });

  it('fails before downloading anything when the variant is not published', async () => {
    const run = fetchModel(options({ variant: 'quantized' }));

    await expect(run).rejects.toThrow(
      /onnx\/text_model_quantized\.onnx, onnx\/vision_model_quantized\.onnx not found in test-org\/tiny-random-clip@main/,
    );
    expect(
      hub.requests.filter(
        (request) => request.method === 'GET' && !request.path.startsWith('/api/'),
      ),
    ).toEqual([]);
  });

  it('skips a missing optional file with a note', async () => {
    hub.behaviour.files.delete('special_tokens_map.json');

    const result = await fetchModel(options());

    expect(result.info.absent).toEqual(['special_tokens_map.json']);
    expect(logLines).toContain(
      'special_tokens_map.json: not in the repository, skipped (optional)',
    );
  });

  it('reads the sha256 from HEAD x-linked-etag where the tree API is missing', async () => {
    hub.behaviour.treeApi = false;
    hub.behaviour.publishedSha256.set('onnx/text_model.onnx', 'cd'.repeat(32));

    await expect(fetchModel(options())).rejects.toThrow(
      /onnx\/text_model\.onnx failed its sha256 check: expected cdcd/,
    );
    hub.behaviour.publishedSha256.clear();
    const result = await fetchModel(options());

    expect(result.info.files['onnx/text_model.onnx'].verifiedBy).toBe('sha256');
    expect(result.info.files['config.json'].verifiedBy).toBe('size');
    expect(
      (await localBytes('onnx/text_model.onnx')).equals(
        hub.behaviour.files.get('onnx/text_model.onnx') as Buffer,
      ),
    ).toBe(true);
  });

  it('replaces a stale local file whose checksum no longer matches', async () => {
    await fetchModel(options());
    await writeFile(join(outDir, 'onnx/vision_model.onnx'), 'stale');

    const result = await fetchModel(options());

    expect(result.files.find((file) => file.local === 'onnx/vision_model.onnx')?.status).toBe(
      'downloaded',
    );
    expect(
      (await localBytes('onnx/vision_model.onnx')).equals(
        hub.behaviour.files.get('onnx/vision_model.onnx') as Buffer,
      ),
    ).toBe(true);
  });
});
