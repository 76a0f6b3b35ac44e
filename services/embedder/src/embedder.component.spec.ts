import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CatalogCsvReader, DEFAULT_CATALOG_MAPPING } from '@imgsearch/ingest';
import {
  type CatalogOutcome,
  type IngestCatalogPayload,
  type IngestChunkPayload,
  IngestJobName,
  IngestProgressStore,
  type IngestRow,
  QueueName,
  createRedis,
  ingestJobIds,
  redisOptions,
} from '@imgsearch/queue';
import { bootstrapService } from '@imgsearch/service';
import { FileStorage, storageKeys } from '@imgsearch/storage';
import { ChromaImageRepository, ModelMismatchError } from '@imgsearch/vector-store';
import { type FlowJob, FlowProducer, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import sharp from 'sharp';
import { TestZipBuilder } from '../../../libs/ingest/src/testing/test-zip.builder';
import { type ChromaInstance, startChroma } from '../../../scripts/stack/chroma-process';
import { type RedisInstance, startRedis } from '../../../scripts/stack/redis-process';
import { type EmbedderConfig, loadEmbedderConfig } from './embedder.config';
import { EmbedderModule } from './embedder.module';

const repoRoot = resolve(__dirname, '../../..');
const samples = join(repoRoot, 'samples');
const TINY_MODEL = { model: 'tiny-random-clip', dimension: readProjectionDim() };

function readProjectionDim(): number {
  const config = JSON.parse(
    readFileSync(join(repoRoot, 'models/tiny-random-clip/config.json'), 'utf8'),
  );
  return config.projection_dim as number;
}

/** The photo catalogue's rows as the gateway resolves them: entries are `photos/<image>`. */
async function photoRows(): Promise<IngestRow[]> {
  const csv = await new CatalogCsvReader(DEFAULT_CATALOG_MAPPING).collect(
    join(samples, 'catalog/photos.csv'),
  );
  return csv.items.map((item) => ({
    row: item.row,
    id: item.id,
    entry: `photos/${item.imagePath}`,
    metadata: item.metadata,
  }));
}

const aRow = (row: number, id: string, entry: string): IngestRow => ({
  row,
  id,
  entry,
  metadata: { title: id },
});

/**
 * The embedder as it runs: its Nest module over a real Redis, a real Chroma, the tiny CLIP and
 * real ZIPs, fed flows of a catalogue job and its chunk jobs the way the gateway adds them.
 */
describe(EmbedderModule.name, () => {
  let folder: string;
  let redisServer: RedisInstance;
  let chromaServer: ChromaInstance;
  let config: EmbedderConfig;
  let app: INestApplication;
  let redis: Redis;
  let flows: FlowProducer;
  let events: QueueEvents;
  let progress: IngestProgressStore;
  let storage: FileStorage;
  let repository: ChromaImageRepository;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'embedder-'));
    [redisServer, chromaServer] = await Promise.all([
      startRedis(join(folder, 'redis')),
      startChroma(repoRoot, join(folder, 'chroma')),
    ]);
    const prefix = `test-${randomUUID().slice(0, 8)}`;
    config = loadEmbedderConfig({
      REDIS_URL: redisServer.url,
      CHROMA_URL: chromaServer.url,
      CHROMA_COLLECTION: prefix,
      QUEUE_PREFIX: prefix,
      CLIP_MODEL_DIR: join(repoRoot, 'models/tiny-random-clip'),
      DATA_DIR: join(folder, 'data'),
      EMBEDDER_PORT: '0',
      EMBED_BATCH_SIZE: '4',
      LOG_LEVEL: 'error',
    });
    app = await bootstrapService(EmbedderModule.forRoot(config), {
      name: 'embedder',
      host: '127.0.0.1',
      port: config.EMBEDDER_PORT,
    });
    const connection = { url: redisServer.url, ...redisOptions('worker') };
    flows = new FlowProducer({ connection, prefix });
    events = new QueueEvents(QueueName.Ingest, { connection, prefix });
    await events.waitUntilReady();
    redis = createRedis(redisServer.url, 'worker');
    progress = new IngestProgressStore(redis, prefix);
    storage = new FileStorage(config.DATA_DIR);
    repository = await ChromaImageRepository.open({
      url: chromaServer.url,
      collection: prefix,
      model: TINY_MODEL,
    });
  });

  afterAll(async () => {
    await app?.close();
    await events?.close();
    await flows?.close();
    await redis?.quit();
    await Promise.all([redisServer?.process.stop(), chromaServer?.process.stop()]);
    rmSync(folder, { recursive: true, force: true });
  });

  /** Stores `archive` as an upload and adds its catalogue job with one chunk job per row list. */
  async function ingest(
    archive: string | undefined,
    chunks: IngestRow[][],
    options: {
      attempts?: number;
      before?: (jobId: string) => Promise<void>;
      /** Chunks whose archive is not where their payload says. */
      lostArchiveChunks?: number[];
    } = {},
  ): Promise<{ jobId: string; outcome: CatalogOutcome }> {
    const jobId = randomUUID();
    const archiveKey = storageKeys.uploadedArchive(jobId);
    if (archive) {
      mkdirSync(dirname(storage.pathOf(archiveKey)), { recursive: true });
      copyFileSync(archive, storage.pathOf(archiveKey));
    }
    const total = chunks.reduce((sum, rows) => sum + rows.length, 0);
    await progress.start(jobId, total, []);
    await options.before?.(jobId);
    const flow = await flows.add({
      name: IngestJobName.Catalog,
      queueName: QueueName.Ingest,
      data: { jobId, total } satisfies IngestCatalogPayload,
      opts: { jobId: ingestJobIds.catalog(jobId) },
      children: chunks.map((rows, chunkIndex): FlowJob => ({
        name: IngestJobName.Chunk,
        queueName: QueueName.Ingest,
        data: {
          jobId,
          chunkIndex,
          archiveKey: options.lostArchiveChunks?.includes(chunkIndex)
            ? `uploads/${jobId}/lost.zip`
            : archiveKey,
          rows,
        } satisfies IngestChunkPayload,
        opts: {
          jobId: ingestJobIds.chunk(jobId, chunkIndex),
          attempts: options.attempts ?? 5,
          backoff: { type: 'exponential', delay: 50 },
          ignoreDependencyOnFailure: true,
        },
      })),
    });
    const outcome = (await flow.job.waitUntilFinished(events, 60_000)) as CatalogOutcome;
    return { jobId, outcome };
  }

  it('embeds all 19 photographs of the sample catalogue, in two chunks', async () => {
    const rows = await photoRows();

    const { jobId, outcome } = await ingest(join(samples, 'catalog/photos.zip'), [
      rows.slice(0, 10),
      rows.slice(10),
    ]);

    expect(outcome).toEqual({ state: 'completed' });
    await expect(progress.read(jobId)).resolves.toEqual({
      total: 19,
      embedded: 19,
      skipped: 0,
      failed: 0,
    });
    await expect(progress.errors(jobId)).resolves.toEqual([]);
    const stored = await repository.get(rows.map((row) => row.id));
    expect(stored.map((item) => item.id).sort()).toEqual(rows.map((row) => row.id).sort());
    expect(stored.find((item) => item.id === 'cat')).toEqual({
      id: 'cat',
      metadata: { title: 'A tabby cat looking to the side', category: 'animals' },
      imageKey: storageKeys.original('cat'),
    });
    await expect(repository.getEmbedding('cat')).resolves.toHaveLength(TINY_MODEL.dimension);
  });

  it('stores each original as uploaded and a JPEG thumbnail within THUMBNAIL_SIZE', async () => {
    const rows = await photoRows();
    await ingest(join(samples, 'catalog/photos.zip'), [rows]);

    expect(readFileSync(storage.pathOf(storageKeys.original('cat')))).toEqual(
      readFileSync(join(samples, 'photos/chelsea.png')),
    );
    for (const row of rows) {
      const thumbnail = await sharp(storage.pathOf(storageKeys.thumbnail(row.id))).metadata();
      expect(thumbnail.format).toBe('jpeg');
      expect(Math.max(thumbnail.width, thumbnail.height)).toBeLessThanOrEqual(
        config.THUMBNAIL_SIZE,
      );
    }
  });

  it('reports a missing entry, a picture that is no image and a damaged entry, and embeds the rest', async () => {
    const zip = await new TestZipBuilder()
      .withFile('photos/cat.png', readFileSync(join(samples, 'photos/chelsea.png')))
      .withFile('photos/notes.jpg', 'these are notes, not a picture')
      .withFile('photos/coffee.png', readFileSync(join(samples, 'photos/coffee.png')), {
        compress: false,
      })
      .withCorruptedData('photos/coffee.png')
      .writeTo(folder, 'bad-entries.zip');

    const { jobId, outcome } = await ingest(zip, [
      [
        aRow(2, 'cat', 'photos/cat.png'),
        aRow(3, 'ghost', 'photos/ghost.png'),
        aRow(4, 'notes', 'photos/notes.jpg'),
        aRow(5, 'coffee', 'photos/coffee.png'),
      ],
    ]);

    expect(outcome).toEqual({ state: 'completed' });
    await expect(progress.read(jobId)).resolves.toEqual({
      total: 4,
      embedded: 1,
      skipped: 0,
      failed: 3,
    });
    await expect(progress.errors(jobId)).resolves.toEqual([
      {
        row: 3,
        id: 'ghost',
        file: 'photos/ghost.png',
        reason: 'no entry "photos/ghost.png" in the archive',
      },
      {
        row: 4,
        id: 'notes',
        file: 'photos/notes.jpg',
        reason: 'cannot decode image: unsupported image format',
      },
      {
        row: 5,
        id: 'coffee',
        file: 'photos/coffee.png',
        reason: 'entry "photos/coffee.png" fails its checksum: the archive is damaged',
      },
    ]);
  });

  it('reports an entry that holds more than its headers declare, embeds its neighbour, and keeps running', async () => {
    // 30 MiB of zeros declared as 1000 bytes: its read fails while the photo beside it is read.
    const zip = await new TestZipBuilder()
      .withFile('liar.png', Buffer.alloc(30 * 1024 * 1024))
      .withDeclaredSize('liar.png', 1000)
      .withFile('ok.png', readFileSync(join(samples, 'photos/coffee.png')))
      .writeTo(folder, 'liar.zip');

    for (let upload = 0; upload < 4; upload += 1) {
      const { jobId, outcome } = await ingest(zip, [
        [aRow(2, `li1-${upload}`, 'liar.png'), aRow(3, `li2-${upload}`, 'ok.png')],
      ]);

      expect(outcome).toEqual({ state: 'completed' });
      await expect(progress.read(jobId)).resolves.toEqual({
        total: 2,
        embedded: 1,
        skipped: 0,
        failed: 1,
      });
      await expect(progress.errors(jobId)).resolves.toEqual([
        {
          row: 2,
          id: `li1-${upload}`,
          file: 'liar.png',
          reason: expect.stringMatching(
            /^entry "liar\.png" does not hold the size its header declares \(.*\): the archive is damaged or forged$/,
          ),
        },
      ]);
    }
  });

  it('settles the job once a chunk has failed on every attempt, with its rows counted as failed', async () => {
    // A lost archive is a fault, not a row problem: the chunk is retried, then given up.
    const [first] = await photoRows();
    const { jobId, outcome } = await ingest(
      join(samples, 'catalog/photos.zip'),
      [[first!], [aRow(3, 'lost-1', 'photos/a.png'), aRow(4, 'lost-2', 'photos/b.png')]],
      { attempts: 2, lostArchiveChunks: [1] },
    );
    expect(outcome).toEqual({ state: 'completed' });
    await expect(progress.read(jobId)).resolves.toEqual({
      total: 3,
      embedded: 1,
      skipped: 0,
      failed: 2,
    });
    await expect(progress.errors(jobId)).resolves.toEqual([
      expect.objectContaining({
        row: 3,
        id: 'lost-1',
        reason: expect.stringMatching(/^could not be embedded after 2 attempts: .*ENOENT/),
      }),
      expect.objectContaining({ row: 4, id: 'lost-2' }),
    ]);
  });

  it('fails the job, naming the first error, when no image could be embedded', async () => {
    const { outcome } = await ingest(undefined, [[aRow(2, 'lost', 'photos/a.png')]], {
      attempts: 1,
    });

    expect(outcome).toEqual({
      state: 'failed',
      reason: expect.stringMatching(
        /^no image could be embedded; first error: row 2: could not be embedded after 1 attempt: .*ENOENT/,
      ),
    });
  });

  it('skips every row of a cancelled job', async () => {
    const rows = (await photoRows()).slice(0, 3);

    const { jobId, outcome } = await ingest(join(samples, 'catalog/photos.zip'), [rows], {
      before: (id) => progress.cancel(id),
    });

    expect(outcome).toEqual({ state: 'cancelled' });
    await expect(progress.read(jobId)).resolves.toEqual({
      total: 3,
      embedded: 0,
      skipped: 3,
      failed: 0,
    });
  });

  it('is ready, and counts jobs and images on /metrics', async () => {
    const url = await app.getUrl();

    const ready = await fetch(`${url}/health/ready`);
    const metrics = await (await fetch(`${url}/metrics`)).text();

    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { redis: { status: 'up' }, chroma: { status: 'up' }, model: { status: 'up' } },
    });
    expect(metrics).toMatch(/ingest_jobs_total\{[^}]*name="ingest-chunk"[^}]*status="completed"/);
    expect(metrics).toMatch(/ingest_images_total\{[^}]*outcome="embedded"[^}]*\} \d+/);
    expect(metrics).toContain('embed_batch_size_bucket');
    expect(metrics).toContain('image_decode_duration_seconds_bucket');
  });

  it('refuses to start on a collection that holds another model’s vectors', async () => {
    const collection = `other-${randomUUID().slice(0, 8)}`;
    await ChromaImageRepository.open({
      url: chromaServer.url,
      collection,
      model: { model: 'some-other-clip', dimension: 768 },
    });

    const starting = NestFactory.create(
      EmbedderModule.forRoot({ ...config, CHROMA_COLLECTION: collection }),
      { abortOnError: false, logger: false },
    );

    await expect(starting).rejects.toThrow(ModelMismatchError);
    await expect(starting).rejects.toThrow(/holds vectors of model "some-other-clip"/);
  });
});
