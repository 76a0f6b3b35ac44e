import { ImageDecodeError } from '@imgsearch/clip';
import sharp from 'sharp';
import type { ThumbnailMaker } from './ingest.ports';

/** Options of {@link SharpThumbnailMaker}. */
export interface SharpThumbnailOptions {
  /** Longest edge of a thumbnail in pixels (`THUMBNAIL_SIZE`, default 256); smaller pictures keep their size. */
  readonly size: number;
  /** JPEG quality, 1-100 (`THUMBNAIL_QUALITY`, default 80). */
  readonly quality: number;
  /** Largest picture accepted, width x height (`IMAGE_MAX_PIXELS`); the same limit as the encoder's. */
  readonly maxPixels: number;
}

/** Small upright JPEGs for result lists: EXIF orientation applied, transparency on white. */
export class SharpThumbnailMaker implements ThumbnailMaker {
  constructor(private readonly options: SharpThumbnailOptions) {
    for (const name of ['size', 'quality', 'maxPixels'] as const) {
      const value = options[name];
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(
          `SharpThumbnailMaker option ${name} must be a positive integer, got ${value}`,
        );
      }
    }
  }

  async make(image: Buffer): Promise<Buffer> {
    const { size, quality, maxPixels } = this.options;
    try {
      return await sharp(image, { limitInputPixels: maxPixels, failOn: 'error' })
        .rotate()
        .resize(size, size, { fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality, mozjpeg: false })
        .toBuffer();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // sharp's wording; the encoder words the same problems the same way.
      throw new ImageDecodeError(message.replace(/^Input buffer contains /, ''), { cause: error });
    }
  }
}
