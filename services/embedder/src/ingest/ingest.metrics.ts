import type { ChunkOutcome } from '@imgsearch/queue';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { PipelineMetrics } from './ingest.ports';

// Module-level, like every prom-client metric: registering a name twice in one registry throws.
const jobsActive = new Gauge({
  name: 'ingest_jobs_active',
  help: 'Ingest jobs this process is running now.',
});
const jobsTotal = new Counter({
  name: 'ingest_jobs_total',
  help: 'Ingest job runs by job name and status (completed, or failed: thrown, to be retried or given up).',
  labelNames: ['name', 'status'] as const,
});
const jobDuration = new Histogram({
  name: 'ingest_job_duration_seconds',
  help: 'Duration of one ingest job run by job name.',
  labelNames: ['name'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
});
const imagesTotal = new Counter({
  name: 'ingest_images_total',
  help: 'Catalogue rows settled, by outcome (embedded, failed, skipped); each chunk counted once.',
  labelNames: ['outcome'] as const,
});
const batchDuration = new Histogram({
  name: 'embed_batch_duration_seconds',
  help: 'Duration of one vision-encoder run over a batch of images.',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});
const batchSize = new Histogram({
  name: 'embed_batch_size',
  help: 'Images per vision-encoder run.',
  buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
});
const decodeDuration = new Histogram({
  name: 'image_decode_duration_seconds',
  help: 'Time to read one image from the archive, decode, preprocess and thumbnail it.',
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

/** Instruments the job runner: wraps every job run once, whatever its handler. */
export class IngestJobMetrics {
  async track<T>(jobName: string, run: () => Promise<T>): Promise<T> {
    jobsActive.inc();
    const stop = jobDuration.startTimer({ name: jobName });
    try {
      const result = await run();
      jobsTotal.inc({ name: jobName, status: 'completed' });
      return result;
    } catch (error) {
      jobsTotal.inc({ name: jobName, status: 'failed' });
      throw error;
    } finally {
      stop();
      jobsActive.dec();
    }
  }
}

/** {@link PipelineMetrics} on prom-client. */
export class PrometheusPipelineMetrics implements PipelineMetrics {
  imageDecoded(seconds: number): void {
    decodeDuration.observe(seconds);
  }

  batchEmbedded(size: number, seconds: number): void {
    batchSize.observe(size);
    batchDuration.observe(seconds);
  }

  chunkRecorded(outcome: ChunkOutcome): void {
    imagesTotal.inc({ outcome: 'embedded' }, outcome.embedded);
    imagesTotal.inc({ outcome: 'failed' }, outcome.failed);
    imagesTotal.inc({ outcome: 'skipped' }, outcome.skipped);
  }
}
