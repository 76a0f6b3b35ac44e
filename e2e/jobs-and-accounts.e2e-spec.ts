import { join } from 'node:path';
import { GatewayClient, IngestStatus, waitForJob } from '@imgsearch/client';
import { ADMIN, E2eStack, startE2eStack } from './harness/services';
import { photoCatalog, Result, samples, seedCatalog, seedMapping } from './harness/samples';

describe('jobs, listing, filters and accounts', () => {
  let stack: E2eStack;
  let anonymous: GatewayClient;
  let admin: GatewayClient;

  beforeAll(async () => {
    // No embedder at first, so a job can be cancelled before any chunk runs.
    stack = await startE2eStack({
      embedders: 0,
      env: { INGEST_CHUNK_SIZE: '5', LOGIN_MAX_ATTEMPTS_PER_USERNAME: '3' },
    });
    anonymous = new GatewayClient(stack.gatewayUrl);
    admin = await anonymous.login(ADMIN.username, ADMIN.password);
  });
  afterAll(() => stack?.stop());

  describe('job control', () => {
    it('cancels a job whose chunks have not started: it ends cancelled with every row skipped', async () => {
      const upload = await admin.upload('/api/ingest', photoCatalog);
      const cancel = await admin.delete(`/api/ingest/${upload.body.jobId}`);
      await stack.addEmbedder();

      const status = await waitForJob(admin, upload.body.jobId);

      expect(cancel.status).toBe(202);
      expect(status.state).toBe('cancelled');
      expect(status.progress).toEqual({ total: 19, embedded: 0, skipped: 19, failed: 0 });
      const again = await admin.delete(`/api/ingest/${upload.body.jobId}`);
      expect(again.status).toBe(409);
    });

    it('streams progress as server-sent events until the job ends', async () => {
      const upload = await admin.upload('/api/ingest', photoCatalog);

      const events = await readEvents(admin, `/api/ingest/${upload.body.jobId}/events`);

      expect(events.length).toBeGreaterThan(0);
      expect(events.at(-1)).toMatchObject({
        jobId: upload.body.jobId,
        state: 'completed',
        progress: { embedded: 19 },
      });
    });

    it('lists jobs newest first and downloads row errors as CSV', async () => {
      const upload = await admin.upload('/api/ingest', seedCatalog, { mapping: seedMapping });
      await waitForJob(admin, upload.body.jobId);

      const jobs = await admin.get('/api/ingest');
      const csv = await admin.raw(`/api/ingest/${upload.body.jobId}/errors.csv`);

      expect(jobs.body.jobs[0].jobId).toBe(upload.body.jobId);
      expect(jobs.body.jobs).toHaveLength(3);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const lines = (await csv.text()).trim().split(/\r?\n/);
      expect(lines[0]).toBe('row,id,file,reason');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatch(/^18,Fall2417,Fall2417\.jpg,/);
    });

    it('answers 404 for an unknown job', async () => {
      const response = await admin.get('/api/ingest/00000000-0000-4000-8000-000000000000');

      expect(response.status).toBe(404);
      expect(response.body.message).toContain('not found');
    });
  });

  describe('listing and filters', () => {
    it('pages through every item with a cursor', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await admin.get(
          `/api/items?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((item: { id: string }) => item.id));
        cursor = page.body.nextCursor;
      } while (cursor);

      expect(seen).toHaveLength(19 + 16);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('filters listing, image search and similar with the same where', async () => {
      const where = encodeURIComponent(JSON.stringify({ category: 'texture' }));
      const listed = await admin.get(`/api/items?limit=50&where=${where}`);
      const similar = await admin.get(`/api/items/cat/similar?topK=50&where=${where}`);
      const byImage = await admin.upload(
        '/api/search/image',
        { image: join(samples, 'photos/brick.png') },
        { where: '{"category":"texture"}' },
      );

      for (const items of [listed.body.items, similar.body.results, byImage.body.results]) {
        expect(items.length).toBeGreaterThan(0);
        expect(items.every((item: Result) => item.metadata.category === 'texture')).toBe(true);
      }
    });

    it('drops results under minScore', async () => {
      const search = await admin.upload(
        '/api/search/image',
        { image: join(samples, 'photos/chelsea.png') },
        { minScore: '0.999' },
      );

      expect(search.status).toBe(200);
      expect(search.body.results.map((result: Result) => result.id)).toEqual(['cat']);
    });

    it('refuses a topK outside 1..100 and an empty query', async () => {
      const tooMany = await admin.post('/api/search/text', { query: 'cat', topK: 101 });
      const none = await admin.post('/api/search/text', { query: 'cat', topK: 0 });
      const empty = await admin.post('/api/search/text', { query: '   ' });

      expect([tooMany.status, none.status, empty.status]).toEqual([400, 400, 400]);
      expect(String(tooMany.body.message)).toContain('topK');
      expect(String(empty.body.message)).toContain('empty');
    });
  });

  describe('accounts', () => {
    it('refuses a weak password with the rule it breaks', async () => {
      const response = await anonymous.post('/api/auth/signup', {
        username: 'weakling',
        password: 'short',
      });

      expect(response.status).toBe(400);
      expect(String(response.body.message)).toContain('at least 8 characters');
    });

    it('refuses a taken username with 409', async () => {
      await anonymous.post('/api/auth/signup', {
        username: 'twin',
        password: 'a-long-enough-password',
      });
      const again = await anonymous.post('/api/auth/signup', {
        username: 'twin',
        password: 'a-long-enough-password',
      });

      expect(again.status).toBe(409);
    });

    it('lets an admin list users and promote one, who can then ingest', async () => {
      const member = await anonymous.signupAndLogin('member');
      const users = await admin.get('/api/users');
      const target = users.body.users.find(
        (user: { username: string }) => user.username === 'member',
      );

      expect((await member.upload('/api/ingest', photoCatalog)).status).toBe(403);
      const promoted = await admin.patch(`/api/users/${target.id}`, { role: 'admin' });

      expect(promoted.status).toBe(200);
      expect(promoted.body.role).toBe('admin');
      expect((await member.get('/api/ingest')).status).toBe(200);
    });

    it('rate-limits login attempts per username with 429 and Retry-After', async () => {
      const attempts = [];
      for (let i = 0; i < 4; i += 1)
        attempts.push(
          await anonymous.post('/api/auth/login', { username: 'twin', password: 'wrong-password' }),
        );

      expect(attempts.map((attempt) => attempt.status)).toEqual([401, 401, 401, 429]);
      expect(Number(attempts[3].headers.get('retry-after'))).toBeGreaterThan(0);
    });
  });
});

/** Reads a server-sent event stream to its end and returns each event's JSON data. */
async function readEvents(api: GatewayClient, path: string): Promise<IngestStatus[]> {
  const response = await api.raw(path);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => JSON.parse(line.slice(5)) as IngestStatus);
}
