import { INestApplication } from '@nestjs/common';
import { ClipModel } from '@imgsearch/clip';
import {
  ChromaImageRepository,
  ModelMismatchError,
  type ItemMetadata,
} from '@imgsearch/vector-store';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ChromaInstance, startChroma } from '../../../scripts/stack/chroma-process';
import { QueryModule } from './query.module';
import { aQueryConfig, REPO_ROOT, startQueryApp, TINY_CLIP_DIR } from './test/query-test-app';

interface Photo {
  id: string;
  file: string;
  metadata: ItemMetadata;
}

const photo = (id: string, file: string, metadata: ItemMetadata): Photo => ({ id, file, metadata });
const PHOTOS = [
  photo('cat', 'chelsea.png', { title: 'A tabby cat', category: 'animals', year: 2001 }),
  photo('horse', 'horse.png', { title: 'A horse', category: 'animals', year: 1999 }),
  photo('coffee', 'coffee.png', { title: 'A cup of coffee', category: 'food', year: 2010 }),
  photo('rocket launch/1', 'rocket.jpg', { title: 'A rocket', category: 'space', year: 2015 }),
  photo('moon', 'moon.png', { title: 'The moon', category: 'space', year: 1969 }),
  photo('camera', 'camera.png', { title: 'A cameraman', category: 'people', year: 1990 }),
];
const photoBytes = (file: string) => readFileSync(join(REPO_ROOT, 'samples/photos', file));
/** Small enough for the photos above, too small for astronaut.png (about 790 kB). */
const IMAGE_MAX_BYTES = 600_000;

type Result = { id: string; score: number; metadata: ItemMetadata };

