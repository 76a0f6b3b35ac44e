import { HttpException, Logger } from '@nestjs/common';
import { storageKeys } from '@imgsearch/storage';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { IngestService } from './ingest.service';
import { samples } from './test/catalog-samples';
import { IngestUnitContext } from './test/ingest-unit.context';

const ADMIN = { id: '00000000-0000-4000-8000-0000000000ad' };

/** What the HTTP client would receive for a refused call. */
async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: unknown }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof HttpException)) throw new Error(`expected an HTTP refusal, got ${error}`);
  const body = error.getResponse();
  const message = typeof body === 'string' ? body : (body as { message: unknown }).message;
  return { status: error.getStatus(), message };
}

describe(IngestService.name, () => {
  let context: IngestUnitContext;

  beforeAll(() => Logger.overrideLogger(false));
  afterEach(() => context?.close());

  describe('create', () => {
    beforeEach(async () => {
      context = await IngestUnitContext.create();
    });

    it('queues the photo catalogue as one chunk of 19 rows and answers queued', async () => {
      const accepted = await context.service.create(context.anUpload().build(), {}, ADMIN);

      expect(accepted).toEqual({ jobId: expect.any(String), state: 'queued' });
      const flow = context.queue.flowOf(accepted.jobId);
      expect(flow.total).toBe(19);
      expect(flow.chunks.map((chunk) => chunk.rows.length)).toEqual([19]);
      expect(flow.chunks[0]).toMatchObject({
        jobId: accepted.jobId,
        chunkIndex: 0,
        archiveKey: storageKeys.uploadedArchive(accepted.jobId),
      });
      expect(flow.chunks[0].rows[0]).toEqual({
        row: 2,
        id: 'astronaut',
        entry: 'photos/astronaut.png',
        metadata: {
          title: 'Portrait of an astronaut in a spacesuit with a flag',
          category: 'people',
        },
      });
    });

    it('keeps both files under the job, where the embedders read them', async () => {
      const { jobId } = await context.service.create(context.anUpload().build(), {}, ADMIN);

      const csv = context.storage.pathOf(storageKeys.uploadedCsv(jobId));
      expect(readFileSync(csv, 'utf8')).toBe(readFileSync(samples.photosCsv, 'utf8'));
      await expect(context.storage.size(storageKeys.uploadedArchive(jobId))).resolves.toBe(
        readFileSync(samples.photosZip).length,
      );
    });

    it('starts the job queued, with all rows counted and none done', async () => {
      const { jobId } = await context.service.create(context.anUpload().build(), {}, ADMIN);

      const status = await context.statuses.status(jobId);
      expect(status).toMatchObject({
        jobId,
        state: 'queued',
        progress: { total: 19, embedded: 0, skipped: 0, failed: 0 },
        errors: [],
        errorsTruncated: false,
        cancelRequested: false,
        createdBy: ADMIN.id,
        csvName: 'photos.csv',
        archiveName: 'photos.zip',
      });
    });

    it('resolves the seed-format catalogue through its mapping, refusing row 18 whose image is missing', async () => {
      const upload = context.anUpload().withCsv(samples.fall24Csv).withArchive(samples.fall24Zip);
      const mapping = readFileSync(samples.fall24Mapping, 'utf8');

      const { jobId } = await context.service.create(upload.build(), { mapping }, ADMIN);

      const flow = context.queue.flowOf(jobId);
      expect(flow.total).toBe(17);
      expect(flow.chunks.flatMap((chunk) => chunk.rows)).toHaveLength(16);
      expect(flow.chunks[0].rows[0]).toMatchObject({
        row: 2,
        id: 'Fall241',
        entry: 'Fall24/Fall241.jpg',
      });
      const status = await context.statuses.status(jobId);
      expect(status.progress).toEqual({ total: 17, embedded: 0, skipped: 0, failed: 1 });
      expect(status.errors).toEqual([
        {
          row: 18,
          id: 'Fall2417',
          file: 'Fall2417.jpg',
          reason: 'image "Fall2417.jpg" not found in the archive',
        },
      ]);
    });

    it('takes the mapping as a file part as well', async () => {
      const upload = context
        .anUpload()
        .withCsv(samples.fall24Csv)
        .withArchive(samples.fall24Zip)
        .withMappingFile(samples.fall24Mapping);

      const { jobId } = await context.service.create(upload.build(), {}, ADMIN);

      expect(context.queue.flowOf(jobId).chunks[0].rows).toHaveLength(16);
    });

    it('splits 19 rows into chunks of 8, 8 and 3', async () => {
      await context.close();
      context = await IngestUnitContext.create({ chunkSize: 8 });

      const { jobId } = await context.service.create(context.anUpload().build(), {}, ADMIN);

      const chunks = context.queue.flowOf(jobId).chunks;
      expect(chunks.map((chunk) => chunk.rows.length)).toEqual([8, 8, 3]);
      expect(chunks.map((chunk) => chunk.chunkIndex)).toEqual([0, 1, 2]);
      expect(chunks[2].rows.map((row) => row.id)).toEqual(['color', 'cells', 'ihc']);
    });

    it('queues a catalogue none of whose images are in the archive, every row refused', async () => {
      const upload = context.anUpload().withArchive(samples.fall24Zip);

      const { jobId } = await context.service.create(upload.build(), {}, ADMIN);

      expect(context.queue.flowOf(jobId).chunks).toEqual([]);
      const status = await context.statuses.status(jobId);
      expect(status.progress).toEqual({ total: 19, embedded: 0, skipped: 0, failed: 19 });
      expect(status.errors[0]).toEqual({
        row: 2,
        id: 'astronaut',
        file: 'astronaut.png',
        reason: 'image "astronaut.png" not found in the archive',
      });
    });

    it('refuses a CSV header that lacks the mapped columns with 422 naming them', async () => {
      const upload = context.anUpload().withCsvText('title,category\nA cat,animals\n');

      await expect(refusal(context.service.create(upload.build(), {}, ADMIN))).resolves.toEqual({
        status: 422,
        message: 'CSV header is missing column(s): id, image',
      });
    });

    it('refuses metadata columns the vector store cannot take as keys with 422 naming them', async () => {
      const csv = 'id,image,$dollar,title,#hash\nastronaut,astronaut.png,1,A,2\n';
      const upload = context.anUpload().withCsvText(csv);

      await expect(refusal(context.service.create(upload.build(), {}, ADMIN))).resolves.toEqual({
        status: 422,
        message:
          'CSV column "$dollar" cannot be stored as metadata: names may not start with "$" or "#"; ' +
          'CSV column "#hash" cannot be stored as metadata: names may not start with "$" or "#"',
      });
      expect(context.queue.flows).toEqual([]);
    });

    it('refuses a __proto__ column with 422 rather than dropping it', async () => {
      const upload = context
        .anUpload()
        .withCsvText('id,image,__proto__\nastronaut,astronaut.png,x\n');

      await expect(refusal(context.service.create(upload.build(), {}, ADMIN))).resolves.toEqual({
        status: 422,
        message:
          'CSV column "__proto__" cannot be stored as metadata: names may not be "__proto__"',
      });
    });

    it('queues a column named constructor as metadata like any other', async () => {
      const upload = context
        .anUpload()
        .withCsvText('id,image,constructor\nastronaut,astronaut.png,y\n');

      const { jobId } = await context.service.create(upload.build(), {}, ADMIN);

      const [chunk] = context.queue.flowOf(jobId).chunks;
      expect({ ...chunk.rows[0].metadata }).toEqual({ constructor: 'y' });
    });

    it('refuses a CSV that is not UTF-8 with 422 naming the line', async () => {
      const latin1 = Buffer.from('id,image,title\nastronaut,astronaut.png,café\n', 'latin1');
      const upload = context.anUpload().withCsvText(latin1);

      await expect(refusal(context.service.create(upload.build(), {}, ADMIN))).resolves.toEqual({
        status: 422,
        message: 'CSV is not valid UTF-8 (line 2); save it as UTF-8',
      });
      expect(context.queue.flows).toEqual([]);
    });

    it('refuses an invalid mapping with 400 listing every problem', async () => {
      const mapping = JSON.stringify({ idColumn: 'sku', idTemplate: '{a}', colour: 'red' });

      const refused = await refusal(
        context.service.create(context.anUpload().build(), { mapping }, ADMIN),
      );

      expect(refused.status).toBe(400);
      expect(refused.message).toEqual([expect.stringContaining('unknown field "colour"')]);
    });

    it('refuses a mapping that is not JSON with 400', async () => {
      const refused = await refusal(
        context.service.create(context.anUpload().build(), { mapping: '{id: sku}' }, ADMIN),
      );

      expect(refused.status).toBe(400);
      expect(refused.message).toEqual([expect.stringMatching(/^mapping: is not valid JSON/)]);
    });

    it('refuses a mapping sent both as a field and as a file with 400', async () => {
      const upload = context.anUpload().withMappingFile(samples.fall24Mapping).build();

      await expect(
        refusal(context.service.create(upload, { mapping: '{}' }, ADMIN)),
      ).resolves.toEqual({
        status: 400,
        message: 'give the mapping either as a text field or as a file, not both',
      });
    });

    it('refuses an archive that is not a ZIP with 422', async () => {
      const upload = context.anUpload().withArchiveText('PK but not really a zip at all');

      const refused = await refusal(context.service.create(upload.build(), {}, ADMIN));

      expect(refused.status).toBe(422);
      expect(refused.message).toMatch(/^archive is not a readable ZIP file: /);
    });

    it('refuses a CSV with a header and no rows with 422', async () => {
      const upload = context.anUpload().withCsvText('id,image,title\n\n');

      await expect(refusal(context.service.create(upload.build(), {}, ADMIN))).resolves.toEqual({
        status: 422,
        message: 'the CSV has a header but no data rows',
      });
    });

    it('refuses an empty CSV with 422', async () => {
      const upload = context.anUpload().withCsvText('');

      const refused = await refusal(context.service.create(upload.build(), {}, ADMIN));

      expect(refused.status).toBe(422);
      expect(refused.message).toMatch(/empty/);
    });

    it('refuses a CSV row over the size limit with 413 naming its line', async () => {
      await context.close();
      context = await IngestUnitContext.create({ csv: { maxRows: 100, maxRecordBytes: 200 } });
      const long = `id,image,title\na,astronaut.png,short\nb,brick.png,${'x'.repeat(300)}\n`;

      const refused = await refusal(
        context.service.create(context.anUpload().withCsvText(long).build(), {}, ADMIN),
      );

      expect(refused.status).toBe(413);
      expect(refused.message).toMatch(/line 3 is longer than the 200 bytes limit/);
    });

    it('queues nothing and keeps no file when it refuses an upload', async () => {
      const upload = context.anUpload().withCsvText('title\nx\n');

      await expect(context.service.create(upload.build(), {}, ADMIN)).rejects.toThrow();

      expect(context.queue.flows).toEqual([]);
      expect(existsSync(context.storage.pathOf('uploads'))).toBe(false);
    });

    it('answers 503 and forgets the job when the queue cannot be reached', async () => {
      context.queue.failWith = new Error('connect ECONNREFUSED 127.0.0.1:6379');

      const refused = await refusal(context.service.create(context.anUpload().build(), {}, ADMIN));

      expect(refused).toEqual({
        status: 503,
        message: 'the job queue is unavailable; try the upload again later',
      });
      await expect(context.statuses.list({})).resolves.toEqual({ jobs: [] });
      expect(readdirSync(context.storage.pathOf('uploads'))).toEqual([]);
    });
  });

  describe('cancel', () => {
    beforeEach(async () => {
      context = await IngestUnitContext.create({ chunkSize: 8 });
    });

    it('drops the chunks no worker started and counts their rows as skipped', async () => {
      const { jobId } = await context.service.create(context.anUpload().build(), {}, ADMIN);
      context.queue.pending.set(jobId, [1, 2]);
      await context.progress.recordChunk(jobId, 0, {
        embedded: 8,
        skipped: 0,
        failed: 0,
        errors: [],
      });

      const status = await context.service.cancel(jobId);

      expect(status).toMatchObject({
        jobId,
        state: 'running',
        cancelRequested: true,
        progress: { total: 19, embedded: 8, skipped: 11, failed: 0 },
      });
      await expect(context.progress.isCancelled(jobId)).resolves.toBe(true);
    });

    it('ends cancelled with every row skipped once the embedder settles it', async () => {
      const { jobId } = await context.service.create(context.anUpload().build(), {}, ADMIN);
      await context.service.cancel(jobId);

      context.queue.complete(jobId, { state: 'cancelled' });

      await expect(context.statuses.status(jobId)).resolves.toMatchObject({
        state: 'cancelled',
        progress: { total: 19, embedded: 0, skipped: 19, failed: 0 },
        finishedAt: expect.any(Date),
      });
    });

    it('refuses to cancel a job that has ended with 409', async () => {
      const { jobId } = await context.service.create(context.anUpload().build(), {}, ADMIN);
      context.queue.complete(jobId, { state: 'completed' });

      await expect(refusal(context.service.cancel(jobId))).resolves.toEqual({
        status: 409,
        message: `ingest job ${jobId} has already ended: it is completed`,
      });
    });

    it('answers 404 for a job that does not exist', async () => {
      const jobId = '6f1c1d4e-0000-4000-8000-000000000000';

      await expect(refusal(context.service.cancel(jobId))).resolves.toEqual({
        status: 404,
        message: `ingest job ${jobId} not found`,
      });
    });
  });
});
