import { Counter, Histogram } from 'prom-client';

/** What a query was encoded from. */
export type EncoderKind = 'text' | 'image';

/** How a search found its query vector: encoded from a text or an image, or stored ("similar"). */
export type SearchKind = EncoderKind | 'similar';

// prom-client's default registry is the one ServiceModule serves on /metrics.
export const encoderDuration = new Histogram({
  name: 'query_encoder_duration_seconds',
  help: 'Time of one encoder run (one micro-batch of queries), by kind.',
  labelNames: ['kind'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

export const encoderBatchSize = new Histogram({
  name: 'query_encoder_batch_size',
  help: 'Queries sharing one encoder run, by kind.',
  labelNames: ['kind'] as const,
  buckets: [1, 2, 4, 8, 16, 32, 64],
});

export const searchesTotal = new Counter({
  name: 'query_searches_total',
  help: 'Searches answered, by kind.',
  labelNames: ['kind'] as const,
});
