import { metricsRegistry } from '@imgsearch/service';
import { IngestJobMetrics, PrometheusPipelineMetrics } from './ingest.metrics';

const valueOf = async (name: string, labels: Record<string, string> = {}) => {
  const metric = await metricsRegistry.getSingleMetric(name)?.get();
  const sample = metric?.values.find((value) =>
    Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted),
  );
  return sample?.value ?? 0;
};

describe(IngestJobMetrics.name, () => {
  describe('track', () => {
    it('counts a run by job name and status and leaves no job active', async () => {
      const metrics = new IngestJobMetrics();

      await metrics.track('ingest-chunk', async () => 'done');
      await expect(
        metrics.track('ingest-chunk', async () => Promise.reject(new Error('Chroma is down'))),
      ).rejects.toThrow('Chroma is down');

      await expect(
        valueOf('ingest_jobs_total', { name: 'ingest-chunk', status: 'completed' }),
      ).resolves.toBe(1);
      await expect(
        valueOf('ingest_jobs_total', { name: 'ingest-chunk', status: 'failed' }),
      ).resolves.toBe(1);
      await expect(valueOf('ingest_jobs_active')).resolves.toBe(0);
    });
  });
});

describe(PrometheusPipelineMetrics.name, () => {
  it('counts the images of a chunk by outcome', async () => {
    new PrometheusPipelineMetrics().chunkRecorded({
      embedded: 3,
      skipped: 0,
      failed: 2,
      errors: [],
    });

    await expect(valueOf('ingest_images_total', { outcome: 'embedded' })).resolves.toBe(3);
    await expect(valueOf('ingest_images_total', { outcome: 'failed' })).resolves.toBe(2);
  });
});
