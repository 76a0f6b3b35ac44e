/** Deterministic catalogue-like texts, so runs compare and no tokenizer cache flatters them. */

const COLOURS = [
  'grey',
  'navy',
  'red',
  'olive',
  'cream',
  'black',
  'rust',
  'teal',
  'ivory',
  'mustard',
];
const MATERIALS = [
  'wool',
  'linen',
  'cotton',
  'silk',
  'denim',
  'tweed',
  'velvet',
  'jersey',
  'cashmere',
];
const WEAVES = [
  'herringbone',
  'twill',
  'plain weave',
  'houndstooth',
  'ribbed',
  'jacquard',
  'satin',
];
const THINGS = ['shirt', 'jacket', 'scarf', 'fabric swatch', 'sofa', 'curtain', 'coat', 'blanket'];
const EXTRAS = [
  'opaque',
  'lightweight',
  'brushed finish',
  '180 gsm',
  'stretch',
  'for autumn',
  'with a subtle check',
  'washed',
  'Fall24 collection',
  'crêpe de chine, naïve print',
];

/** mulberry32: a tiny seeded PRNG. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

/** A search query of 3-6 words, numbered so that every text differs. */
export function queries(count: number, seed = 1): string[] {
  const next = random(seed);
  return Array.from(
    { length: count },
    (_, index) =>
      `${pick(next, COLOURS)} ${pick(next, WEAVES)} ${pick(next, MATERIALS)} ${pick(next, THINGS)}` +
      (next() < 0.5 ? `, ${pick(next, EXTRAS)}` : '') +
      ` ${index}`,
  );
}

/** A product description of about 25-60 words (some exceed CLIP's 77 tokens). */
export function descriptions(count: number, seed = 2): string[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, index) => {
    const sentences = 2 + Math.floor(next() * 5);
    const parts = Array.from(
      { length: sentences },
      () =>
        `A ${pick(next, EXTRAS)} ${pick(next, COLOURS)} ${pick(next, MATERIALS)} ${pick(next, THINGS)} ` +
        `in ${pick(next, WEAVES)}, ${pick(next, EXTRAS)}.`,
    );
    return `Item ${index}: ${parts.join(' ')}`;
  });
}
