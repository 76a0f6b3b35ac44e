import type { IngestRowError } from '@imgsearch/queue';
import {
  IngestCatalogProcessor,
  type CatalogChildren,
  type FailedChunk,
} from './ingest-catalog.processor';
import { aChunk } from './test/ingest-chunk.builder';
import { FakeProgress, RecordingMetrics } from './test/ingest.doubles';

const JOB = 'job-1';
const noFailedChunks: CatalogChildren = { failedChunks: async () => [] };
const failedChunks = (...chunks: FailedChunk[]): CatalogChildren => ({
  failedChunks: async () => chunks,
});
const aRowError = (row: number, reason: string): IngestRowError => ({
  row,
  id: `item-${row}`,
  file: `photos/item-${row}.jpg`,
  reason,
});

function aCatalogProcessor() {
  const progress = new FakeProgress();
  const metrics = new RecordingMetrics();
  const deletedUploads: string[] = [];
  const uploads = { deleteUploads: async (jobId: string) => void deletedUploads.push(jobId) };
  return {
    processor: new IngestCatalogProcessor(progress, metrics, uploads),
    progress,
    metrics,
    deletedUploads,
  };
}

describe(IngestCatalogProcessor.name, () => {
  describe('process', () => {
    it('completes a job whose rows were embedded, row errors included', async () => {
      const { processor, progress } = aCatalogProcessor();
      progress.start(JOB, 3);
      await progress.recordChunk(JOB, 0, {
        embedded: 2,
        skipped: 0,
        failed: 1,
        errors: [aRowError(3, 'cannot decode image: unsupported image format')],
      });

      await expect(processor.process({ jobId: JOB, total: 3 }, noFailedChunks)).resolves.toEqual({
        state: 'completed',
      });
    });

    it('fails a job none of whose rows could be embedded, naming the first error', async () => {
      const { processor, progress } = aCatalogProcessor();
      progress.start(JOB, 2, [aRowError(2, 'image "a.jpg" is not in the archive')]);
      await progress.recordChunk(JOB, 0, {
        embedded: 0,
        skipped: 0,
        failed: 1,
        errors: [aRowError(3, 'cannot decode image: unsupported image format')],
      });

      await expect(processor.process({ jobId: JOB, total: 2 }, noFailedChunks)).resolves.toEqual({
        state: 'failed',
        reason:
          'no image could be embedded; first error: row 2: image "a.jpg" is not in the archive',
      });
    });

    it('completes a job without rows', async () => {
      const { processor, progress } = aCatalogProcessor();
      progress.start(JOB, 0);

      await expect(processor.process({ jobId: JOB, total: 0 }, noFailedChunks)).resolves.toEqual({
        state: 'completed',
      });
    });

    it('reports a cancelled job as cancelled', async () => {
      const { processor, progress } = aCatalogProcessor();
      progress.start(JOB, 4).cancel(JOB);
      await progress.recordChunk(JOB, 0, { embedded: 0, skipped: 4, failed: 0, errors: [] });

      await expect(processor.process({ jobId: JOB, total: 4 }, noFailedChunks)).resolves.toEqual({
        state: 'cancelled',
      });
    });

    it('deletes the uploaded files once the job is settled, whatever its outcome', async () => {
      const { processor, progress, deletedUploads } = aCatalogProcessor();
      progress.start(JOB, 1);
      progress.cancel(JOB);

      await processor.process({ jobId: JOB, total: 1 }, noFailedChunks);

      expect(deletedUploads).toEqual([JOB]);
    });

    it('fails a job whose progress is gone', async () => {
      const { processor } = aCatalogProcessor();

      const outcome = await processor.process({ jobId: 'unknown', total: 1 }, noFailedChunks);

      expect(outcome).toEqual({ state: 'failed', reason: expect.stringContaining('unknown') });
    });

    it('counts the rows of a failed chunk that never recorded itself (a stalled one)', async () => {
      const { processor, progress, metrics } = aCatalogProcessor();
      const stalled = aChunk().ofJob(JOB, 1).withRow('x').withRow('y').build();
      progress.start(JOB, 3);
      await progress.recordChunk(JOB, 0, { embedded: 1, skipped: 0, failed: 0, errors: [] });

      const outcome = await processor.process(
        { jobId: JOB, total: 3 },
        failedChunks({
          payload: stalled,
          attempts: 1,
          reason: 'job stalled more than allowable limit',
        }),
      );

      expect(outcome).toEqual({ state: 'completed' });
      await expect(progress.read(JOB)).resolves.toEqual({
        total: 3,
        embedded: 1,
        skipped: 0,
        failed: 2,
      });
      await expect(progress.errors(JOB)).resolves.toEqual([
        expect.objectContaining({
          id: 'x',
          reason: 'could not be embedded after 1 attempt: job stalled more than allowable limit',
        }),
        expect.objectContaining({ id: 'y' }),
      ]);
      expect(metrics.chunks).toHaveLength(1);
    });

    it('does not count a failed chunk twice when it recorded itself', async () => {
      const { processor, progress } = aCatalogProcessor();
      const chunk = aChunk().ofJob(JOB, 0).withRows(2).build();
      progress.start(JOB, 2);
      await progress.recordChunk(JOB, 0, { embedded: 0, skipped: 0, failed: 2, errors: [] });

      await processor.process(
        { jobId: JOB, total: 2 },
        failedChunks({ payload: chunk, attempts: 5, reason: 'Chroma is unreachable' }),
      );

      await expect(progress.read(JOB)).resolves.toMatchObject({ failed: 2 });
    });
  });
});
