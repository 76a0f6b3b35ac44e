import { HttpException, Logger, MessageEvent, StreamableFile } from '@nestjs/common';
import type { IngestRowError } from '@imgsearch/queue';
import { firstValueFrom, lastValueFrom, toArray, type Observable } from 'rxjs';
import { IngestStatusService, STATUS_MAX_ERRORS } from './ingest-status.service';
import { IngestUnitContext } from './test/ingest-unit.context';

const ADMIN = { id: '00000000-0000-4000-8000-0000000000ad' };

function rowError(row: number): IngestRowError {
  return { row, id: `item-${row}`, file: `${row}.png`, reason: `image "${row}.png" is corrupt` };
}

async function textOf(file: StreamableFile): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of file.getStream()) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

describe(IngestStatusService.name, () => {
  let context: IngestUnitContext;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(async () => {
    context = await IngestUnitContext.create({
      chunkSize: 8,
      events: { pollMs: 5, heartbeatMs: 60_000 },
    });
  });
  afterEach(() => context.close());

  const upload = async () =>
    (await context.service.create(context.anUpload().build(), {}, ADMIN)).jobId;

  describe('status', () => {
    it('answers 404 naming the id for an unknown job, a malformed id included', async () => {
      for (const jobId of ['2b7e2a55-1111-4111-8111-111111111111', 'not-a-uuid']) {
        const error = await context.statuses.status(jobId).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(HttpException);
        expect((error as HttpException).getStatus()).toBe(404);
        expect((error as HttpException).message).toBe(`ingest job ${jobId} not found`);
      }
    });

    it('turns running once a chunk has reported', async () => {
      const jobId = await upload();
      await context.progress.recordChunk(jobId, 1, {
        embedded: 8,
        skipped: 0,
        failed: 0,
        errors: [],
      });

      await expect(context.statuses.status(jobId)).resolves.toMatchObject({
        state: 'running',
        progress: { total: 19, embedded: 8, skipped: 0, failed: 0 },
      });
    });

    it('lists row errors by row, at most 1000, and says when it leaves some out', async () => {
      const jobId = await upload();
      const rows = Array.from({ length: STATUS_MAX_ERRORS + 5 }, (_, index) => 1100 - index);
      await context.progress.recordChunk(jobId, 0, {
        embedded: 0,
        skipped: 0,
        failed: rows.length,
        errors: rows.map(rowError),
      });

      const status = await context.statuses.status(jobId);

      expect(status.errors).toHaveLength(STATUS_MAX_ERRORS);
      expect(status.errors[0]).toEqual(rowError(96));
      expect(status.errors.map((error) => error.row)).toEqual(
        [...status.errors.map((error) => error.row)].sort((a, b) => a - b),
      );
      expect(status.errorsTruncated).toBe(true);
    });

    it('keeps the outcome of an ended job after the queue has forgotten it', async () => {
      const jobId = await upload();
      await context.progress.recordChunk(jobId, 0, {
        embedded: 19,
        skipped: 0,
        failed: 0,
        errors: [],
      });
      const finishedAt = new Date('2026-03-04T05:06:07Z');
      context.queue.complete(jobId, { state: 'completed' }, finishedAt);
      await context.statuses.status(jobId);

      context.queue.snapshots.delete(jobId);
      context.progress.counts.delete(jobId);

      await expect(context.statuses.status(jobId)).resolves.toMatchObject({
        state: 'completed',
        finishedAt,
        progress: { total: 19, embedded: 19, skipped: 0, failed: 0 },
      });
    });
  });

  describe('list', () => {
    it('lists jobs newest first, a page at a time', async () => {
      const first = await upload();
      const second = await upload();
      const third = await upload();
      context.queue.complete(first, { state: 'failed', reason: 'no image could be embedded' });

      const page = await context.statuses.list({ limit: 2 });
      const rest = await context.statuses.list({ limit: 2, offset: page.nextOffset });

      expect(page.jobs.map((job) => job.jobId)).toEqual([third, second]);
      expect(page.nextOffset).toBe(2);
      expect(rest).toEqual({
        jobs: [
          expect.objectContaining({
            jobId: first,
            state: 'failed',
            reason: 'no image could be embedded',
            progress: { total: 19, embedded: 0, skipped: 0, failed: 0 },
          }),
        ],
      });
    });
  });

  describe('events', () => {
    const statesOf = (events: MessageEvent[]) =>
      events.map((event) => (event.data as { state: string }).state);

    it('sends the status when it changes and ends with the final state', async () => {
      const jobId = await upload();
      const events = await context.statuses.events(jobId);
      const received = lastValueFrom(events.pipe(toArray()));

      await new Promise((resolve) => setTimeout(resolve, 30));
      await context.progress.recordChunk(jobId, 0, {
        embedded: 8,
        skipped: 0,
        failed: 0,
        errors: [],
      });
      await new Promise((resolve) => setTimeout(resolve, 30));
      context.queue.complete(jobId, { state: 'completed' });

      const all = await received;
      expect(statesOf(all)).toEqual(['queued', 'running', 'completed']);
      expect(all[2].data).toMatchObject({ jobId, progress: { embedded: 8 }, errors: [] });
    });

    it('stops reading the job once the listener leaves', async () => {
      const jobId = await upload();
      const events: Observable<MessageEvent> = await context.statuses.events(jobId);

      await firstValueFrom(events);
      const readsAfterLeaving = context.progress.reads;
      await new Promise((resolve) => setTimeout(resolve, 50));

      expect(context.progress.reads).toBe(readsAfterLeaving);
    });

    it('answers 404 before streaming for an unknown job', async () => {
      await expect(context.statuses.events('unknown')).rejects.toThrow(
        'ingest job unknown not found',
      );
    });
  });

  describe('errorsCsv', () => {
    it('gives every error as CSV, sorted by row', async () => {
      const jobId = await upload();
      await context.progress.recordChunk(jobId, 0, {
        embedded: 0,
        skipped: 0,
        failed: 2,
        errors: [rowError(9), { row: 3, id: 'x,y', reason: 'image "a.png" not found' }],
      });

      const file = await context.statuses.errorsCsv(jobId);

      expect(file.getHeaders()).toMatchObject({
        type: 'text/csv; charset=utf-8',
        disposition: `attachment; filename="ingest-${jobId}-errors.csv"`,
      });
      await expect(textOf(file)).resolves.toBe(
        'row,id,file,reason\r\n' +
          '3,"x,y",,"image ""a.png"" not found"\r\n' +
          '9,item-9,9.png,"image ""9.png"" is corrupt"\r\n',
      );
    });
  });
});
