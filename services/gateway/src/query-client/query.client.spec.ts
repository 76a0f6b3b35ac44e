import { HttpException } from '@nestjs/common';
import { QueryClient } from './query.client';
import { QueryServiceDouble } from './test/query-service.double';

/** What the caller of the gateway sees of a refused call: status and message. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; message: unknown }> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof HttpException)) throw error;
    const body = error.getResponse();
    return {
      status: error.getStatus(),
      message: typeof body === 'string' ? body : (body as { message: unknown }).message,
    };
  }
  throw new Error('the call succeeded');
}

describe(QueryClient.name, () => {
  let double: QueryServiceDouble;
  let client: QueryClient;

  beforeAll(async () => {
    double = await QueryServiceDouble.start();
    client = new QueryClient({ QUERY_URL: `${double.url}/`, QUERY_TIMEOUT_MS: 300 });
  });

  afterAll(() => double.stop());

  describe('when the query service refuses a request', () => {
    it.each([
      [400, 'where.gsm: unknown operator "$gtx"'],
      [404, 'item SKU-9 not found'],
      [413, 'image is larger than the limit of 20971520 bytes'],
      [422, 'cannot decode image: unsupported image format'],
      [400, ['topK must be an integer number']],
    ])('passes %i and its message through', async (status, message) => {
      double.answer(() => ({ status, body: { statusCode: status, error: 'x', message } }));
      await expect(refusal(client.searchText({ query: 'red' }))).resolves.toEqual({
        status,
        message,
      });
    });

    it('says what it got when the refusal has no message', async () => {
      double.answer(() => ({ status: 409 }));
      await expect(refusal(client.getItem('a'))).resolves.toEqual({
        status: 409,
        message: 'query service answered 409',
      });
    });
  });

  describe('when the query service fails', () => {
    it('answers 502 for its 500', async () => {
      double.answer(() => ({
        status: 500,
        body: { statusCode: 500, message: 'Internal server error' },
      }));
      await expect(refusal(client.getItem('a'))).resolves.toEqual({
        status: 502,
        message: 'query service failed (status 500)',
      });
    });

    it('answers 503 when it is not ready', async () => {
      double.answer(() => ({ status: 503, body: { statusCode: 503, message: 'not ready' } }));
      await expect(refusal(client.getItem('a'))).resolves.toEqual({
        status: 503,
        message: 'query service unavailable',
      });
    });

    it('answers 503 when nothing listens at QUERY_URL', async () => {
      const gone = await QueryServiceDouble.start();
      const url = gone.url;
      await gone.stop();
      const unreachable = new QueryClient({ QUERY_URL: url, QUERY_TIMEOUT_MS: 1000 });
      await expect(refusal(unreachable.searchText({ query: 'red' }))).resolves.toEqual({
        status: 503,
        message: 'query service unavailable',
      });
    });

    it('answers 504 when no answer comes within QUERY_TIMEOUT_MS', async () => {
      double.answer(() => ({ status: 200, body: { results: [] }, delayMs: 1000 }));
      await expect(refusal(client.searchText({ query: 'red' }))).resolves.toEqual({
        status: 504,
        message: 'query service did not answer within 300 ms',
      });
    });
  });

  describe('what it sends', () => {
    beforeEach(() =>
      double.answer(() => ({ status: 200, body: { results: [], items: [], missing: [] } })),
    );

    it('forwards the request id', async () => {
      await client.searchText({ query: 'red', topK: 3, where: { Color: 'Red' } }, 'req-42');
      const last = double.received.at(-1)!;
      expect(last.headers['x-request-id']).toBe('req-42');
      expect(last.json).toEqual({ query: 'red', topK: 3, where: { Color: 'Red' } });
    });

    it('encodes ids in paths, and sends each looked-up id whole', async () => {
      await client.similar('shirts/red #1', { topK: 2, where: { a: 1 } });
      const similar = double.received.at(-1)!;
      await client.findItems({ ids: ['a,b', 'c d'] });
      const lookup = double.received.at(-1)!;
      expect(similar.path).toBe('/items/shirts%2Fred%20%231/similar');
      expect(Object.fromEntries(similar.query)).toEqual({ topK: '2', where: '{"a":1}' });
      expect(lookup.query.getAll('ids')).toEqual(['a,b', 'c d']);
    });

    it('forwards a picture as a multipart form with the search fields', async () => {
      const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
      const upload = { buffer: bytes, mimetype: 'image/png', originalname: 'shirt.png' };
      await client.searchImage(upload, { topK: 5, where: { gsm: { $gte: 120 } }, minScore: 0.2 });
      const form = await double.lastForm();
      const image = form.get('image') as File;
      expect(image.name).toBe('shirt.png');
      expect(image.type).toBe('image/png');
      expect(Buffer.from(await image.arrayBuffer()).equals(bytes)).toBe(true);
      expect(form.get('topK')).toBe('5');
      expect(form.get('where')).toBe('{"gsm":{"$gte":120}}');
      expect(form.get('minScore')).toBe('0.2');
    });
  });
});
