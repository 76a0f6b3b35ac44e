// Test-only helpers over the references computed by Python `transformers`
// (libs/clip/test/reference, written by tools/tiny-clip/make_clip.py). Not exported by index.ts.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../../..');
export const TINY_CLIP_DIR = join(REPO_ROOT, 'models/tiny-random-clip');
export const REFERENCE_DIR = join(REPO_ROOT, 'libs/clip/test/reference');

export interface ReferenceText {
  readonly text: string;
  readonly input_ids: number[];
  readonly attention_mask: number[];
  readonly num_tokens: number;
  readonly truncated: boolean;
  /** Raw projection output (not normalized). */
  readonly text_embeds: number[];
}

export interface ReferenceImage {
  readonly file: string;
  /** Relative to the repository root. */
  readonly path: string;
  readonly covers: string;
  readonly pixels_file: string;
  readonly pixels_shape: [number, number, number];
  /** Raw projection output (not normalized). */
  readonly image_embeds: number[];
}

export interface ReferenceManifest {
  readonly texts: ReferenceText[];
  readonly images: ReferenceImage[];
}

export function loadReferenceManifest(): ReferenceManifest {
  return JSON.parse(
    readFileSync(join(REFERENCE_DIR, 'manifest.json'), 'utf8'),
  ) as ReferenceManifest;
}

export function readReferenceImage(image: ReferenceImage): Buffer {
  return readFileSync(join(REPO_ROOT, image.path));
}

/** The reference pixel values: little-endian float32, [3, H, W]. */
export function readReferencePixels(image: ReferenceImage): Float32Array {
  const bytes = readFileSync(join(REFERENCE_DIR, image.pixels_file));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pixels = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < pixels.length; i++) pixels[i] = view.getFloat32(i * 4, true);
  return pixels;
}

/** Cosine similarity; neither vector needs to be normalized. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    normA += a[i] * a[i];
    normB += b[i] * b[i];
  }
  return dot / Math.sqrt(normA * normB);
}

export function norm(vector: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i] * vector[i];
  return Math.sqrt(sum);
}

export function absoluteDifference(
  ours: Float32Array,
  reference: Float32Array,
): { mean: number; max: number } {
  if (ours.length !== reference.length)
    throw new Error(`length ${ours.length} != ${reference.length}`);
  let sum = 0;
  let max = 0;
  for (let i = 0; i < ours.length; i++) {
    const difference = Math.abs(ours[i] - reference[i]);
    sum += difference;
    max = Math.max(max, difference);
  }
  return { mean: sum / ours.length, max };
}
