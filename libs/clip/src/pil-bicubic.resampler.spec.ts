import { type RawImage, resizePilBicubic } from './pil-bicubic.resampler';

/** A one-channel picture from rows of 8-bit levels. */
const grey = (rows: number[][]): RawImage => ({
  data: Uint8Array.from(rows.flat()),
  width: rows[0].length,
  height: rows.length,
  channels: 1,
});

const rowsOf = (image: RawImage): number[][] =>
  Array.from({ length: image.height }, (_, y) =>
    Array.from(image.data.subarray(y * image.width, (y + 1) * image.width)),
  );

describe(resizePilBicubic.name, () => {
  const small = grey([
    [0, 255, 30, 200],
    [90, 10, 250, 60],
    [255, 0, 128, 64],
  ]);

  // Expected values from Pillow 13: Image.fromarray(levels).resize(size, Image.BICUBIC).
  it('enlarges exactly as Pillow does', () => {
    expect(rowsOf(resizePilBicubic(small, { width: 7, height: 5 }))).toEqual([
      [0, 88, 255, 149, 15, 141, 226],
      [27, 71, 164, 148, 113, 137, 153],
      [96, 57, 6, 137, 249, 127, 45],
      [204, 131, 0, 81, 181, 101, 47],
      [255, 182, 8, 46, 120, 85, 60],
    ]);
  });

  it('resizes one axis only when the other keeps its size', () => {
    expect(rowsOf(resizePilBicubic(small, { width: 4, height: 6 }))).toEqual([
      [0, 255, 11, 212],
      [13, 209, 74, 173],
      [59, 65, 210, 91],
      [133, 0, 238, 51],
      [226, 0, 156, 60],
      [255, 0, 117, 64],
    ]);
  });

  it('reduces exactly as Pillow does, widening the kernel with the scale', () => {
    const pattern = grey(
      Array.from({ length: 30 }, (_, y) =>
        Array.from({ length: 40 }, (_, x) => ((y * 40 + x) * 37) % 256),
      ),
    );
    expect(rowsOf(resizePilBicubic(pattern, { width: 9, height: 7 }))).toEqual([
      [128, 131, 118, 123, 125, 125, 130, 130, 131],
      [131, 134, 132, 121, 127, 122, 124, 126, 130],
      [126, 128, 131, 132, 135, 132, 121, 121, 123],
      [122, 123, 125, 127, 129, 131, 132, 130, 134],
      [132, 122, 126, 122, 124, 126, 128, 130, 132],
      [132, 132, 134, 134, 122, 120, 123, 124, 126],
      [121, 130, 129, 131, 136, 127, 136, 124, 117],
    ]);
  });

  it('keeps a uniform picture uniform up to its edges, channel by channel', () => {
    const rgb: RawImage = {
      data: new Uint8Array(5 * 3 * 3).fill(255).map((_, i) => [255, 128, 0][i % 3]),
      width: 5,
      height: 3,
      channels: 3,
    };
    const enlarged = resizePilBicubic(rgb, { width: 12, height: 8 });
    expect(enlarged).toMatchObject({ width: 12, height: 8, channels: 3 });
    expect(Array.from(enlarged.data).every((level, i) => level === [255, 128, 0][i % 3])).toBe(
      true,
    );
  });

  it('returns the picture itself when the size does not change', () => {
    expect(resizePilBicubic(small, { width: 4, height: 3 })).toBe(small);
  });
});
