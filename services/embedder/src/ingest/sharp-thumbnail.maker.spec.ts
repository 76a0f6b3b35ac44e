import { ImageDecodeError } from '@imgsearch/clip';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { SharpThumbnailMaker } from './sharp-thumbnail.maker';

const repoRoot = resolve(__dirname, '../../../..');
const photo = (name: string) => readFileSync(join(repoRoot, 'samples/photos', name));
const options = { size: 64, quality: 80, maxPixels: 100_000_000 };

describe(SharpThumbnailMaker.name, () => {
  describe('make', () => {
    it('makes a JPEG that fits inside the thumbnail size, keeping the aspect ratio', async () => {
      const thumbnail = await new SharpThumbnailMaker(options).make(photo('chelsea.png'));

      const metadata = await sharp(thumbnail).metadata();
      expect(metadata.format).toBe('jpeg');
      expect(Math.max(metadata.width, metadata.height)).toBe(64);
      expect(metadata.width / metadata.height).toBeCloseTo(451 / 300, 1);
    });

    it('turns the picture upright from its EXIF orientation', async () => {
      const rotated = readFileSync(
        join(repoRoot, 'libs/clip/test/reference/rocket-exif-orientation6.jpg'),
      );
      const stored = await sharp(rotated).metadata();

      const thumbnail = await sharp(
        await new SharpThumbnailMaker(options).make(rotated),
      ).metadata();

      expect(stored.orientation).toBe(6);
      expect(stored.height).toBeGreaterThan(stored.width);
      expect(thumbnail.width).toBeGreaterThan(thumbnail.height);
    });

    it('puts transparency on white', async () => {
      const transparent = await sharp({
        create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
      })
        .png()
        .toBuffer();

      const thumbnail = await new SharpThumbnailMaker(options).make(transparent);

      const { data } = await sharp(thumbnail).raw().toBuffer({ resolveWithObject: true });
      expect(Math.min(...data)).toBeGreaterThan(250);
    });

    it('does not enlarge a small picture', async () => {
      const small = await sharp({
        create: { width: 10, height: 6, channels: 3, background: '#336699' },
      })
        .png()
        .toBuffer();

      const thumbnail = await sharp(await new SharpThumbnailMaker(options).make(small)).metadata();

      expect([thumbnail.width, thumbnail.height]).toEqual([10, 6]);
    });

    it('refuses bytes that are no picture with a decode error', async () => {
      const making = new SharpThumbnailMaker(options).make(Buffer.from('not an image'));

      await expect(making).rejects.toThrow(ImageDecodeError);
      await expect(making).rejects.toThrow('cannot decode image: unsupported image format');
    });
  });
});
