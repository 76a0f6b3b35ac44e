import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { ClipModelError } from './clip.errors';

/** Pixel pipeline settings, read from `preprocessor_config.json`; `null` means the step is off. */
export interface ImagePreprocessing {
  /** Resize target: the short side becomes `shortestEdge`, or the picture becomes exactly `height` x `width`. */
  readonly resize:
    { readonly shortestEdge: number } | { readonly height: number; readonly width: number } | null;
  readonly centerCrop: { readonly height: number; readonly width: number } | null;
  /** Multiplier from 8-bit values to the model's range (1/255 for CLIP). */
  readonly rescaleFactor: number | null;
  /** Per-channel (R, G, B) mean and standard deviation. */
  readonly normalize: { readonly mean: readonly number[]; readonly std: readonly number[] } | null;
}

/** What a model folder says about the model, read once from its JSON files. */
export interface ClipModelConfig {
  /** Folder name: it tells apart models that share an architecture (real and random weights). */
  readonly name: string;
  /** Length of an embedding (`projection_dim`). */
  readonly dimension: number;
  /** Tokens per text, start and end tokens included (`text_config.max_position_embeddings`). */
  readonly contextLength: number;
  /** Side of the square picture the vision tower takes (`vision_config.image_size`). */
  readonly imageSize: number;
  readonly image: ImagePreprocessing;
}

const positiveInt = z.number().int().positive();
const sideLengths = z.object({ height: positiveInt, width: positiveInt });
const rgbTriple = z.array(z.number()).length(3);

const modelSchema = z.object({
  projection_dim: positiveInt,
  text_config: z.object({ max_position_embeddings: positiveInt }),
  vision_config: z.object({ image_size: positiveInt }),
});

// Older processors write `size: 224` and `crop_size: 224`; newer ones write objects.
const preprocessorSchema = z.object({
  do_resize: z.boolean().default(true),
  size: z.union([positiveInt, z.object({ shortest_edge: positiveInt }), sideLengths]).optional(),
  // PIL's code for bicubic; the only filter CLIP checkpoints use and the only one reproduced here.
  resample: z
    .literal(3, {
      errorMap: () => ({ message: 'only bicubic resampling (resample: 3) is supported' }),
    })
    .default(3),
  do_center_crop: z.boolean().default(true),
  crop_size: z.union([positiveInt, sideLengths]).optional(),
  do_rescale: z.boolean().default(true),
  rescale_factor: z.number().positive().optional(),
  do_normalize: z.boolean().default(true),
  image_mean: rgbTriple.optional(),
  image_std: rgbTriple.optional(),
});

type PreprocessorJson = z.infer<typeof preprocessorSchema>;

/** Reads `config.json` and `preprocessor_config.json` of a Hugging Face CLIP folder. */
export async function readClipModelConfig(modelDir: string): Promise<ClipModelConfig> {
  const model = modelSchema.safeParse(await readJsonFile(modelDir, 'config.json'));
  if (!model.success) throw invalidFile(modelDir, 'config.json', model.error);
  return {
    name: basename(resolve(modelDir)),
    dimension: model.data.projection_dim,
    contextLength: model.data.text_config.max_position_embeddings,
    imageSize: model.data.vision_config.image_size,
    image: parseImagePreprocessing(await readJsonFile(modelDir, 'preprocessor_config.json')),
  };
}

/** Validates a parsed `preprocessor_config.json`; every setting a step needs must be present. */
export function parseImagePreprocessing(json: unknown): ImagePreprocessing {
  const parsed = preprocessorSchema.safeParse(json);
  if (!parsed.success) throw invalidFile('', 'preprocessor_config.json', parsed.error);
  const config = parsed.data;
  return {
    resize: config.do_resize ? resizeTarget(config) : null,
    centerCrop: config.do_center_crop ? cropSize(config) : null,
    rescaleFactor: config.do_rescale ? required(config.rescale_factor, 'rescale_factor') : null,
    normalize: config.do_normalize
      ? {
          mean: required(config.image_mean, 'image_mean'),
          std: required(config.image_std, 'image_std'),
        }
      : null,
  };
}

/** Reads and parses one JSON file of a model folder, naming the file in any error. */
export async function readJsonFile(modelDir: string, file: string): Promise<unknown> {
  const path = join(modelDir, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ClipModelError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ClipModelError(`${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function resizeTarget(config: PreprocessorJson): ImagePreprocessing['resize'] {
  const size = required(config.size, 'size');
  if (typeof size === 'number') return { shortestEdge: size };
  return 'shortest_edge' in size ? { shortestEdge: size.shortest_edge } : size;
}

function cropSize(config: PreprocessorJson): ImagePreprocessing['centerCrop'] {
  const size = required(config.crop_size, 'crop_size');
  return typeof size === 'number' ? { height: size, width: size } : size;
}

function required<T>(value: T | undefined, key: string): T {
  if (value === undefined) {
    throw new ClipModelError(
      `preprocessor_config.json: "${key}" is required by the steps it turns on`,
    );
  }
  return value;
}

function invalidFile(modelDir: string, file: string, error: z.ZodError): ClipModelError {
  const problems = error.issues.map(
    (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  return new ClipModelError(
    `${join(modelDir, file)} is not a usable CLIP config: ${problems.join('; ')}`,
  );
}
