import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN, E2eStack, startE2eStack } from './harness/services';
import { photoCatalog, samples, seedCatalog, seedMapping } from './harness/samples';
import { GatewayClient, waitForJob } from '@imgsearch/client';

describe('upload a catalogue, then find its images', () => {
  let stack: E2eStack;
  let anonymous: GatewayClient;
  let admin: GatewayClient;

  beforeAll(async () => {
    // Two embedder processes share the chunks, as a deployment scales them.
    stack = await startE2eStack({ embedders: 2, env: { INGEST_CHUNK_SIZE: '4' } });
    anonymous = new GatewayClient(stack.gatewayUrl);
    admin = await anonymous.login(ADMIN.username, ADMIN.password);
  });
  afterAll(() => stack?.stop());

  it('embeds all 19 photographs of the photo catalogue', async () => {
    const upload = await admin.upload('/api/ingest', photoCatalog);
    expect(upload.status).toBe(202);
    expect(upload.body).toEqual({ jobId: expect.any(String), state: 'queued' });

    const status = await waitForJob(admin, upload.body.jobId);

    expect(status.state).toBe('completed');
    expect(status.progress).toEqual({ total: 19, embedded: 19, skipped: 0, failed: 0 });
    expect(status.errors).toEqual([]);
    expect(existsSync(join(stack.dataDir, 'uploads', upload.body.jobId))).toBe(false);
  });

  it('loads the old app catalogue unchanged with its mapping and reports the one missing image', async () => {
    const upload = await admin.upload('/api/ingest', seedCatalog, { mapping: seedMapping });
    expect(upload.status).toBe(202);

    const status = await waitForJob(admin, upload.body.jobId);

    expect(status.state).toBe('completed');
    expect(status.progress).toEqual({ total: 17, embedded: 16, skipped: 0, failed: 1 });
    expect(status.errors).toEqual([
      {
        row: 18,
        id: 'Fall2417',
        file: 'Fall2417.jpg',
        reason: expect.stringContaining('Fall2417.jpg'),
      },
    ]);
  });

  it('finds a catalogue photo first when searching with that photo', async () => {
    const search = await admin.upload(
      '/api/search/image',
      { image: join(samples, 'photos/chelsea.png') },
      { topK: '5' },
    );

    expect(search.status).toBe(200);
    const [first, ...rest] = search.body.results;
    expect(first.id).toBe('cat');
    expect(first.score).toBeGreaterThan(0.99);
    expect(first.metadata).toMatchObject({ title: expect.any(String) });
    expect(first.imageUrl).toBe('/api/items/cat/image');
    expect(rest.every((result: { score: number }) => result.score <= first.score)).toBe(true);
  });

  it('returns text search results sorted by cosine score, highest first', async () => {
    const search = await admin.post('/api/search/text', { query: 'a cat sitting', topK: 10 });

    expect(search.status).toBe(200);
    const scores = search.body.results.map((result: { score: number }) => result.score);
    expect(scores).toHaveLength(10);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores.every((score: number) => score >= -1 && score <= 1)).toBe(true);
  });

  it('serves the stored original and a JPEG thumbnail of a found item', async () => {
    const original = await admin.raw('/api/items/cat/image');
    const thumbnail = await admin.raw('/api/items/cat/thumbnail');

    expect(original.status).toBe(200);
    expect(
      Buffer.from(await original.arrayBuffer()).equals(
        readFileSync(join(samples, 'photos/chelsea.png')),
      ),
    ).toBe(true);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/jpeg');
  });

  it('answers 401 without a token and 403 when a user tries to ingest', async () => {
    const user = await anonymous.signupAndLogin('plain-user');

    const unauthenticated = await anonymous.post('/api/search/text', { query: 'cat' });
    const forbidden = await user.upload('/api/ingest', photoCatalog);

    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
  });
});