describe(QueryModule.name, () => {
  let folder: string;
  let chroma: ChromaInstance;
  let app: INestApplication;
  const collection = `query-${randomUUID().slice(0, 8)}`;
  const http = () => request(app.getHttpServer());
  const ids = (results: Result[]) => results.map((result) => result.id);
  const scores = (results: Result[]) => results.map((result) => result.score);
  const searchText = (body: Record<string, unknown>) => http().post('/search/text').send(body);
  const searchImage = (file: string, fields: Record<string, string> = {}) => {
    const call = http().post('/search/image').attach('image', photoBytes(file), file);
    for (const [name, value] of Object.entries(fields)) call.field(name, value);
    return call;
  };

  /** A sample of one of the service's metrics, read from /metrics. */
  const metric = async (name: string, kind: string) => {
    const { text } = await http().get('/metrics');
    const line = text
      .split('\n')
      .find((row) => row.startsWith(`${name}{`) && row.includes(`kind="${kind}"`));
    return Number(line?.split(' ').pop());
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'query-component-'));
    chroma = await startChroma(REPO_ROOT, join(folder, 'chroma'), join(folder, 'chroma.log'));
    const model = await ClipModel.load(TINY_CLIP_DIR, {
      logger: { warn: () => {}, log: () => {} },
    });
    try {
      const signature = { model: model.name, dimension: model.dimension };
      const vectors = await ChromaImageRepository.open({
        url: chroma.url,
        collection,
        model: signature,
      });
      const embeddings = await model.embedImages(PHOTOS.map((item) => photoBytes(item.file)));
      await vectors.upsert(
        PHOTOS.map((item, index) => ({
          id: item.id,
          embedding: embeddings[index],
          metadata: item.metadata,
          imageKey: `originals/${item.file}`,
        })),
      );
    } finally {
      await model.close();
    }
    app = await startQueryApp(
      aQueryConfig({ CHROMA_URL: chroma.url, CHROMA_COLLECTION: collection, IMAGE_MAX_BYTES }),
    );
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await chroma?.process.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  describe('start-up', () => {
    it('is ready once Chroma answers and the model is loaded', async () => {
      const response = await http().get('/health/ready');
      expect(response.status).toBe(200);
      expect(response.body.info).toEqual({ chroma: { status: 'up' }, model: { status: 'up' } });
    });

    it('refuses a collection whose vectors come from another model, saying so', async () => {
      const other = `other-${randomUUID().slice(0, 8)}`;
      await ChromaImageRepository.open({
        url: chroma.url,
        collection: other,
        model: { model: 'clip-vit-large-patch14', dimension: 768 },
      });
      const start = startQueryApp(
        aQueryConfig({ CHROMA_URL: chroma.url, CHROMA_COLLECTION: other }),
      );
      await expect(start).rejects.toThrow(ModelMismatchError);
      await expect(start).rejects.toThrow(
        `collection "${other}" holds vectors of model "clip-vit-large-patch14" (768-d), not "tiny-random-clip" (32-d)`,
      );
    });
  });

  describe('POST /search/image', () => {
    it('finds a stored photo first when searching with that photo', async () => {
      const response = await searchImage('chelsea.png', { topK: '3' });
      expect(response.status).toBe(200);
      expect(response.body.results).toHaveLength(3);
      const [first] = response.body.results as Result[];
      expect(first.id).toBe('cat');
      expect(first.score).toBeGreaterThan(0.99);
      expect(first.metadata).toEqual({ title: 'A tabby cat', category: 'animals', year: 2001 });
      expect(scores(response.body.results)).toEqual(
        [...scores(response.body.results)].sort((a, b) => b - a),
      );
    });

    it('filters with a where given as a JSON string field', async () => {
      const response = await searchImage('chelsea.png', { where: '{"category": "space"}' });
      expect(response.status).toBe(200);
      expect(ids(response.body.results).sort()).toEqual(['moon', 'rocket launch/1']);
    });

    it('refuses a request without a file', async () => {
      const response = await http().post('/search/image').field('topK', '3');
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'image file is required',
      });
    });

    it('refuses bytes that are not a picture with 422', async () => {
      const response = await http()
        .post('/search/image')
        .attach('image', Buffer.from('this is not a picture'), 'notes.txt');
      expect(response.status).toBe(422);
      expect(response.body.error).toBe('Unprocessable Entity');
      expect(response.body.message).toMatch(/^cannot decode image: /);
    });

    it('refuses a picture larger than IMAGE_MAX_BYTES with 413', async () => {
      const response = await searchImage('astronaut.png');
      expect(response.status).toBe(413);
      expect(response.body).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message: `image is larger than the limit of ${IMAGE_MAX_BYTES} bytes`,
      });
    });

    it('refuses where that is not JSON, and JSON that is not an object, each saying so', async () => {
      const notJson = await searchImage('chelsea.png', { where: '{category: space}' });
      const notObject = await searchImage('chelsea.png', { where: '["space"]' });
      expect(notJson.status).toBe(400);
      expect(notJson.body.message).toBe('where is not valid JSON');
      expect(notObject.status).toBe(400);
      expect(notObject.body.message).toBe('where must be a JSON object');
    });
  });

  describe('POST /search/text', () => {
    it('returns topK results, highest cosine similarity first', async () => {
      const response = await searchText({ query: 'a cat sitting on a sofa', topK: 5 });
      expect(response.status).toBe(200);
      const found = scores(response.body.results);
      expect(found).toHaveLength(5);
      expect(found).toEqual([...found].sort((a, b) => b - a));
      expect(found.every((score) => score >= -1 && score <= 1)).toBe(true);
    });

    it('answers concurrent searches as each alone, sharing encoder runs', async () => {
      const queries = ['a cat', 'a horse', 'coffee', 'the moon at night', 'a rocket'];
      const alone = [];
      for (const query of queries) alone.push((await searchText({ query, topK: 6 })).body.results);
      const runsBefore = await metric('query_encoder_batch_size_count', 'text');
      const together = await Promise.all(queries.map((query) => searchText({ query, topK: 6 })));
      const runs = (await metric('query_encoder_batch_size_count', 'text')) - runsBefore;
      expect(together.map((response) => ids(response.body.results))).toEqual(alone.map(ids));
      expect(runs).toBeLessThan(queries.length);
      expect(await metric('query_searches_total', 'text')).toBeGreaterThanOrEqual(10);
    });

    it('narrows results with a where filter of several conditions', async () => {
      const response = await searchText({
        query: 'an animal',
        where: { category: 'animals', year: { $gte: 2000 } },
      });
      expect(response.status).toBe(200);
      expect(ids(response.body.results)).toEqual(['cat']);
    });

    it('narrows results with $or and $in', async () => {
      const response = await searchText({
        query: 'something',
        where: { $or: [{ category: { $in: ['food', 'people'] } }, { year: { $lt: 1970 } }] },
      });
      expect(ids(response.body.results).sort()).toEqual(['camera', 'coffee', 'moon']);
    });

    it('leaves out results below minScore', async () => {
      const all = (await searchText({ query: 'a photo', topK: 6 })).body.results as Result[];
      const threshold = all[2].score;
      const response = await searchText({ query: 'a photo', topK: 6, minScore: threshold });
      expect(ids(response.body.results)).toEqual(
        ids(all.filter((result) => result.score >= threshold)),
      );
    });

    it('refuses a malformed where with a message that says what is wrong', async () => {
      const response = await searchText({ query: 'a cat', where: { gsm: { $gtx: 120 } } });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message:
          'where.gsm: unknown operator "$gtx" (expected one of $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin)',
      });
    });

    it.each(['', '   \n\t'])('refuses the empty query %j', async (query) => {
      const response = await searchText({ query });
      expect(response.status).toBe(400);
      expect(response.body.message).toBe('query text is empty');
    });

    it('says only that the query must be a string when it is missing', async () => {
      const response = await searchText({});
      expect(response.status).toBe(400);
      expect(response.body.message).toEqual(['query must be a string']);
    });

    it('refuses topK above SEARCH_MAX_TOP_K and unknown fields', async () => {
      const tooMany = await searchText({ query: 'a cat', topK: 101 });
      const unknown = await searchText({ query: 'a cat', limit: 3 });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.message).toBe('topK must not be greater than 100');
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toEqual(['property limit should not exist']);
    });
  });

  describe('GET /items', () => {
    it('returns one item by id, whatever characters the id holds', async () => {
      const response = await http().get(`/items/${encodeURIComponent('rocket launch/1')}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        id: 'rocket launch/1',
        metadata: { title: 'A rocket', category: 'space', year: 2015 },
      });
    });

    it('answers 404 for an unknown id', async () => {
      const response = await http().get('/items/no-such-item');
      expect(response.status).toBe(404);
      expect(response.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'item no-such-item not found',
      });
    });

    it('looks up several ids, in the order asked, naming the missing ones', async () => {
      const response = await http().get('/items').query({ ids: 'moon,nope,cat,moon' });
      expect(response.status).toBe(200);
      expect(ids(response.body.items)).toEqual(['moon', 'cat']);
      expect(response.body.missing).toEqual(['nope']);
    });

    it('pages through every item with the cursor', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const response = await http()
          .get('/items')
          .query({ limit: 4, ...(cursor && { cursor }) });
        expect(response.status).toBe(200);
        seen.push(...ids(response.body.items));
        cursor = response.body.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(2);
      expect(seen.sort()).toEqual(PHOTOS.map((item) => item.id).sort());
    });

    it('lists only items matching where, given as JSON in the query string', async () => {
      const response = await http()
        .get('/items')
        .query({ where: JSON.stringify({ category: 'animals' }) });
      expect(ids(response.body.items).sort()).toEqual(['cat', 'horse']);
      expect(response.body.nextCursor).toBeNull();
    });

    it('refuses a cursor it did not hand out', async () => {
      const response = await http().get('/items').query({ cursor: 'not-a-cursor' });
      expect(response.status).toBe(400);
      expect(response.body.message).toBe(
        'cursor is invalid; pass the nextCursor of the previous page',
      );
    });
  });

  describe('GET /items/:id/similar', () => {
    it('ranks the other items by their stored vectors, leaving the item itself out', async () => {
      const response = await http().get('/items/cat/similar').query({ topK: 3 });
      expect(response.status).toBe(200);
      expect(ids(response.body.results)).toHaveLength(3);
      expect(ids(response.body.results)).not.toContain('cat');
      // The stored vector of "cat" is the image embedding of chelsea.png.
      const byImage = (await searchImage('chelsea.png', { topK: '4' })).body.results as Result[];
      expect(ids(response.body.results)).toEqual(ids(byImage).filter((id) => id !== 'cat'));
    });

    it('answers 404 for an unknown id', async () => {
      const response = await http().get('/items/nothing-here/similar');
      expect(response.status).toBe(404);
      expect(response.body.message).toBe('item nothing-here not found');
    });
  });

  describe('PATCH /items/:id', () => {
    it('merges new values, removes keys set to null, and keeps the vector', async () => {
      const before = (await http().get('/items/horse/similar')).body.results as Result[];
      const response = await http()
        .patch('/items/horse')
        .send({ metadata: { title: 'A white horse', color: 'white', year: null } });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        id: 'horse',
        metadata: { title: 'A white horse', category: 'animals', color: 'white' },
      });
      expect((await http().get('/items/horse')).body).toEqual(response.body);
      const after = (await http().get('/items/horse/similar')).body.results as Result[];
      expect(ids(after)).toEqual(ids(before));
      const image = (await searchImage('horse.png', { topK: '1' })).body.results as Result[];
      expect(image[0]).toMatchObject({ id: 'horse', metadata: { color: 'white' } });
      expect(image[0].score).toBeGreaterThan(0.99);
    });

    it('refuses values Chroma cannot store', async () => {
      const response = await http()
        .patch('/items/horse')
        .send({ metadata: { tags: ['a', 'b'] } });
      expect(response.status).toBe(400);
      expect(response.body.message).toBe(
        'metadata.tags must be a string, number, boolean, or null to remove it; got ["a","b"]',
      );
    });

    it('stores keys named like Object.prototype members, and removes them again', async () => {
      const response = await http()
        .patch('/items/camera')
        .send({ metadata: { constructor: 'y', prototype: 'p', toString: 'z' } });
      expect(response.status).toBe(200);
      expect(response.body.metadata).toEqual({
        title: 'A cameraman',
        category: 'people',
        year: 1990,
        constructor: 'y',
        prototype: 'p',
        toString: 'z',
      });
      expect((await http().get('/items/camera')).body).toEqual(response.body);
      const removed = await http()
        .patch('/items/camera')
        .send({ metadata: { constructor: null, prototype: null, toString: null } });
      expect(removed.body.metadata).toEqual({
        title: 'A cameraman',
        category: 'people',
        year: 1990,
      });
    });

    it.each([
      ['{"metadata":{"big":1e400}}', 'metadata.big must be a finite number'],
      [
        '{"metadata":{"__proto__":"x"}}',
        'metadata key "__proto__" is not allowed: names may not be "__proto__"',
      ],
      [
        '{"metadata":{"$dollar":1}}',
        'metadata key "$dollar" is not allowed: names may not start with "$" or "#"',
      ],
    ])('refuses %s with 400 and leaves the item as it was', async (body, message) => {
      const before = (await http().get('/items/moon')).body;
      const response = await http()
        .patch('/items/moon')
        .set('content-type', 'application/json')
        .send(body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message });
      expect((await http().get('/items/moon')).body).toEqual(before);
    });

    it('answers 404 for an unknown id', async () => {
      const response = await http()
        .patch('/items/ghost')
        .send({ metadata: { a: 1 } });
      expect(response.status).toBe(404);
      expect(response.body.message).toBe('item ghost not found');
    });
  });

  describe('POST /items/delete', () => {
    it('deletes the stored items, names the missing ones, and they are gone', async () => {
      const response = await http()
        .post('/items/delete')
        .send({ ids: ['coffee', 'never-stored'] });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ deleted: ['coffee'], missing: ['never-stored'] });
      expect((await http().get('/items/coffee')).status).toBe(404);
      const search = await searchText({ query: 'coffee', topK: 10 });
      expect(ids(search.body.results)).not.toContain('coffee');
    });

    it('refuses an empty list', async () => {
      const response = await http().post('/items/delete').send({ ids: [] });
      expect(response.status).toBe(400);
      expect(response.body.message).toEqual(['ids must contain at least 1 elements']);
    });
  });
});
