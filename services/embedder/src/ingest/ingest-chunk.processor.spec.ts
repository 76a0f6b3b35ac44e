import { Logger } from '@nestjs/common';
import { ZipArchiveError } from '@imgsearch/ingest';
import { storageKeys } from '@imgsearch/storage';
import { ImagePipeline } from './image-pipeline';
import { IngestChunkProcessor, type ChunkAttempt } from './ingest-chunk.processor';
import { aChunk } from './test/ingest-chunk.builder';
import {
  EventLog,
  FakeArchives,
  FakeEncoder,
  FakeItemFiles,
  FakeProgress,
  FakeThumbnails,
  FakeVectorSink,
  imageBytes,
  NOT_AN_IMAGE,
  RecordingMetrics,
} from './test/ingest.doubles';

const FIRST_OF_FIVE: ChunkAttempt = { number: 1, of: 5 };
const LAST_OF_FIVE: ChunkAttempt = { number: 5, of: 5 };

function aProcessor(options: { batchSize?: number; decodeConcurrency?: number } = {}) {
  const log = new EventLog();
  const archives = new FakeArchives(log);
  const encoder = new FakeEncoder(log);
  const files = new FakeItemFiles();
  const vectors = new FakeVectorSink(log);
  const progress = new FakeProgress(log);
  const metrics = new RecordingMetrics();
  const pipeline = new ImagePipeline(encoder, new FakeThumbnails(), metrics, {
    batchSize: options.batchSize ?? 4,
    decodeConcurrency: options.decodeConcurrency ?? 2,
  });
  const processor = new IngestChunkProcessor({
    archives,
    pipeline,
    files,
    vectors,
    progress,
    metrics,
  });
  return { processor, log, archives, encoder, files, vectors, progress, metrics };
}

