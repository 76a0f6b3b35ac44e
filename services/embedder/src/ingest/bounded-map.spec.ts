import { mapBounded, slices } from './bounded-map';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe(mapBounded.name, () => {
  it('keeps the order of the items', async () => {
    const result = await mapBounded([30, 10, 20], 3, async (ms) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return ms;
    });

    expect(result).toEqual([30, 10, 20]);
  });

  it('never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;

    await mapBounded(
      Array.from({ length: 10 }, (_, i) => i),
      3,
      async () => {
        most = Math.max(most, ++running);
        await tick();
        running -= 1;
      },
    );

    expect(most).toBe(3);
  });

  it('rejects with the first failure and starts nothing after it', async () => {
    const started: number[] = [];

    const mapping = mapBounded([1, 2, 3, 4, 5], 1, async (item) => {
      started.push(item);
      if (item === 2) throw new Error('disk failed');
    });

    await expect(mapping).rejects.toThrow('disk failed');
    expect(started).toEqual([1, 2]);
  });
});

describe(slices.name, () => {
  it('cuts items into slices of at most the given size', () => {
    expect(slices([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(slices([], 2)).toEqual([]);
  });
});
