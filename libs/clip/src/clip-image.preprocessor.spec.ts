import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { ClipImagePreprocessor } from './clip-image.preprocessor';
import { parseImagePreprocessing } from './clip-model.config';
import { ImageDecodeError, ImageTooLargeError } from './clip.errors';
import {
  absoluteDifference,
  loadReferenceManifest,
  readReferenceImage,
  readReferencePixels,
  TINY_CLIP_DIR,
} from './testing/clip-reference.fixture';

type Rgb = readonly [number, number, number];

const SIZE = 224;
const PLANE = SIZE * SIZE;
const MEAN = [0.48145466, 0.4578275, 0.40821073];
const STD = [0.26862954, 0.26130258, 0.27577711];
const RED: Rgb = [230, 20, 20];
const BLUE: Rgb = [20, 20, 230];

/** The value CLIP's normalization gives an 8-bit level of a channel. */
const normalized = (level: number, channel: number): number =>
  (level / 255 - MEAN[channel]) / STD[channel];
const at = (pixels: Float32Array, channel: number, y: number, x: number): number =>
  pixels[channel * PLANE + y * SIZE + x];

/** Mean level (0-255) of a channel, back from normalized values. */
function channelLevel(pixels: Float32Array, channel: number): number {
  let sum = 0;
  for (let i = 0; i < PLANE; i++) sum += pixels[channel * PLANE + i];
  return ((sum / PLANE) * STD[channel] + MEAN[channel]) * 255;
}

function solid(width: number, height: number, colour: Rgb) {
  return sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: colour[0], g: colour[1], b: colour[2] },
    },
  });
}

/** Left half one colour, right half another, as raw RGB. */
function halves(width: number, height: number, left: Rgb, right: Rgb) {
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(i % width < width / 2 ? left : right, i * 3);
  return sharp(data, { raw: { width, height, channels: 3 } });
}

/** A PNG whose header claims a size its (tiny) data does not have: a decompression bomb. */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await solid(1, 1, RED).png().toBuffer());
  // The IHDR chunk follows the 8-byte signature: length (4), type (4), width (4), height (4), ...
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

function expectSensiblePixels(pixels: Float32Array): void {
  expect(pixels).toHaveLength(3 * PLANE);
  for (let channel = 0; channel < 3; channel++) {
    const channelPixels = pixels.subarray(channel * PLANE, (channel + 1) * PLANE);
    expect(Math.min(...channelPixels)).toBeGreaterThanOrEqual(normalized(0, channel) - 1e-5);
    expect(Math.max(...channelPixels)).toBeLessThanOrEqual(normalized(255, channel) + 1e-5);
  }
}

