import { ChromaImageRepository, ModelMismatchError } from '@imgsearch/vector-store';
import { redisOptions } from '@imgsearch/queue';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';

const redisUrl = () => process.env.E2E_REDIS_URL!;
const chromaUrl = () => process.env.E2E_CHROMA_URL!;

function unitVector(dimension: number, hot: number): Float32Array {
  const vector = new Float32Array(dimension);
  vector[hot] = 1;
  return vector;
}

describe('the local stack', () => {
  it('runs a BullMQ job through the private Redis and returns its result', async () => {
    const name = `roundtrip-${randomUUID()}`;
    const connection = { url: redisUrl(), ...redisOptions('worker') };
    const queue = new Queue(name, { connection });
    const events = new QueueEvents(name, { connection });
    const worker = new Worker(
      name,
      async (job) => ({ doubled: (job.data as { n: number }).n * 2 }),
      { connection },
    );
    try {
      await events.waitUntilReady();
      const job = await queue.add('double', { n: 21 });
      await expect(job.waitUntilFinished(events, 10_000)).resolves.toEqual({ doubled: 42 });
    } finally {
      await worker.close();
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('stores vectors in Chroma and finds the nearest by cosine similarity', async () => {
    const collection = `roundtrip-${randomUUID().slice(0, 8)}`;
    const model = { model: 'unit-vectors', dimension: 4 };
    const repository = await ChromaImageRepository.open({ url: chromaUrl(), collection, model });
    await repository.upsert([
      { id: 'north', embedding: unitVector(4, 0), metadata: { label: 'N' }, imageKey: 'n' },
      { id: 'east', embedding: unitVector(4, 1), metadata: { label: 'E' }, imageKey: 'e' },
      { id: 'up', embedding: unitVector(4, 2), metadata: { label: 'U' }, imageKey: 'u' },
    ]);

    const query = Float32Array.from([0.9, 0.1, 0, 0]);
    const results = await repository.nearest({ embedding: query, topK: 2 });

    expect(results.map((result) => result.id)).toEqual(['north', 'east']);
    expect(results[0].score).toBeCloseTo(0.9 / Math.hypot(0.9, 0.1), 4);
    expect(results[0].metadata).toEqual({ label: 'N' });
  });

  it('stores an item without metadata, which Chroma would refuse as an empty object', async () => {
    const collection = `bare-${randomUUID().slice(0, 8)}`;
    const model = { model: 'unit-vectors', dimension: 4 };
    const repository = await ChromaImageRepository.open({ url: chromaUrl(), collection, model });

    await repository.upsert([
      { id: 'bare', embedding: unitVector(4, 3), metadata: {}, imageKey: 'b' },
    ]);

    await expect(repository.get(['bare'])).resolves.toEqual([
      { id: 'bare', metadata: {}, imageKey: 'b' },
    ]);
  });

  it('refuses to open a collection with another model than the one it was created with', async () => {
    const collection = `guard-${randomUUID().slice(0, 8)}`;
    await ChromaImageRepository.open({
      url: chromaUrl(),
      collection,
      model: { model: 'a', dimension: 4 },
    });
    await expect(
      ChromaImageRepository.open({
        url: chromaUrl(),
        collection,
        model: { model: 'b', dimension: 8 },
      }),
    ).rejects.toThrow(ModelMismatchError);
  });
});
