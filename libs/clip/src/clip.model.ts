import { join } from 'node:path';
import { type InferenceSession, Tensor } from 'onnxruntime-node';
import { ClipImagePreprocessor } from './clip-image.preprocessor';
import { type ClipModelConfig, readClipModelConfig } from './clip-model.config';
import { ClipModelError } from './clip.errors';
import { ClipTokenizer } from './clip-tokenizer';
import {
  type ClipLogger,
  type ExecutionProvider,
  OnnxSessionFactory,
} from './onnx-session.factory';
import { l2Normalized } from './vector-math';

/** Options of {@link ClipModel.load}. */
export interface ClipModelOptions {
  /**
   * ONNX Runtime execution providers, in order of preference. Default `['cpu']`. When `'cuda'`
   * cannot be used, the reason is logged as a warning and the model runs on the CPU.
   */
  readonly executionProviders?: readonly ExecutionProvider[];
  /** Threads inside one operator; 0 or unset lets ONNX Runtime pick. */
  readonly intraOpNumThreads?: number;
  /** Threads across independent operators; 0 or unset lets ONNX Runtime pick. */
  readonly interOpNumThreads?: number;
  /** Largest picture accepted, in pixels (width x height). Default 100,000,000. */
  readonly maxImagePixels?: number;
  /** Receives the provider fallback warning and load messages. Default `console`. */
  readonly logger?: ClipLogger;
  /**
   * Towers to load. Default both. An embedder only embeds pictures, and the text tower of
   * ViT-B/32 alone holds about 250 MB.
   */
  readonly towers?: readonly TowerName[];
}

export type TowerName = 'text' | 'vision';

interface Tower {
  readonly session: InferenceSession;
  readonly input: string;
  readonly output: string;
}

/**
 * A CLIP model in the Hugging Face ONNX layout: `config.json`, `preprocessor_config.json`,
 * `tokenizer.json`, `tokenizer_config.json`, `onnx/text_model.onnx`, `onnx/vision_model.onnx`.
 * The towers are loaded by {@link ClipModel.load} (both unless `towers` says otherwise), so a
 * loaded model is ready to serve.
 * Every embedding returned has length {@link dimension} and L2 norm 1.
 */
export class ClipModel {
  private closed = false;

  private constructor(
    private readonly config: ClipModelConfig,
    private readonly tokenizer: ClipTokenizer | undefined,
    private readonly preprocessor: ClipImagePreprocessor,
    private readonly text: TextTower | undefined,
    private readonly vision: Tower | undefined,
    /** Providers the sessions actually run on, after any CUDA fallback. */
    readonly executionProviders: readonly ExecutionProvider[],
  ) {}

  static async load(modelDir: string, options: ClipModelOptions = {}): Promise<ClipModel> {
    const sessions = new OnnxSessionFactory({ ...options, logger: options.logger ?? console });
    const config = await readClipModelConfig(modelDir);
    const preprocessor = new ClipImagePreprocessor(config.image, {
      maxPixels: options.maxImagePixels,
    });
    assertPreprocessorFits(config, preprocessor);
    const towers = new Set<TowerName>(options.towers ?? ['text', 'vision']);
    const tokenizer = towers.has('text')
      ? await ClipTokenizer.fromModelDir(modelDir, config.contextLength)
      : undefined;
    const { text, vision } = await loadTowers(sessions, modelDir, towers);
    return new ClipModel(
      config,
      tokenizer,
      preprocessor,
      text,
      vision,
      sessions.executionProviders,
    );
  }

  /** Folder name of the model; tells apart checkpoints that share an architecture. */
  get name(): string {
    return this.config.name;
  }

  /** Length of every embedding (`projection_dim`). */
  get dimension(): number {
    return this.config.dimension;
  }

  /** Side of the square picture the vision tower takes. */
  get imageSize(): number {
    return this.config.imageSize;
  }

  /** Tokens per text, start and end tokens included. */
  get contextLength(): number {
    return this.config.contextLength;
  }

