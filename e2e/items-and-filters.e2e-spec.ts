import { join } from 'node:path';
import { GatewayClient, waitForJob } from '@imgsearch/client';
import { ADMIN, E2eStack, startE2eStack } from './harness/services';
import { photoCatalog, Result, samples, seedCatalog, seedMapping } from './harness/samples';

describe('items, filters and similar images', () => {
  let stack: E2eStack;
  let admin: GatewayClient;

  beforeAll(async () => {
    stack = await startE2eStack();
    admin = await new GatewayClient(stack.gatewayUrl).login(ADMIN.username, ADMIN.password);
    for (const upload of [
      admin.upload('/api/ingest', photoCatalog),
      admin.upload('/api/ingest', seedCatalog, { mapping: seedMapping }),
    ]) {
      const response = await upload;
      expect(response.status).toBe(202);
      await waitForJob(admin, response.body.jobId);
    }
  });
  afterAll(() => stack?.stop());

  it('returns only Grey items for a where filter on Color', async () => {
    const search = await admin.post('/api/search/text', {
      query: 'wool fabric',
      topK: 50,
      where: { Color: 'Grey' },
    });

    expect(search.status).toBe(200);
    const results = search.body.results as Result[];
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((result) => result.metadata.Color === 'Grey')).toBe(true);
  });

  it('returns only items of 180 gsm or more for a $gte filter', async () => {
    const search = await admin.post('/api/search/text', {
      query: 'fabric',
      topK: 50,
      where: { gsm: { $gte: 180 } },
    });

    expect(search.status).toBe(200);
    const results = search.body.results as Result[];
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((result) => Number(result.metadata.gsm) >= 180)).toBe(true);
  });

  it('answers 400 naming the problem for a malformed where', async () => {
    const search = await admin.post('/api/search/text', {
      query: 'fabric',
      where: { gsm: { $gtx: 1 } },
    });

    expect(search.status).toBe(400);
    expect(search.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringContaining('$gtx'),
    });
  });

  it('never returns the item itself among its similar images', async () => {
    const similar = await admin.get('/api/items/cat/similar?topK=30');

    expect(similar.status).toBe(200);
    const ids = (similar.body.results as Result[]).map((result) => result.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).not.toContain('cat');
  });

  it('merges metadata on PATCH and shows it on GET', async () => {
    const patched = await admin.patch('/api/items/coffee', {
      metadata: { roast: 'dark', category: null },
    });
    const item = await admin.get('/api/items/coffee');

    expect(patched.status).toBe(200);
    expect(item.body.metadata).toMatchObject({ roast: 'dark', title: expect.any(String) });
    expect(item.body.metadata).not.toHaveProperty('category');
  });

  it('forgets a deleted item: GET is 404 and searches never return it', async () => {
    const deleted = await admin.delete('/api/items/rocket');
    const item = await admin.get('/api/items/rocket');
    const search = await admin.upload(
      '/api/search/image',
      { image: join(samples, 'photos/rocket.jpg') },
      { topK: '40' },
    );

    expect(deleted.status).toBe(204);
    expect(item.status).toBe(404);
    expect((search.body.results as Result[]).map((result) => result.id)).not.toContain('rocket');
  });

  it('lists many items at once and names the missing ones', async () => {
    const items = await admin.get('/api/items?ids=cat,coffee,no-such-item');

    expect(items.status).toBe(200);
    expect(items.body.items.map((item: { id: string }) => item.id).sort()).toEqual([
      'cat',
      'coffee',
    ]);
    expect(items.body.missing).toEqual(['no-such-item']);
  });

  it('refuses a token after logout', async () => {
    const user = await new GatewayClient(stack.gatewayUrl).signupAndLogin('leaving-user');
    expect((await user.get('/api/auth/me')).status).toBe(200);

    expect((await user.post('/api/auth/logout')).status).toBe(204);
    const after = await user.get('/api/auth/me');

    expect(after.status).toBe(401);
  });

  it('documents every path of the HTTP contract in /docs-json', async () => {
    const document = await new GatewayClient(stack.gatewayUrl).get('/docs-json');

    expect(document.status).toBe(200);
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/signup',
        '/api/auth/login',
        '/api/auth/logout',
        '/api/auth/me',
        '/api/ingest',
        '/api/ingest/{jobId}',
        '/api/ingest/{jobId}/events',
        '/api/search/text',
        '/api/search/image',
        '/api/items/{id}',
        '/api/items/{id}/similar',
        '/api/items/{id}/image',
        '/api/items/{id}/thumbnail',
        '/api/items/delete',
        '/health/live',
        '/health/ready',
        '/metrics',
        '/docs',
      ]),
    );
  });
});
