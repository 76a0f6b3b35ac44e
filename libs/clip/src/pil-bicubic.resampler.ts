import type { Size } from './image-geometry';

/** Interleaved 8-bit pixels (RGB or any channel count), row after row. */
export interface RawImage extends Size {
  readonly data: Uint8Array;
  readonly channels: number;
}

// Pillow's fixed-point precision for 8-bit resampling (Resample.c: 32 - 8 - 2 bits).
const PRECISION_BITS = 22;
const ONE = 2 ** PRECISION_BITS;
const HALF = 2 ** (PRECISION_BITS - 1);
const BICUBIC_SUPPORT = 2;

/**
 * Pillow's `Image.resize(size, BICUBIC)` on 8-bit pixels, reproduced to the bit: the same
 * Catmull-Rom kernel (a = -0.5), pixel-centre sampling, edge taps renormalized, 22-bit
 * fixed-point weights, horizontal pass first with 8-bit rounding between the passes.
 *
 * Used for enlargement, where libvips (sharp) samples half a source pixel off Pillow's grid and
 * text-like pictures drift several levels from the reference. Enlarged inputs are small
 * (their short side is under the target), so doing it in JavaScript costs a few milliseconds.
 */
export function resizePilBicubic(image: RawImage, target: Size): RawImage {
  const horizontal = image.width === target.width ? image : resampleRows(image, target.width);
  return horizontal.height === target.height
    ? horizontal
    : resampleColumns(horizontal, target.height);
}

/** Fixed-point weights of every output position along one axis, `size` taps apart. */
interface AxisCoefficients {
  readonly first: Int32Array;
  readonly count: Int32Array;
  readonly weights: Int32Array;
  readonly size: number;
}

function resampleRows(image: RawImage, outWidth: number): RawImage {
  const { first, count, weights, size } = computeCoefficients(image.width, outWidth);
  const channels = image.channels;
  const data = new Uint8Array(outWidth * image.height * channels);
  for (let y = 0; y < image.height; y++) {
    const row = y * image.width * channels;
    for (let x = 0; x < outWidth; x++) {
      const origin = row + first[x] * channels;
      const out = (y * outWidth + x) * channels;
      for (let channel = 0; channel < channels; channel++) {
        let sum = HALF;
        for (let tap = 0; tap < count[x]; tap++)
          sum += image.data[origin + tap * channels + channel] * weights[x * size + tap];
        data[out + channel] = clip8(sum);
      }
    }
  }
  return { data, width: outWidth, height: image.height, channels };
}

function resampleColumns(image: RawImage, outHeight: number): RawImage {
  const { first, count, weights, size } = computeCoefficients(image.height, outHeight);
  const stride = image.width * image.channels;
  const data = new Uint8Array(outHeight * stride);
  for (let y = 0; y < outHeight; y++) {
    const origin = first[y] * stride;
    for (let column = 0; column < stride; column++) {
      let sum = HALF;
      for (let tap = 0; tap < count[y]; tap++)
        sum += image.data[origin + tap * stride + column] * weights[y * size + tap];
      data[y * stride + column] = clip8(sum);
    }
  }
  return { data, width: image.width, height: outHeight, channels: image.channels };
}

function clip8(sum: number): number {
  const value = Math.floor(sum / ONE);
  return value < 0 ? 0 : value > 255 ? 255 : value;
}

function computeCoefficients(inSize: number, outSize: number): AxisCoefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = BICUBIC_SUPPORT * filterScale;
  // Multiplying by the reciprocal, as Pillow does, keeps the rounding of every weight identical.
  const inverseFilterScale = 1 / filterScale;
  const size = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * size);
  for (let out = 0; out < outSize; out++) {
    const center = (out + 0.5) * scale;
    // Pillow truncates toward zero with (int); clamping makes both bounds non-negative.
    const min = Math.max(Math.trunc(center - support + 0.5), 0);
    const max = Math.min(Math.trunc(center + support + 0.5), inSize);
    const raw = Array.from({ length: max - min }, (_, tap) =>
      bicubic((tap + min - center + 0.5) * inverseFilterScale),
    );
    const total = raw.reduce((sum, weight) => sum + weight, 0);
    first[out] = min;
    count[out] = max - min;
    raw.forEach(
      (weight, tap) =>
        (weights[out * size + tap] = toFixedPoint(total === 0 ? weight : weight / total)),
    );
  }
  return { first, count, weights, size };
}

// Pillow's BICUBIC filter: Keys' cubic convolution with a = -0.5 (Catmull-Rom).
function bicubic(distance: number): number {
  const a = -0.5;
  const x = Math.abs(distance);
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

function toFixedPoint(weight: number): number {
  return Math.trunc(weight < 0 ? -0.5 + weight * ONE : 0.5 + weight * ONE);
}
