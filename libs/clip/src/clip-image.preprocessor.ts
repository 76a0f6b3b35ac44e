import {
  type ImagePreprocessing,
  readJsonFile,
  parseImagePreprocessing,
} from './clip-model.config';
import { centerCropWindow, type CropWindow, resizeTarget, type Size } from './image-geometry';
import type { RawImage } from './pil-bicubic.resampler';
import { SharpImageDecoder } from './sharp-image.decoder';

/** Options of {@link ClipImagePreprocessor}. */
export interface ClipImagePreprocessorOptions {
  /**
   * Largest picture accepted, in pixels (width x height). Read from the file header before any
   * decoding, so a decompression bomb is refused with `ImageTooLargeError` without costing memory.
   * Default 100,000,000 (100 megapixels).
   */
  readonly maxPixels?: number;
}

export const DEFAULT_MAX_PIXELS = 100_000_000;
const RGB_CHANNELS = 3;

/**
 * Turns encoded image bytes into the CLIP vision tower's input, following the model's
 * `preprocessor_config.json`: decode upright, RGB, resize, centre crop, rescale, normalize.
 * Output is channel-first float32 `[3, height, width]`.
 */
export class ClipImagePreprocessor {
  private readonly decoder: SharpImageDecoder;
  /** Normalized value of each 8-bit level, per channel: the pixel loop becomes a lookup. */
  private readonly levels: Float32Array[];

  constructor(
    private readonly config: ImagePreprocessing,
    options: ClipImagePreprocessorOptions = {},
  ) {
    this.decoder = new SharpImageDecoder(options.maxPixels ?? DEFAULT_MAX_PIXELS);
    this.levels = [0, 1, 2].map((channel) => levelTable(config, channel));
  }

  /** Reads `preprocessor_config.json` from a Hugging Face model folder. */
  static async fromModelDir(
    modelDir: string,
    options?: ClipImagePreprocessorOptions,
  ): Promise<ClipImagePreprocessor> {
    const json = await readJsonFile(modelDir, 'preprocessor_config.json');
    return new ClipImagePreprocessor(parseImagePreprocessing(json), options);
  }

  /** The output's height and width when the config fixes them (a crop or an exact resize); else null. */
  get outputSize(): Size | null {
    if (this.config.centerCrop) return this.config.centerCrop;
    const resize = this.config.resize;
    return resize && !('shortestEdge' in resize) ? resize : null;
  }

  /**
   * @throws ImageDecodeError when the bytes are not a picture sharp can read
   * @throws ImageTooLargeError when the picture has more pixels than `maxPixels`
   */
  async preprocess(buffer: Buffer): Promise<Float32Array> {
    const image = await this.decoder.decode(buffer, (upright) =>
      resizeTarget(upright, this.config.resize),
    );
    return this.toChannelsFirst(image, centerCropWindow(image, this.config.centerCrop));
  }

  private toChannelsFirst(image: RawImage, window: CropWindow): Float32Array {
    const plane = window.width * window.height;
    const pixels = new Float32Array(RGB_CHANNELS * plane);
    for (let y = 0; y < window.height; y++) {
      const sourceY = y + window.top;
      for (let x = 0; x < window.width; x++) {
        const sourceX = x + window.left;
        const inside =
          sourceY >= 0 && sourceY < image.height && sourceX >= 0 && sourceX < image.width;
        const offset = (sourceY * image.width + sourceX) * image.channels;
        for (let channel = 0; channel < RGB_CHANNELS; channel++) {
          // Outside the picture is the zero padding of transformers' center_crop.
          const level = inside ? image.data[offset + channel] : 0;
          pixels[channel * plane + y * window.width + x] = this.levels[channel][level];
        }
      }
    }
    return pixels;
  }
}

function levelTable(config: ImagePreprocessing, channel: number): Float32Array {
  return Float32Array.from({ length: 256 }, (_, level) => {
    const value = config.rescaleFactor === null ? level : level * config.rescaleFactor;
    return config.normalize
      ? (value - config.normalize.mean[channel]) / config.normalize.std[channel]
      : value;
  });
}
