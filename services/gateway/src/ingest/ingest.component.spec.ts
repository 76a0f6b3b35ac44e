import { INestApplication } from '@nestjs/common';
import { createRedis } from '@imgsearch/queue';
import type { Redis } from 'ioredis';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { RedisInstance, startRedis } from '../../../../scripts/stack/redis-process';
import { aGatewayConfig, TEST_ADMIN } from '../test/gateway-test-app';
import { IngestModule } from './ingest.module';
import { samples } from './test/catalog-samples';
import { FakeEmbedder } from './test/fake-embedder';
import { startIngestApp } from './test/ingest-test-app';

const KiB = 1024;
const FINAL_STATES = ['completed', 'failed', 'cancelled'];

describe(IngestModule.name, () => {
  let folder: string;
  let redisServer: RedisInstance;
  let redis: Redis;
  let app: INestApplication;
  let prefix: string;
  let adminToken: string;
  let embedder: FakeEmbedder | undefined;

  const http = () => request(app.getHttpServer());
  const asAdmin = () => ({ Authorization: `Bearer ${adminToken}` });
  const startEmbedder = async () => {
    embedder = await FakeEmbedder.start(redisServer.url, prefix);
  };
  const uploadPhotos = () =>
    http()
      .post('/api/ingest')
      .set(asAdmin())
      .attach('csv', samples.photosCsv)
      .attach('archive', samples.photosZip);

  /** Reads the job until it ends; the fake embedder needs a moment per chunk. */
  async function waitForEnd(jobId: string, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = await http().get(`/api/ingest/${jobId}`).set(asAdmin());
      if (FINAL_STATES.includes(response.body.state) || Date.now() > deadline) return response;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'ingest-component-'));
    redisServer = await startRedis(join(folder, 'redis'));
    redis = createRedis(redisServer.url, 'producer');
    await new Promise((resolve) => redis.once('ready', resolve));
    prefix = `ingest-test-${Date.now()}`;
    const config = aGatewayConfig({
      SQLITE_PATH: join(folder, 'db', 'gateway.sqlite'),
      DATA_DIR: join(folder, 'data'),
      QUEUE_PREFIX: prefix,
      INGEST_CHUNK_SIZE: 8,
      INGEST_MAX_ROWS: 1000,
      INGEST_MAX_ROW_BYTES: 4 * KiB,
      UPLOAD_MAX_CSV_BYTES: 64 * KiB,
      UPLOAD_MAX_ARCHIVE_BYTES: 16 * 1024 * KiB,
      ZIP_MAX_ENTRIES: 1000,
      ZIP_MAX_ENTRY_BYTES: 16 * 1024 * KiB,
      ZIP_MAX_TOTAL_BYTES: 64 * 1024 * KiB,
      ZIP_MAX_COMPRESSION_RATIO: 200,
    });
    // Two chunk jobs per transaction: the photos' three chunks take the batched path.
    app = await startIngestApp(config, redis, { chunksPerBatch: 2 });
    const login = await http().post('/api/auth/login').send(TEST_ADMIN);
    adminToken = login.body.accessToken;
  }, 60_000);

  afterEach(async () => {
    await embedder?.close();
    embedder = undefined;
  });

  afterAll(async () => {
    await app?.close();
    redis?.disconnect();
    await redisServer?.process.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  describe('POST /api/ingest', () => {
    it('queues the photo catalogue, which an embedder then ingests whole', async () => {
      const accepted = await uploadPhotos();
      expect(accepted.status).toBe(202);
      expect(accepted.body).toEqual({ jobId: expect.any(String), state: 'queued' });

      await startEmbedder();
      const ended = await waitForEnd(accepted.body.jobId);

      expect(ended.status).toBe(200);
      expect(ended.body).toMatchObject({
        jobId: accepted.body.jobId,
        state: 'completed',
        progress: { total: 19, embedded: 19, skipped: 0, failed: 0 },
        errors: [],
        errorsTruncated: false,
        csvName: 'photos.csv',
        archiveName: 'photos.zip',
        createdAt: expect.any(String),
        finishedAt: expect.any(String),
      });
    });

    it('ingests the seed-format catalogue with its mapping, reporting the row whose image is missing', async () => {
      const accepted = await http()
        .post('/api/ingest')
        .set(asAdmin())
        .attach('csv', samples.fall24Csv)
        .attach('archive', samples.fall24Zip)
        .field('mapping', readFileSync(samples.fall24Mapping, 'utf8'));
      expect(accepted.status).toBe(202);

      await startEmbedder();
      const ended = await waitForEnd(accepted.body.jobId);
      const report = await http()
        .get(`/api/ingest/${accepted.body.jobId}/errors.csv`)
        .set(asAdmin());

      expect(ended.body).toMatchObject({
        state: 'completed',
        progress: { total: 17, embedded: 16, skipped: 0, failed: 1 },
        errors: [
          {
            row: 18,
            id: 'Fall2417',
            file: 'Fall2417.jpg',
            reason: 'image "Fall2417.jpg" not found in the archive',
          },
        ],
      });
      expect(report.status).toBe(200);
      expect(report.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(report.text).toBe(
        'row,id,file,reason\r\n18,Fall2417,Fall2417.jpg,"image ""Fall2417.jpg"" not found in the archive"\r\n',
      );
    });

    it('refuses a user who is not an admin with 403, and a request without a token with 401', async () => {
      await http()
        .post('/api/auth/signup')
        .send({ username: 'plain-user', password: 'a fine password' });
      const login = await http()
        .post('/api/auth/login')
        .send({ username: 'plain-user', password: 'a fine password' });

      const asUser = await http()
        .post('/api/ingest')
        .set({ Authorization: `Bearer ${login.body.accessToken}` })
        .attach('csv', samples.photosCsv)
        .attach('archive', samples.photosZip);
      const anonymous = await http().get('/api/ingest');

      expect(asUser.status).toBe(403);
      expect(asUser.body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: 'admin role required',
      });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.message).toBe('missing bearer token');
    });

    it('refuses a CSV over the size limit with 413 naming the part and the limit', async () => {
      const csv = Buffer.from(`id,image\n${'a,b.png\n'.repeat(10_000)}`);

      const response = await http()
        .post('/api/ingest')
        .set(asAdmin())
        .attach('csv', csv, 'big.csv')
        .attach('archive', samples.photosZip);

      expect(response.status).toBe(413);
      expect(response.body).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message: 'csv is larger than the 64 KiB limit (UPLOAD_MAX_CSV_BYTES)',
      });
    });

    it('refuses an archive over the size limit with 413 while it streams in', async () => {
      const archive = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(17 * 1024 * KiB)]);

      const response = await http()
        .post('/api/ingest')
        .set(asAdmin())
        .attach('csv', samples.photosCsv)
        .attach('archive', archive, 'huge.zip');

      expect(response.status).toBe(413);
      expect(response.body.message).toBe(
        'archive is larger than the 16 MiB limit (UPLOAD_MAX_ARCHIVE_BYTES)',
      );
    });

    it('refuses an archive that is not a ZIP with 415', async () => {
      const response = await http()
        .post('/api/ingest')
        .set(asAdmin())
        .attach('csv', samples.photosCsv)
        .attach('archive', samples.photosCsv);

      expect(response.status).toBe(415);
      expect(response.body.message).toBe(
        'archive is not a readable ZIP file: it does not start with a ZIP signature',
      );
    });

    it('refuses a CSV whose header lacks the mapped columns with 422 naming them', async () => {
      const response = await http()
        .post('/api/ingest')
        .set(asAdmin())
        .attach('csv', Buffer.from('title,category\nA cat,animals\n'), 'catalog.csv')
        .attach('archive', samples.photosZip);

      expect(response.status).toBe(422);
      expect(response.body.message).toBe('CSV header is missing column(s): id, image');
    });

    it('refuses a CSV column that cannot be a metadata key with 422, queueing nothing', async () => {
      const jobs = async () =>
        (await http().get('/api/ingest').query({ limit: 500 }).set(asAdmin())).body.jobs;
      const before = (await jobs()).length;
      const response = await http()
        .post('/api/ingest')
        .set(asAdmin())
        .attach('csv', Buffer.from('id,image,$dollar\ncat,chelsea.png,1\n'), 'catalog.csv')
        .attach('archive', samples.photosZip);

      expect(response.status).toBe(422);
      expect(response.body).toEqual({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message:
          'CSV column "$dollar" cannot be stored as metadata: names may not start with "$" or "#"',
      });
      expect(await jobs()).toHaveLength(before);
    });

    it('refuses a CSV that is not UTF-8 with 422 naming the line', async () => {
      const response = await http()
        .post('/api/ingest')
        .set(asAdmin())
        .attach(
          'csv',
          Buffer.from('id,image,title\ncat,chelsea.png,café\n', 'latin1'),
          'latin1.csv',
        )
        .attach('archive', samples.photosZip);

      expect(response.status).toBe(422);
      expect(response.body.message).toBe('CSV is not valid UTF-8 (line 2); save it as UTF-8');
    });

    it('refuses an upload without its archive with 400 naming the part', async () => {
      const response = await http()
        .post('/api/ingest')
        .set(asAdmin())
        .attach('csv', samples.photosCsv);

      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(/^missing file part "archive": /);
    });

    it('refuses a file part it does not know, or a part sent twice, with 400', async () => {
      const unknown = await uploadPhotos().attach('image', samples.photosZip);
      const twice = await uploadPhotos().attach('csv', samples.photosCsv);

      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toMatch(/^unexpected file part "image": /);
      expect(twice.status).toBe(400);
      expect(twice.body.message).toMatch(/^unexpected file part "csv": /);
    });

    it('refuses a body that is not multipart with 415', async () => {
      const response = await http().post('/api/ingest').set(asAdmin()).send({ csv: 'id,image' });

      expect(response.status).toBe(415);
      expect(response.body.message).toMatch(/^send the upload as multipart\/form-data/);
    });

    it('leaves no temporary upload behind', () => {
      const incoming = join(folder, 'data', 'tmp', 'uploads');
      expect(existsSync(incoming) ? readdirSync(incoming) : []).toEqual([]);
    });
  });

  describe('DELETE /api/ingest/:jobId', () => {
    it('cancels a job no embedder has started: it ends cancelled with every row skipped', async () => {
      const accepted = await uploadPhotos();

      const cancelling = await http().delete(`/api/ingest/${accepted.body.jobId}`).set(asAdmin());
      await startEmbedder();
      const ended = await waitForEnd(accepted.body.jobId);

      expect(cancelling.status).toBe(202);
      expect(cancelling.body).toMatchObject({
        jobId: accepted.body.jobId,
        cancelRequested: true,
        progress: { total: 19, embedded: 0, skipped: 19, failed: 0 },
      });
      expect(ended.body).toMatchObject({
        state: 'cancelled',
        progress: { total: 19, embedded: 0, skipped: 19, failed: 0 },
      });
    });

    it('refuses to cancel a job that has ended with 409', async () => {
      const accepted = await uploadPhotos();
      await startEmbedder();
      await waitForEnd(accepted.body.jobId);

      const response = await http().delete(`/api/ingest/${accepted.body.jobId}`).set(asAdmin());

      expect(response.status).toBe(409);
      expect(response.body.message).toBe(
        `ingest job ${accepted.body.jobId} has already ended: it is completed`,
      );
    });
  });

  describe('GET /api/ingest/:jobId/events', () => {
    it('streams the status as server-sent events until the job ends', async () => {
      const accepted = await uploadPhotos();
      await startEmbedder();

      const response = await http()
        .get(`/api/ingest/${accepted.body.jobId}/events`)
        .set(asAdmin())
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => done(null, text));
        });

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/event-stream');
      const statuses = (response.body as string)
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => JSON.parse(line.slice('data: '.length)));
      expect(statuses.at(-1)).toMatchObject({
        jobId: accepted.body.jobId,
        state: 'completed',
        progress: { total: 19, embedded: 19, skipped: 0, failed: 0 },
      });
    });

    it('answers 404 for an unknown job', async () => {
      const response = await http().get('/api/ingest/not-a-job/events').set(asAdmin());

      expect(response.status).toBe(404);
      expect(response.body.message).toBe('ingest job not-a-job not found');
    });
  });

  describe('GET /api/ingest', () => {
    it('lists the jobs newest first', async () => {
      const response = await http().get('/api/ingest?limit=2').set(asAdmin());

      expect(response.status).toBe(200);
      expect(response.body.jobs).toHaveLength(2);
      expect(response.body.nextOffset).toBe(2);
      const [newest, older] = response.body.jobs;
      expect(Date.parse(newest.createdAt)).toBeGreaterThanOrEqual(Date.parse(older.createdAt));
      expect(newest).toMatchObject({ state: 'completed', csvName: 'photos.csv' });
    });

    it('refuses a limit out of range with 400', async () => {
      const response = await http().get('/api/ingest?limit=0').set(asAdmin());

      expect(response.status).toBe(400);
      expect(response.body.message).toEqual(['limit must not be less than 1']);
    });
  });
});
