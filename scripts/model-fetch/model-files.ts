import { posix } from 'node:path';

/** Which export of the towers to fetch. Xenova repos publish each tower in several precisions. */
export const VARIANTS = ['fp32', 'fp16', 'quantized'] as const;
export type Variant = (typeof VARIANTS)[number];

export interface ModelFile {
  /** Path inside the hub repository. */
  remote: string;
  /** Path inside the local model folder. */
  local: string;
  /** A missing optional file is skipped with a note; a missing required one fails the fetch. */
  required: boolean;
}

// The loaders (DESIGN.md, "Model") read config.json, preprocessor_config.json and tokenizer.json;
// the other two only refine the tokenizer and some exports lack them.
const METADATA_FILES: ReadonlyArray<[string, boolean]> = [
  ['config.json', true],
  ['preprocessor_config.json', true],
  ['tokenizer.json', true],
  ['tokenizer_config.json', false],
  ['special_tokens_map.json', false],
];

const TOWERS = ['text_model', 'vision_model'] as const;
const TOWER_SUFFIX: Record<Variant, string> = { fp32: '', fp16: '_fp16', quantized: '_quantized' };

/** `models/<last part of the id>`: `Xenova/clip-vit-base-patch32` -> `models/clip-vit-base-patch32`. */
export function defaultModelDir(model: string): string {
  return posix.join('models', model.split('/').pop() ?? model);
}

export function isVariant(value: string): value is Variant {
  return (VARIANTS as readonly string[]).includes(value);
}

/**
 * The files of one model and where each lands. Towers are always saved under their fp32 names so
 * loaders never need to know which variant was fetched (fetch-info.json records it).
 */
export function modelFiles(variant: Variant): ModelFile[] {
  const metadata = METADATA_FILES.map(([name, required]) => ({
    remote: name,
    local: name,
    required,
  }));
  const towers = TOWERS.map((tower) => ({
    remote: `onnx/${tower}${TOWER_SUFFIX[variant]}.onnx`,
    local: `onnx/${tower}.onnx`,
    required: true,
  }));
  return [...metadata, ...towers];
}
