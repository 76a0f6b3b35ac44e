import sharp, { type Sharp } from 'sharp';
import { ImageDecodeError, ImageTooLargeError } from './clip.errors';
import type { Size } from './image-geometry';
import { type RawImage, resizePilBicubic } from './pil-bicubic.resampler';

/** Decides the resized size once the upright size of the picture is known. */
export type TargetSize = (upright: Size) => Size;

/**
 * Decodes any picture sharp reads into upright 8-bit sRGB RGB pixels at the size `target` asks:
 * EXIF orientation applied, transparency flattened on white, grey, palette, CMYK and 16-bit
 * inputs converted. Mirrors what `transformers` gets from PIL (`exif_transpose`, `convert("RGB")`
 * compositing on white, bicubic resize).
 */
export class SharpImageDecoder {
  /** @param maxPixels largest width x height accepted, checked from the header before decoding */
  constructor(private readonly maxPixels: number) {
    if (!Number.isInteger(maxPixels) || maxPixels <= 0) {
      throw new RangeError(`maxPixels must be a positive integer, got ${maxPixels}`);
    }
  }

  async decode(buffer: Buffer, target: TargetSize): Promise<RawImage> {
    try {
      return await this.decodeUnguarded(buffer, target);
    } catch (error) {
      throw this.asDecodeError(error);
    }
  }

  private async decodeUnguarded(buffer: Buffer, target: TargetSize): Promise<RawImage> {
    const upright = await this.uprightSize(buffer);
    const size = target(upright);
    // A sliver (say 100 x 1,000,000) passes the input limit yet resizes to gigabytes.
    if (size.width * size.height > this.maxPixels) throw new ImageTooLargeError(this.maxPixels);
    const enlarging = size.width >= upright.width && size.height >= upright.height;
    const pipeline = this.open(buffer)
      .autoOrient()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb');
    if (enlarging) return resizePilBicubic(await this.toRaw(pipeline), size);
    // Reducing: libvips' Catmull-Rom ('cubic') scaled to the reduction is Pillow's bicubic filter.
    // fastShrinkOnLoad off keeps JPEG shrink-on-load to the gentle factors that stay closest to it.
    return this.toRaw(
      pipeline.resize(size.width, size.height, {
        fit: 'fill',
        kernel: 'cubic',
        fastShrinkOnLoad: false,
      }),
    );
  }

  private async uprightSize(buffer: Buffer): Promise<Size> {
    const metadata = await this.open(buffer).metadata();
    if (metadata.width * metadata.height > this.maxPixels) {
      throw new ImageTooLargeError(this.maxPixels);
    }
    return { width: metadata.autoOrient.width, height: metadata.autoOrient.height };
  }

  private open(buffer: Buffer): Sharp {
    // PIL ignores embedded ICC profiles, and the reference pixels were made with PIL: honouring
    // the profile moved pixels ~3x further from them. CMYK still converts, with sharp's own profile.
    // failOn 'error': a truncated or corrupt file is refused; a mere warning (a dubious iCCP chunk) is not.
    return sharp(buffer, { limitInputPixels: this.maxPixels, ignoreIcc: true, failOn: 'error' });
  }

  private async toRaw(pipeline: Sharp): Promise<RawImage> {
    const { data, info } = await pipeline
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3)
      throw new ImageDecodeError(
        `expected 3 colour channels after conversion, got ${info.channels}`,
      );
    return { data, width: info.width, height: info.height, channels: info.channels };
  }

  private asDecodeError(error: unknown): Error {
    if (error instanceof ImageDecodeError) return error;
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message))
      return new ImageTooLargeError(this.maxPixels, { cause: error });
    return new ImageDecodeError(message.replace(/^Input buffer contains /, '') || 'unknown error', {
      cause: error,
    });
  }
}