  /**
   * Embeds texts in one inference call.
   * @throws EmptyTextError when a text is empty or whitespace only
   */
  async embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
    this.assertOpen();
    const tower = this.loaded(this.text, 'text');
    if (texts.length === 0) return [];
    const tokenizer = this.tokenizer!;
    const encoded = texts.map((text) => tokenizer.encode(text));
    const dims = [texts.length, this.contextLength];
    const feeds: Record<string, Tensor> = {
      [tower.input]: new Tensor(
        'int64',
        BigInt64Array.from(
          encoded.flatMap((row) => row.inputIds),
          BigInt,
        ),
        dims,
      ),
    };
    if (tower.feedsAttentionMask) {
      feeds.attention_mask = new Tensor(
        'int64',
        BigInt64Array.from(
          encoded.flatMap((row) => row.attentionMask),
          BigInt,
        ),
        dims,
      );
    }
    return this.run(tower, feeds, texts.length);
  }

  /**
   * Decodes, preprocesses and embeds pictures; the embedding is one inference call.
   * Rejects as a whole when one picture cannot be decoded: callers that must keep the good
   * ones call {@link preprocessImage} per picture and {@link embedPixels} on the survivors.
   * @throws ImageDecodeError, ImageTooLargeError
   */
  async embedImages(images: readonly Buffer[]): Promise<Float32Array[]> {
    return this.embedPixels(await Promise.all(images.map((image) => this.preprocessImage(image))));
  }

  /**
   * The vision tower's input for one picture: float32 `[3, imageSize, imageSize]`.
   * Runs on libuv's thread pool, so it overlaps with inference.
   * @throws ImageDecodeError, ImageTooLargeError
   */
  async preprocessImage(image: Buffer): Promise<Float32Array> {
    return this.preprocessor.preprocess(image);
  }

  /** Embeds preprocessed pictures (from {@link preprocessImage}) in one inference call. */
  async embedPixels(pixels: readonly Float32Array[]): Promise<Float32Array[]> {
    this.assertOpen();
    const tower = this.loaded(this.vision, 'vision');
    if (pixels.length === 0) return [];
    const size = 3 * this.imageSize * this.imageSize;
    const batch = new Float32Array(pixels.length * size);
    pixels.forEach((picture, index) => {
      if (picture.length !== size)
        throw new RangeError(
          `pixels[${index}] has ${picture.length} values; expected 3 x ${this.imageSize} x ${this.imageSize}`,
        );
      batch.set(picture, index * size);
    });
    const dims = [pixels.length, 3, this.imageSize, this.imageSize];
    return this.run(tower, { [tower.input]: new Tensor('float32', batch, dims) }, pixels.length);
  }

  /** Releases the ONNX Runtime sessions; the model cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.text?.session.release(), this.vision?.session.release()]);
  }

  private loaded<T extends Tower>(tower: T | undefined, name: TowerName): T {
    if (!tower)
      throw new ClipModelError(`CLIP model ${this.name} was loaded without its ${name} tower`);
    return tower;
  }

  private async run(
    tower: Tower,
    feeds: Record<string, Tensor>,
    rows: number,
  ): Promise<Float32Array[]> {
    const output = (await tower.session.run(feeds))[tower.output];
    const data = output.data as Float32Array;
    if (output.dims.length !== 2 || output.dims[0] !== rows || output.dims[1] !== this.dimension) {
      throw new ClipModelError(
        `${tower.output} has shape [${output.dims.join(', ')}]; expected [${rows}, ${this.dimension}] (projection_dim)`,
      );
    }
    return Array.from({ length: rows }, (_, row) =>
      l2Normalized(data.subarray(row * this.dimension, (row + 1) * this.dimension)),
    );
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`CLIP model ${this.name} is closed`);
  }
}

interface TextTower extends Tower {
  readonly feedsAttentionMask: boolean;
}

async function loadTowers(
  sessions: OnnxSessionFactory,
  modelDir: string,
  wanted: ReadonlySet<TowerName>,
): Promise<{ text?: TextTower; vision?: Tower }> {
  const loaded: InferenceSession[] = [];
  const load = async (file: string) => {
    const session = await sessions.create(join(modelDir, 'onnx', file));
    loaded.push(session);
    return session;
  };
  try {
    const vision = wanted.has('vision') ? await load('vision_model.onnx') : undefined;
    const text = wanted.has('text') ? await load('text_model.onnx') : undefined;
    return {
      vision: vision && tower(vision, 'pixel_values', 'image_embeds'),
      text: text && {
        ...tower(text, 'input_ids', 'text_embeds'),
        feedsAttentionMask: text.inputNames.includes('attention_mask'),
      },
    };
  } catch (error) {
    // A half-loaded model would hold native memory nobody can release.
    await Promise.all(loaded.map((session) => session.release()));
    throw error;
  }
}

function tower(session: InferenceSession, input: string, output: string): Tower {
  if (!session.inputNames.includes(input) || !session.outputNames.includes(output)) {
    throw new ClipModelError(
      `expected input "${input}" and output "${output}"; the model has inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}]`,
    );
  }
  return { session, input, output };
}

function assertPreprocessorFits(
  config: ClipModelConfig,
  preprocessor: ClipImagePreprocessor,
): void {
  const size = preprocessor.outputSize;
  if (size?.height === config.imageSize && size.width === config.imageSize) return;
  throw new ClipModelError(
    `preprocessor_config.json must produce ${config.imageSize} x ${config.imageSize} pictures (vision_config.image_size); it produces ${size ? `${size.height} x ${size.width}` : 'pictures of varying size'}`,
  );
}
