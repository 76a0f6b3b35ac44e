import { INestApplication } from '@nestjs/common';
import { createRedis } from '@imgsearch/queue';
import { FileStorage, storageKeys } from '@imgsearch/storage';
import type { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { RedisInstance, startRedis } from '../../../../scripts/stack/redis-process';
import { ItemsController } from '../items/items.controller';
import { SearchController } from '../search/search.controller';
import { aGatewayConfig, TEST_ADMIN } from '../test/gateway-test-app';
import { startFacadeApp } from './test/facade-test-app';
import { QueryServiceDouble, ReceivedRequest } from './test/query-service.double';

const IMAGE_MAX_BYTES = 50_000;
const PASSWORD = 'a perfectly fine password';

const anItem = (id: string, metadata: Record<string, unknown> = { title: id }) => ({
  id,
  metadata,
});
const aResult = (id: string, score: number) => ({ ...anItem(id), score });
const linksOf = (id: string) => ({
  imageUrl: `/api/items/${encodeURIComponent(id)}/image`,
  thumbnailUrl: `/api/items/${encodeURIComponent(id)}/thumbnail`,
});
const aPicture = (format: 'png' | 'jpeg', width = 16) =>
  sharp({ create: { width, height: width, channels: 3, background: 'teal' } })
    .toFormat(format)
    .toBuffer();

describe('the search and items facade', () => {
  let folder: string;
  let redisServer: RedisInstance;
  let redis: Redis;
  let double: QueryServiceDouble;
  let app: INestApplication;
  let storage: FileStorage;
  let userToken: string;
  let adminToken: string;

  const http = () => request(app.getHttpServer());
  const asUser = () => ({ Authorization: `Bearer ${userToken}` });
  const asAdmin = () => ({ Authorization: `Bearer ${adminToken}` });
  const lastReceived = (): ReceivedRequest => double.received[double.received.length - 1];
  const login = async (username: string, password: string) =>
    (await http().post('/api/auth/login').send({ username, password })).body.accessToken as string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'gateway-facade-'));
    redisServer = await startRedis(join(folder, 'redis'));
    redis = createRedis(redisServer.url, 'producer');
    double = await QueryServiceDouble.start();
    const config = aGatewayConfig({
      SQLITE_PATH: join(folder, 'gateway.sqlite'),
      QUEUE_PREFIX: `facade-${Date.now()}`,
      DATA_DIR: join(folder, 'data'),
      QUERY_URL: double.url,
      QUERY_TIMEOUT_MS: 5000,
      IMAGE_MAX_BYTES,
    });
    storage = new FileStorage(config.DATA_DIR);
    app = await startFacadeApp(config, redis);
    await http().post('/api/auth/signup').send({ username: 'shopper', password: PASSWORD });
    userToken = await login('shopper', PASSWORD);
    adminToken = await login(TEST_ADMIN.username, TEST_ADMIN.password);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await double?.stop();
    redis?.disconnect();
    await redisServer?.process.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  describe(SearchController.name, () => {
    describe('POST /api/search/text', () => {
      it('forwards the search and links every result to its pictures', async () => {
        double.answer(() => ({
          status: 200,
          body: { results: [aResult('cat', 0.9), aResult('a/b', 0.4)] },
        }));
        const response = await http()
          .post('/api/search/text')
          .set(asUser())
          .set('x-request-id', 'trace-1')
          .send({ query: 'a cat', topK: 2, where: { category: 'animals' } });
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          results: [
            { ...aResult('cat', 0.9), ...linksOf('cat') },
            { ...aResult('a/b', 0.4), ...linksOf('a/b') },
          ],
        });
        expect(lastReceived()).toMatchObject({
          method: 'POST',
          path: '/search/text',
          json: { query: 'a cat', topK: 2, where: { category: 'animals' } },
          headers: { 'x-request-id': 'trace-1' },
        });
      });

      it('refuses a caller without a token', async () => {
        const response = await http().post('/api/search/text').send({ query: 'a cat' });
        expect(response.status).toBe(401);
        expect(response.body).toEqual({
          statusCode: 401,
          error: 'Unauthorized',
          message: 'missing bearer token',
        });
      });

      it("passes the query service's refusal on unchanged", async () => {
        const message =
          'where.gsm: unknown operator "$gtx" (expected one of $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin)';
        double.answer(() => ({
          status: 400,
          body: { statusCode: 400, error: 'Bad Request', message },
        }));
        const response = await http()
          .post('/api/search/text')
          .set(asUser())
          .send({ query: 'a cat', where: { gsm: { $gtx: 1 } } });
        expect(response.status).toBe(400);
        expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message });
      });

      it('refuses a where that is not an object before asking the query service', async () => {
        const asked = double.received.length;
        const response = await http()
          .post('/api/search/text')
          .set(asUser())
          .send({ query: 'a cat', where: [1] });
        expect(response.status).toBe(400);
        expect(response.body.message).toBe('where must be a JSON object');
        expect(double.received).toHaveLength(asked);
      });

      it('says only that the query must be a string when it is missing', async () => {
        const response = await http().post('/api/search/text').set(asUser()).send({});
        expect(response.status).toBe(400);
        expect(response.body.message).toEqual(['query must be a string']);
      });

      it('answers a body over the JSON limit with 413, not 500', async () => {
        const response = await http()
          .post('/api/search/text')
          .set(asUser())
          .send({ query: 'x'.repeat(200_000) });
        expect(response.status).toBe(413);
        expect(response.body).toEqual({
          statusCode: 413,
          error: 'Payload Too Large',
          message: 'request body is larger than the limit of 102400 bytes',
        });
      });
    });

    describe('POST /api/search/image', () => {
      it('forwards the picture and the fields as a form, and links the results', async () => {
        const picture = await aPicture('png');
        double.answer(() => ({ status: 200, body: { results: [aResult('cat', 0.99)] } }));
        const response = await http()
          .post('/api/search/image')
          .set(asUser())
          .attach('image', picture, { filename: 'query.png', contentType: 'image/png' })
          .field('topK', '5')
          .field('where', '{"category": "animals"}');
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          results: [{ ...aResult('cat', 0.99), ...linksOf('cat') }],
        });
        const form = await double.lastForm();
        expect(Buffer.from(await (form.get('image') as File).arrayBuffer()).equals(picture)).toBe(
          true,
        );
        expect(form.get('topK')).toBe('5');
        expect(form.get('where')).toBe('{"category":"animals"}');
      });

      it('refuses a request without a picture', async () => {
        const response = await http().post('/api/search/image').set(asUser()).field('topK', '5');
        expect(response.status).toBe(400);
        expect(response.body.message).toBe('image file is required');
      });

      it('refuses a picture above IMAGE_MAX_BYTES with 413', async () => {
        const response = await http()
          .post('/api/search/image')
          .set(asUser())
          .attach('image', Buffer.alloc(IMAGE_MAX_BYTES + 1), 'big.png');
        expect(response.status).toBe(413);
        expect(response.body).toEqual({
          statusCode: 413,
          error: 'Payload Too Large',
          message: `image is larger than the limit of ${IMAGE_MAX_BYTES} bytes`,
        });
      });

      it('refuses a where field that is not JSON', async () => {
        const response = await http()
          .post('/api/search/image')
          .set(asUser())
          .attach('image', await aPicture('png'), 'query.png')
          .field('where', 'category=animals');
        expect(response.status).toBe(400);
        expect(response.body.message).toBe('where is not valid JSON');
      });
    });
  });

  describe(ItemsController.name, () => {
    describe('GET /api/items/:id', () => {
      it('returns the item with links to its pictures', async () => {
        double.answer(() => ({ status: 200, body: anItem('rocket launch/1', { year: 2015 }) }));
        const response = await http()
          .get(`/api/items/${encodeURIComponent('rocket launch/1')}`)
          .set(asUser());
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          ...anItem('rocket launch/1', { year: 2015 }),
          ...linksOf('rocket launch/1'),
        });
        expect(lastReceived().path).toBe('/items/rocket%20launch%2F1');
      });

      it("passes the query service's 404 on", async () => {
        double.answer(() => ({
          status: 404,
          body: { statusCode: 404, error: 'Not Found', message: 'item ghost not found' },
        }));
        const response = await http().get('/api/items/ghost').set(asUser());
        expect(response.status).toBe(404);
        expect(response.body).toEqual({
          statusCode: 404,
          error: 'Not Found',
          message: 'item ghost not found',
        });
      });
    });

    describe('GET /api/items', () => {
      it('looks ids up, each sent whole, and links the found ones', async () => {
        double.answer(() => ({ status: 200, body: { items: [anItem('a')], missing: ['b'] } }));
        const response = await http().get('/api/items').query({ ids: 'a,b' }).set(asUser());
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          items: [{ ...anItem('a'), ...linksOf('a') }],
          missing: ['b'],
        });
        expect(lastReceived().query.getAll('ids')).toEqual(['a', 'b']);
      });

      it('pages with cursor and where, passing nextCursor back', async () => {
        double.answer(() => ({ status: 200, body: { items: [anItem('c')], nextCursor: 'next' } }));
        const response = await http()
          .get('/api/items')
          .query({ limit: 1, cursor: 'first', where: '{"category":"space"}' })
          .set(asUser());
        expect(response.body).toEqual({
          items: [{ ...anItem('c'), ...linksOf('c') }],
          nextCursor: 'next',
        });
        expect(Object.fromEntries(lastReceived().query)).toEqual({
          limit: '1',
          cursor: 'first',
          where: '{"category":"space"}',
        });
      });

      it('refuses a where that is not JSON', async () => {
        const response = await http().get('/api/items').query({ where: '{nope' }).set(asUser());
        expect(response.status).toBe(400);
        expect(response.body).toEqual({
          statusCode: 400,
          error: 'Bad Request',
          message: 'where is not valid JSON',
        });
      });
    });

    describe('GET /api/items/:id/similar', () => {
      it('forwards topK and links the results', async () => {
        double.answer(() => ({ status: 200, body: { results: [aResult('horse', 0.7)] } }));
        const response = await http()
          .get('/api/items/cat/similar')
          .query({ topK: 1 })
          .set(asUser());
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          results: [{ ...aResult('horse', 0.7), ...linksOf('horse') }],
        });
        expect(lastReceived().path).toBe('/items/cat/similar');
        expect(lastReceived().query.get('topK')).toBe('1');
      });
    });

    describe('GET /api/items/:id/image and /thumbnail', () => {
      it('streams the original with the type its bytes show, and the JPEG thumbnail', async () => {
        const original = await aPicture('png', 40);
        const thumbnail = await aPicture('jpeg');
        await storage.write(storageKeys.original('teal/1'), original);
        await storage.write(storageKeys.thumbnail('teal/1'), thumbnail);
        const image = await http().get('/api/items/teal%2F1/image').set(asUser());
        const small = await http().get('/api/items/teal%2F1/thumbnail').set(asUser());
        expect(image.status).toBe(200);
        expect(image.headers['content-type']).toBe('image/png');
        expect(image.headers['cache-control']).toBe('private, max-age=3600');
        expect(image.headers['x-content-type-options']).toBe('nosniff');
        expect(Buffer.compare(image.body as Buffer, original)).toBe(0);
        expect(small.status).toBe(200);
        expect(small.headers['content-type']).toBe('image/jpeg');
        expect(Buffer.compare(small.body as Buffer, thumbnail)).toBe(0);
      });

      it('answers 404 when the file is not stored', async () => {
        const response = await http().get('/api/items/ghost/image').set(asUser());
        expect(response.status).toBe(404);
        expect(response.body).toEqual({
          statusCode: 404,
          error: 'Not Found',
          message: 'image of item ghost not found',
        });
        expect(response.headers['cache-control']).toBeUndefined();
      });

      it('needs a token', async () => {
        expect((await http().get('/api/items/teal%2F1/image')).status).toBe(401);
      });
    });

    describe('PATCH /api/items/:id', () => {
      it('is for admins only', async () => {
        const response = await http()
          .patch('/api/items/cat')
          .set(asUser())
          .send({ metadata: { a: 1 } });
        expect(response.status).toBe(403);
        expect(response.body.message).toBe('admin role required');
      });

      it('forwards the change and returns the linked item', async () => {
        double.answer(() => ({ status: 200, body: anItem('cat', { color: 'grey' }) }));
        const response = await http()
          .patch('/api/items/cat')
          .set(asAdmin())
          .send({ metadata: { color: 'grey', year: null } });
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ ...anItem('cat', { color: 'grey' }), ...linksOf('cat') });
        expect(lastReceived()).toMatchObject({
          method: 'PATCH',
          path: '/items/cat',
          json: { metadata: { color: 'grey', year: null } },
        });
      });

      it('forwards keys named like Object.prototype members', async () => {
        double.answer(() => ({ status: 200, body: anItem('cat', { constructor: 'y' }) }));
        const response = await http()
          .patch('/api/items/cat')
          .set(asAdmin())
          .send({ metadata: { constructor: 'y', prototype: 'p', toString: 'z' } });
        expect(response.status).toBe(200);
        expect(lastReceived().json).toEqual({
          metadata: { constructor: 'y', prototype: 'p', toString: 'z' },
        });
      });

      it.each([
        ['{"metadata":{"big":1e400}}', 'metadata.big must be a finite number'],
        [
          '{"metadata":{"__proto__":"x"}}',
          'metadata key "__proto__" is not allowed: names may not be "__proto__"',
        ],
      ])('refuses %s with 400 before asking the query service', async (body, message) => {
        const asked = double.received.length;
        const response = await http()
          .patch('/api/items/cat')
          .set(asAdmin())
          .set('content-type', 'application/json')
          .send(body);
        expect(response.status).toBe(400);
        expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message });
        expect(double.received).toHaveLength(asked);
      });
    });

    describe('DELETE /api/items/:id', () => {
      it('deletes the vector, then the original and the thumbnail', async () => {
        await storage.write(storageKeys.original('old'), await aPicture('png'));
        await storage.write(storageKeys.thumbnail('old'), await aPicture('jpeg'));
        double.answer(() => ({ status: 200, body: { deleted: ['old'], missing: [] } }));
        const response = await http().delete('/api/items/old').set(asAdmin());
        expect(response.status).toBe(204);
        expect(lastReceived()).toMatchObject({ path: '/items/delete', json: { ids: ['old'] } });
        expect(await storage.size(storageKeys.original('old'))).toBeUndefined();
        expect(await storage.size(storageKeys.thumbnail('old'))).toBeUndefined();
        expect((await http().get('/api/items/old/image').set(asUser())).status).toBe(404);
      });

      it('answers 404 for an item that is not stored', async () => {
        double.answer(() => ({ status: 200, body: { deleted: [], missing: ['ghost'] } }));
        const response = await http().delete('/api/items/ghost').set(asAdmin());
        expect(response.status).toBe(404);
        expect(response.body.message).toBe('item ghost not found');
      });

      it('is for admins only', async () => {
        expect((await http().delete('/api/items/old').set(asUser())).status).toBe(403);
      });
    });

    describe('POST /api/items/delete', () => {
      it('deletes many, removing the files of the deleted ones only', async () => {
        await storage.write(storageKeys.original('gone'), await aPicture('png'));
        await storage.write(storageKeys.original('kept'), await aPicture('png'));
        double.answer(() => ({ status: 200, body: { deleted: ['gone'], missing: ['never'] } }));
        const response = await http()
          .post('/api/items/delete')
          .set(asAdmin())
          .send({ ids: ['gone', 'never'] });
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ deleted: ['gone'], missing: ['never'] });
        expect(await storage.size(storageKeys.original('gone'))).toBeUndefined();
        expect(await storage.size(storageKeys.original('kept'))).toBeGreaterThan(0);
      });

      it('refuses an empty list', async () => {
        const response = await http().post('/api/items/delete').set(asAdmin()).send({ ids: [] });
        expect(response.status).toBe(400);
        expect(response.body.message).toEqual(['ids must contain at least 1 elements']);
      });
    });
  });
});
