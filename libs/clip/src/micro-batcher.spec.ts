import { MicroBatcher, type MicroBatcherOptions } from './micro-batcher';

/** A runBatch double that records its batches and doubles each number. */
function recordingRunner() {
  const batches: number[][] = [];
  const runBatch = jest.fn(async (items: number[]) => {
    batches.push(items);
    return items.map((item) => item * 2);
  });
  return { batches, runBatch };
}

/** A runBatch double whose batches finish only when the test says so. */
function manualRunner() {
  const pending: { items: number[]; finish: () => void }[] = [];
  const runBatch = (items: number[]) =>
    new Promise<number[]>((resolve) =>
      pending.push({ items, finish: () => resolve(items.map((item) => item * 2)) }),
    );
  return { pending, runBatch };
}

function batcher(
  options: Partial<MicroBatcherOptions<number, number>> &
    Pick<MicroBatcherOptions<number, number>, 'runBatch'>,
) {
  return new MicroBatcher<number, number>({ maxBatchSize: 4, maxWaitMs: 5, ...options });
}

describe(MicroBatcher.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  describe('submit', () => {
    it('gathers concurrent calls into one batch after maxWaitMs', async () => {
      const { batches, runBatch } = recordingRunner();
      const microBatcher = batcher({ runBatch });
      const results = [1, 2, 3].map((item) => microBatcher.submit(item));
      await jest.advanceTimersByTimeAsync(4);
      expect(runBatch).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      await expect(Promise.all(results)).resolves.toEqual([2, 4, 6]);
      expect(batches).toEqual([[1, 2, 3]]);
    });

    it('starts a full batch at once, without waiting', async () => {
      const { batches, runBatch } = recordingRunner();
      const microBatcher = batcher({ runBatch });
      const results = [1, 2, 3, 4, 5].map((item) => microBatcher.submit(item));
      await expect(Promise.all(results.slice(0, 4))).resolves.toEqual([2, 4, 6, 8]);
      expect(batches).toEqual([[1, 2, 3, 4]]);
      expect(microBatcher.waiting).toBe(1);
      await jest.advanceTimersByTimeAsync(5);
      await expect(results[4]).resolves.toBe(10);
      expect(batches).toEqual([[1, 2, 3, 4], [5]]);
    });

    it('rejects the callers of a failing batch only', async () => {
      const runBatch = jest.fn(async (items: number[]) => {
        if (items.includes(13)) throw new Error('unlucky batch');
        return items;
      });
      const microBatcher = batcher({ runBatch });
      const failing = [12, 13].map((item) => microBatcher.submit(item));
      await jest.advanceTimersByTimeAsync(5);
      const passing = [14, 15].map((item) => microBatcher.submit(item));
      await jest.advanceTimersByTimeAsync(5);
      await expect(failing[0]).rejects.toThrow('unlucky batch');
      await expect(failing[1]).rejects.toThrow('unlucky batch');
      await expect(Promise.all(passing)).resolves.toEqual([14, 15]);
    });

    it('rejects a batch whose runner returns the wrong number of results', async () => {
      const microBatcher = batcher({ runBatch: async () => [1] });
      const results = [1, 2].map((item) => microBatcher.submit(item));
      await jest.advanceTimersByTimeAsync(5);
      await expect(results[0]).rejects.toThrow('runBatch returned 1 results for 2 items');
      await expect(results[1]).rejects.toThrow('runBatch returned 1 results for 2 items');
    });

    it('gathers the items that arrive while a batch runs into the next one', async () => {
      const { pending, runBatch } = manualRunner();
      const microBatcher = batcher({ runBatch, maxBatchSize: 10 });
      const first = microBatcher.submit(1);
      await jest.advanceTimersByTimeAsync(5);
      const later = [2, 3, 4].map((item) => microBatcher.submit(item));
      await jest.advanceTimersByTimeAsync(50);
      expect(pending.map((batch) => batch.items)).toEqual([[1]]);
      pending[0].finish();
      await expect(first).resolves.toBe(2);
      expect(pending.map((batch) => batch.items)).toEqual([[1], [2, 3, 4]]);
      pending[1].finish();
      await expect(Promise.all(later)).resolves.toEqual([4, 6, 8]);
    });

    it('runs batches side by side up to maxConcurrentBatches', async () => {
      const { pending, runBatch } = manualRunner();
      const microBatcher = batcher({ runBatch, maxBatchSize: 2, maxConcurrentBatches: 2 });
      [1, 2, 3, 4, 5].forEach((item) => void microBatcher.submit(item));
      await jest.advanceTimersByTimeAsync(5);
      expect(pending.map((batch) => batch.items)).toEqual([
        [1, 2],
        [3, 4],
      ]);
      pending[0].finish();
      await jest.advanceTimersByTimeAsync(0);
      expect(pending.map((batch) => batch.items)).toEqual([[1, 2], [3, 4], [5]]);
    });
  });

  describe('close', () => {
    it('runs what is waiting at once, waits for it, and refuses new items', async () => {
      const { batches, runBatch } = recordingRunner();
      const microBatcher = batcher({ runBatch });
      const result = microBatcher.submit(21);
      await microBatcher.close();
      await expect(result).resolves.toBe(42);
      expect(batches).toEqual([[21]]);
      await expect(microBatcher.submit(1)).rejects.toThrow('MicroBatcher is closed');
    });
  });

  it('rejects bad options with a message that says what to pass', () => {
    const runBatch = async (items: number[]) => items;
    expect(() => batcher({ runBatch, maxBatchSize: 0 })).toThrow(
      'maxBatchSize must be a positive integer, got 0',
    );
    expect(() => batcher({ runBatch, maxWaitMs: -1 })).toThrow(
      'maxWaitMs must be a finite number of milliseconds >= 0',
    );
    expect(() => batcher({ runBatch, maxConcurrentBatches: 1.5 })).toThrow(
      'maxConcurrentBatches must be a positive integer',
    );
  });
});