describe(ClipImagePreprocessor.name, () => {
  let preprocessor: ClipImagePreprocessor;

  beforeAll(async () => {
    preprocessor = await ClipImagePreprocessor.fromModelDir(TINY_CLIP_DIR);
  });

  describe('parity with transformers (PIL)', () => {
    const images = loadReferenceManifest().images;

    it('covers the reference images', () => {
      expect(images.length).toBeGreaterThanOrEqual(14);
    });

    // Measured: mean <= 0.0066 and max <= 0.526 (retina.jpg: libvips' JPEG shrink-on-load at the
    // hard rim of the fundus); every enlarged picture is bit-exact. See README "Measured parity".
    it.each(images.map((image) => [`${image.file} (${image.covers})`, image]))(
      'reproduces the reference pixels of %s',
      async (_label, image) => {
        const difference = absoluteDifference(
          await preprocessor.preprocess(readReferenceImage(image)),
          readReferencePixels(image),
        );
        expect(difference.mean).toBeLessThan(0.01);
        expect(difference.max).toBeLessThan(0.55);
      },
    );
  });

  describe('preprocess', () => {
    it('turns the picture upright from its EXIF orientation', async () => {
      // Stored 64 x 32, red left and blue right; orientation 6 shows it turned a quarter clockwise:
      // 32 x 64, red on top and blue below.
      const jpeg = await halves(64, 32, RED, BLUE)
        .jpeg({ quality: 100 })
        .withMetadata({ orientation: 6 })
        .toBuffer();
      const pixels = await preprocessor.preprocess(jpeg);
      for (const x of [5, 112, 218]) {
        expect(at(pixels, 0, 10, x)).toBeCloseTo(normalized(RED[0], 0), 0);
        expect(at(pixels, 2, 210, x)).toBeCloseTo(normalized(BLUE[2], 2), 0);
      }
    });

    it('reads a 16-bit PNG as 8-bit RGB', async () => {
      const png = await solid(300, 200, [200, 100, 50]).toColourspace('rgb16').png().toBuffer();
      expect((await sharp(png).metadata()).depth).toBe('ushort');
      const pixels = await preprocessor.preprocess(png);
      expectSensiblePixels(pixels);
      [200, 100, 50].forEach((level, channel) =>
        expect(channelLevel(pixels, channel)).toBeCloseTo(level, 0),
      );
    });

    it('reads a palette PNG', async () => {
      const png = await solid(120, 90, [10, 200, 30]).png({ palette: true, colours: 4 }).toBuffer();
      expect((await sharp(png).metadata()).isPalette).toBe(true);
      const pixels = await preprocessor.preprocess(png);
      expectSensiblePixels(pixels);
      [10, 200, 30].forEach((level, channel) =>
        expect(Math.abs(channelLevel(pixels, channel) - level)).toBeLessThan(2),
      );
    });

    it('converts a CMYK JPEG to RGB', async () => {
      // A colour inside the CMYK gamut, so the round trip can bring it back.
      const jpeg = await solid(300, 300, [180, 120, 80]).toColourspace('cmyk').jpeg().toBuffer();
      expect((await sharp(jpeg).metadata()).space).toBe('cmyk');
      const pixels = await preprocessor.preprocess(jpeg);
      expectSensiblePixels(pixels);
      [180, 120, 80].forEach((level, channel) =>
        expect(Math.abs(channelLevel(pixels, channel) - level)).toBeLessThan(10),
      );
    });

    it('flattens a grey + alpha PNG on white', async () => {
      // Left half opaque dark grey, right half fully transparent.
      const width = 200;
      const grey = Buffer.alloc(width * width * 2);
      for (let i = 0; i < width * width; i++)
        grey.set(i % width < width / 2 ? [60, 255] : [0, 0], i * 2);
      const png = await sharp(grey, { raw: { width, height: width, channels: 2 } })
        .toColourspace('b-w')
        .png()
        .toBuffer();
      expect(await sharp(png).metadata()).toMatchObject({ channels: 2, hasAlpha: true });
      const pixels = await preprocessor.preprocess(png);
      expectSensiblePixels(pixels);
      for (let channel = 0; channel < 3; channel++) {
        expect(at(pixels, channel, 112, 20)).toBeCloseTo(normalized(60, channel), 5);
        expect(at(pixels, channel, 112, 200)).toBeCloseTo(normalized(255, channel), 5);
      }
    });

    it('refuses bytes that are not an image, naming the cause', async () => {
      const text = Buffer.from('id,image\n1,shirt.jpg\n');
      await expect(preprocessor.preprocess(text)).rejects.toThrow(ImageDecodeError);
      await expect(preprocessor.preprocess(text)).rejects.toThrow(
        'cannot decode image: unsupported image format',
      );
    });

    it('refuses a corrupt JPEG and an empty buffer', async () => {
      const photo = readReferenceImage(
        loadReferenceManifest().images.find((image) => image.file === 'rocket.jpg')!,
      );
      const corrupt = Buffer.concat([photo.subarray(0, 2000), Buffer.alloc(4000, 0x5a)]);
      await expect(preprocessor.preprocess(corrupt)).rejects.toThrow(ImageDecodeError);
      await expect(preprocessor.preprocess(Buffer.alloc(0))).rejects.toThrow(ImageDecodeError);
    });

    it('refuses a decompression bomb before decoding it', async () => {
      const bomb = await pngClaiming(20_000, 20_000);
      expect((await sharp(bomb, { limitInputPixels: false }).metadata()).width).toBe(20_000);
      const error = await preprocessor.preprocess(bomb).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ImageTooLargeError);
      expect(error).toBeInstanceOf(ImageDecodeError);
      expect((error as Error).message).toBe(
        'cannot decode image: image is larger than the limit of 100000000 pixels (width x height)',
      );
    });

    it('applies a configured pixel limit', async () => {
      const strict = await ClipImagePreprocessor.fromModelDir(TINY_CLIP_DIR, {
        maxPixels: 1_000_000,
      });
      const png = await solid(1001, 1000, RED).png().toBuffer();
      await expect(strict.preprocess(png)).rejects.toThrow(ImageTooLargeError);
      await expect(
        strict.preprocess(await solid(1000, 1000, RED).png().toBuffer()),
      ).resolves.toHaveLength(3 * PLANE);
    });

    it('refuses a sliver whose resized size would exceed the limit', async () => {
      const strict = await ClipImagePreprocessor.fromModelDir(TINY_CLIP_DIR, {
        maxPixels: 100_000,
      });
      await expect(strict.preprocess(await solid(1, 2000, RED).png().toBuffer())).rejects.toThrow(
        ImageTooLargeError,
      );
    });
  });

  describe('configuration', () => {
    const config = (overrides: object) =>
      parseImagePreprocessing({
        size: { shortest_edge: 40 },
        crop_size: { height: 32, width: 32 },
        rescale_factor: 1 / 255,
        image_mean: MEAN,
        image_std: STD,
        ...overrides,
      });

    it('takes sizes from the config', async () => {
      const small = new ClipImagePreprocessor(config({}));
      expect(small.outputSize).toEqual({ height: 32, width: 32 });
      await expect(
        small.preprocess(await solid(80, 60, RED).png().toBuffer()),
      ).resolves.toHaveLength(3 * 32 * 32);
    });

    it('pads with zeros like transformers when the crop is larger than the picture', async () => {
      const padded = new ClipImagePreprocessor(
        config({ size: { shortest_edge: 20 }, crop_size: { height: 24, width: 24 } }),
      );
      const pixels = await padded.preprocess(await solid(20, 20, RED).png().toBuffer());
      // 20 x 20 inside 24 x 24: two rows and columns of zeros on each side.
      expect(pixels[0]).toBeCloseTo(normalized(0, 0), 5);
      expect(pixels[2 * 24 + 2]).toBeCloseTo(normalized(RED[0], 0), 5);
      expect(pixels[21 * 24 + 21]).toBeCloseTo(normalized(RED[0], 0), 5);
      expect(pixels[22 * 24 + 22]).toBeCloseTo(normalized(0, 0), 5);
    });

    it('skips the steps the config turns off', async () => {
      const raw = new ClipImagePreprocessor(
        parseImagePreprocessing({
          do_resize: false,
          do_center_crop: false,
          do_rescale: false,
          do_normalize: false,
        }),
      );
      expect(raw.outputSize).toBeNull();
      const pixels = await raw.preprocess(await solid(5, 4, [7, 8, 9]).png().toBuffer());
      expect(Array.from(pixels)).toEqual([
        ...new Array(20).fill(7),
        ...new Array(20).fill(8),
        ...new Array(20).fill(9),
      ]);
    });

    it('names the missing setting a turned-on step needs', () => {
      expect(() => parseImagePreprocessing({ crop_size: 224 })).toThrow('"size" is required');
      expect(() => parseImagePreprocessing({ size: 224, crop_size: 224, resample: 2 })).toThrow(
        'only bicubic',
      );
    });
  });
});