describe(IngestChunkProcessor.name, () => {
  let loggedErrors: unknown[];

  beforeEach(() => {
    loggedErrors = [];
    jest
      .spyOn(Logger.prototype, 'error')
      .mockImplementation((message: unknown) => void loggedErrors.push(message));
  });
  afterEach(() => jest.restoreAllMocks());

  describe('process', () => {
    it('embeds every row, stores its original and thumbnail, and upserts it under its id', async () => {
      const { processor, archives, files, vectors } = aProcessor();
      const chunk = aChunk().withRow('cat', 'photos/chelsea.png', { title: 'A cat' }).build();
      archives.withImagesOf(chunk.rows);

      const outcome = await processor.process(chunk, FIRST_OF_FIVE);

      expect(outcome).toEqual({ embedded: 1, skipped: 0, failed: 0, errors: [] });
      expect(files.files.get(storageKeys.original('cat'))).toEqual(
        imageBytes('photos/chelsea.png'),
      );
      expect(files.files.get(storageKeys.thumbnail('cat'))?.toString()).toBe(
        'thumbnail of image of photos/chelsea.png',
      );
      expect(vectors.items.get('cat')).toEqual({
        id: 'cat',
        embedding: expect.any(Float32Array),
        metadata: { title: 'A cat' },
        imageKey: storageKeys.original('cat'),
      });
    });

    it('reports a missing entry and a corrupt image as row errors and embeds the rest', async () => {
      const { processor, archives, vectors } = aProcessor();
      const chunk = aChunk()
        .withRow('a')
        .withRow('missing', 'photos/missing.jpg')
        .withRow('corrupt', 'photos/corrupt.jpg')
        .withRow('damaged', 'photos/damaged.jpg')
        .withRow('b')
        .build();
      archives
        .withImagesOf(chunk.rows)
        .without('photos/missing.jpg')
        .withEntry('photos/corrupt.jpg', NOT_AN_IMAGE)
        .withCorruptEntry('photos/damaged.jpg');

      const outcome = await processor.process(chunk, FIRST_OF_FIVE);

      expect(outcome).toEqual({
        embedded: 2,
        skipped: 0,
        failed: 3,
        errors: [
          {
            row: 3,
            id: 'missing',
            file: 'photos/missing.jpg',
            reason: 'no entry "photos/missing.jpg" in the archive',
          },
          {
            row: 4,
            id: 'corrupt',
            file: 'photos/corrupt.jpg',
            reason: 'cannot decode image: unsupported image format',
          },
          {
            row: 5,
            id: 'damaged',
            file: 'photos/damaged.jpg',
            reason: 'entry "photos/damaged.jpg" fails its checksum: the archive is damaged',
          },
        ],
      });
      expect([...vectors.items.keys()].sort()).toEqual(['a', 'b']);
    });

    it('records its outcome once, as the last step', async () => {
      const { processor, archives, progress, log } = aProcessor({ batchSize: 2 });
      const chunk = aChunk().ofJob('job-7', 3).withRows(3).build();
      archives.withImagesOf(chunk.rows);

      const outcome = await processor.process(chunk, FIRST_OF_FIVE);

      expect(progress.outcomeOf('job-7', 3)).toEqual(outcome);
      expect(log.events.at(-1)).toBe('record chunk 3');
      expect(log.events.filter((event) => event.startsWith('record'))).toHaveLength(1);
    });

    it('throws when Chroma fails, so that the queue retries the chunk, and records nothing', async () => {
      const { processor, archives, vectors, progress } = aProcessor();
      const chunk = aChunk().withRows(3).build();
      archives.withImagesOf(chunk.rows);
      vectors.failingFrom(1, new Error('connect ECONNREFUSED 127.0.0.1:8000'));

      await expect(processor.process(chunk, FIRST_OF_FIVE)).rejects.toThrow('ECONNREFUSED');
      expect(progress.outcomeOf(chunk.jobId)).toBeUndefined();
    });

    it('throws when the disk fails', async () => {
      const { processor, archives, files } = aProcessor();
      const chunk = aChunk().withRows(2).build();
      archives.withImagesOf(chunk.rows);
      files.failure = new Error('ENOSPC: no space left on device');

      await expect(processor.process(chunk, FIRST_OF_FIVE)).rejects.toThrow('ENOSPC');
    });

    it('records every row as failed when the last attempt fails, then throws', async () => {
      const { processor, archives, vectors, progress, metrics } = aProcessor();
      const chunk = aChunk().withRow('a').withRow('b').build();
      archives.withImagesOf(chunk.rows);
      vectors.failingFrom(1, new Error('Chroma is unreachable'));

      await expect(processor.process(chunk, LAST_OF_FIVE)).rejects.toThrow('Chroma is unreachable');

      const reason = 'could not be embedded after 5 attempts: Chroma is unreachable';
      expect(progress.outcomeOf(chunk.jobId)).toEqual({
        embedded: 0,
        skipped: 0,
        failed: 2,
        errors: [
          { row: 2, id: 'a', file: 'photos/a.jpg', reason },
          { row: 3, id: 'b', file: 'photos/b.jpg', reason },
        ],
      });
      expect(metrics.chunks).toEqual([progress.outcomeOf(chunk.jobId)]);
    });

    it("records a person-readable reason for the vector store's refusal, and logs the whole error", async () => {
      const { processor, archives, vectors, progress } = aProcessor();
      const chunk = aChunk().withRow('a').build();
      archives.withImagesOf(chunk.rows);
      const refusal = new Error(
        'Bad request to http://10.0.3.7:8000/api/v2/tenants/default_tenant/databases/default_database/collections/d83ca52c-4ed4-4d24-a4e5-1766f9c7a137/upsert with status: Validation error: metadatas: Invalid metadata at index 0',
      );
      vectors.failingFrom(1, refusal);

      await expect(processor.process(chunk, LAST_OF_FIVE)).rejects.toBe(refusal);

      const [error] = progress.outcomeOf(chunk.jobId)!.errors;
      expect(error.reason).toBe(
        'could not be embedded after 5 attempts: vector store refused the batch: Validation error: metadatas: Invalid metadata at index 0',
      );
      expect(loggedErrors).toEqual([
        expect.objectContaining({ jobId: chunk.jobId, chunkIndex: chunk.chunkIndex, err: refusal }),
      ]);
    });

    it('logs nothing as an error for an attempt that will be retried', async () => {
      const { processor, archives, vectors } = aProcessor();
      const chunk = aChunk().withRows(1).build();
      archives.withImagesOf(chunk.rows);
      vectors.failingFrom(1, new Error('Chroma is unreachable'));

      await expect(processor.process(chunk, FIRST_OF_FIVE)).rejects.toThrow();

      expect(loggedErrors).toEqual([]);
    });

    it('still throws the fault when recording the given-up chunk fails too', async () => {
      const { processor, archives, progress } = aProcessor();
      const chunk = aChunk().withRows(1).build();
      archives.withImagesOf(chunk.rows);
      progress.failure = new Error('Redis is down');

      await expect(processor.process(chunk, LAST_OF_FIVE)).rejects.toThrow('Redis is down');
    });

    it('counts every row as skipped when the job was cancelled, and does nothing else', async () => {
      const { processor, archives, encoder, vectors, progress } = aProcessor();
      const chunk = aChunk().ofJob('cancelled-job').withRows(5).build();
      archives.withImagesOf(chunk.rows);
      progress.cancel('cancelled-job');

      const outcome = await processor.process(chunk, FIRST_OF_FIVE);

      expect(outcome).toEqual({ embedded: 0, skipped: 5, failed: 0, errors: [] });
      expect(progress.outcomeOf('cancelled-job')).toEqual(outcome);
      expect(archives.acquired).toBe(0);
      expect(encoder.batchSizes).toEqual([]);
      expect(vectors.calls).toEqual([]);
    });

    it('never sends the encoder more images than the batch size', async () => {
      const { processor, archives, encoder, vectors } = aProcessor({ batchSize: 4 });
      const chunk = aChunk().withRows(10).build();
      archives.withImagesOf(chunk.rows);

      await processor.process(chunk, FIRST_OF_FIVE);

      expect(encoder.batchSizes).toEqual([4, 4, 2]);
      expect(vectors.calls.map((call) => call.length)).toEqual([4, 4, 2]);
    });

    it('upserts the same ids when a chunk runs again after a fault', async () => {
      const { processor, archives, vectors, progress } = aProcessor({ batchSize: 2 });
      const chunk = aChunk().withRows(5).build();
      archives.withImagesOf(chunk.rows);
      vectors.failingFrom(2, new Error('Chroma timed out'));
      await expect(processor.process(chunk, FIRST_OF_FIVE)).rejects.toThrow('Chroma timed out');
      const firstRun = vectors.calls.flat().map((vector) => vector.id);
      vectors.recovers();

      const outcome = await processor.process(chunk, { number: 2, of: 5 });

      const secondRun = vectors.calls
        .flat()
        .map((vector) => vector.id)
        .slice(firstRun.length);
      expect(secondRun).toEqual(chunk.rows.map((row) => row.id));
      expect(firstRun.every((id) => secondRun.includes(id))).toBe(true);
      expect(vectors.items.size).toBe(5);
      expect(outcome.embedded).toBe(5);
      expect(progress.recorded.size).toBe(1);
    });

    it('decodes the next batch while the encoder runs the current one', async () => {
      const { processor, archives, encoder, log } = aProcessor({ batchSize: 2 });
      const chunk = aChunk().withRows(6).build();
      archives.withImagesOf(chunk.rows);
      encoder.inferenceMs = 20;

      await processor.process(chunk, FIRST_OF_FIVE);

      const [, , third, , fifth] = chunk.rows.map((row) => `read ${row.entry}`);
      expect(log.indexOf(third!)).toBeLessThan(log.indexOf('embed 1 end'));
      expect(log.indexOf(fifth!)).toBeLessThan(log.indexOf('embed 2 end'));
    });

    it('fails every row, without retrying, when the archive is no usable ZIP', async () => {
      const { processor, archives } = aProcessor();
      const chunk = aChunk().withRows(2).build();
      archives.failingToOpen(
        new ZipArchiveError('unreadable', 'the file is not a readable ZIP archive: bad signature'),
      );

      const outcome = await processor.process(chunk, FIRST_OF_FIVE);

      expect(outcome.failed).toBe(2);
      expect(outcome.errors[0]?.reason).toBe(
        'the archive cannot be used: the file is not a readable ZIP archive: bad signature',
      );
    });

    it('throws when the archive cannot be opened for another reason', async () => {
      const { processor, archives } = aProcessor();
      archives.failingToOpen(new Error('ENOENT: no such file or directory'));

      await expect(processor.process(aChunk().withRows(1).build(), FIRST_OF_FIVE)).rejects.toThrow(
        'ENOENT',
      );
    });

    it('gives the archive back whether the chunk succeeds or fails', async () => {
      const { processor, archives, vectors } = aProcessor();
      const chunk = aChunk().withRows(2).build();
      archives.withImagesOf(chunk.rows);

      await processor.process(chunk, FIRST_OF_FIVE);
      vectors.failingFrom(1, new Error('Chroma is down'));
      await expect(processor.process(chunk, FIRST_OF_FIVE)).rejects.toThrow();

      expect(archives.acquired).toBe(2);
      expect(archives.released).toBe(2);
    });

    it('counts images in the metrics once per chunk, however often it runs', async () => {
      const { processor, archives, metrics } = aProcessor();
      const chunk = aChunk().withRow('a').withRow('gone', 'photos/gone.jpg').build();
      archives.withImagesOf(chunk.rows).without('photos/gone.jpg');

      await processor.process(chunk, FIRST_OF_FIVE);
      await processor.process(chunk, FIRST_OF_FIVE);

      expect(metrics.chunks).toEqual([expect.objectContaining({ embedded: 1, failed: 1 })]);
      expect(metrics.decoded).toBe(4);
    });
  });
});
