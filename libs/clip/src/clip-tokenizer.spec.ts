import { readClipModelConfig } from './clip-model.config';
import { EmptyTextError } from './clip.errors';
import { ClipTokenizer } from './clip-tokenizer';
import { loadReferenceManifest, TINY_CLIP_DIR } from './testing/clip-reference.fixture';

describe(ClipTokenizer.name, () => {
  const manifest = loadReferenceManifest();
  let tokenizer: ClipTokenizer;

  beforeAll(async () => {
    const { contextLength } = await readClipModelConfig(TINY_CLIP_DIR);
    tokenizer = await ClipTokenizer.fromModelDir(TINY_CLIP_DIR, contextLength);
  });

  describe('parity with transformers', () => {
    const texts = manifest.texts.filter((reference) => reference.num_tokens > 2);

    it('covers the reference texts', () => {
      expect(texts.length).toBeGreaterThanOrEqual(20);
    });

    it.each(texts.map((reference) => [JSON.stringify(reference.text).slice(0, 60), reference]))(
      'gives the reference ids and mask for %s',
      (_label, reference) => {
        const encoded = tokenizer.encode(reference.text);
        expect(encoded.inputIds).toEqual(reference.input_ids);
        expect(encoded.attentionMask).toEqual(reference.attention_mask);
        expect(encoded.truncated).toBe(reference.truncated);
      },
    );

    it('refuses exactly the reference texts that hold no token (empty, whitespace)', () => {
      const empty = manifest.texts.filter((reference) => reference.num_tokens === 2);
      expect(empty.map((reference) => reference.text)).toEqual(['', '   ']);
      for (const reference of empty) {
        expect(reference.input_ids).toEqual([49406, ...new Array(76).fill(49407)]);
        expect(reference.attention_mask).toEqual([1, 1, ...new Array(75).fill(0)]);
        expect(() => tokenizer.encode(reference.text)).toThrow(EmptyTextError);
      }
    });
  });

  describe('differences between tokenizers.js and the Rust crate', () => {
    // Expected ids computed by transformers' CLIPTokenizerFast (Rust tokenizers 0.23.3).
    it('lowercases a final capital sigma to σ, not ς', () => {
      expect(tokenizer.encode('ΣΑΣ ΟΔΟΣ').inputIds.slice(0, 16)).toEqual([
        49406, 139, 225, 138, 109, 139, 481, 138, 123, 138, 112, 138, 123, 139, 481, 49407,
      ]);
    });

    it('keeps a byte-order mark inside the word that follows it', () => {
      expect(tokenizer.encode('price\ufeff!').inputIds.slice(0, 7)).toEqual([
        49406, 2827, 171, 119, 123, 256, 49407,
      ]);
      expect(tokenizer.encode('\ufeffred shirt').inputIds.slice(0, 7)).toEqual([
        49406, 171, 119, 379, 736, 2523, 49407,
      ]);
    });
  });

  describe('encode', () => {
    it.each(['', '   ', '\t\n ', '\u3000\u00a0'])('refuses %j with EmptyTextError', (text) => {
      expect(() => tokenizer.encode(text)).toThrow(EmptyTextError);
      expect(() => tokenizer.encode(text)).toThrow('query text is empty');
    });

    it('cuts a long text to the context length, keeping the end token last', () => {
      const encoded = tokenizer.encode('red linen shirt '.repeat(40));
      expect(encoded.inputIds).toHaveLength(77);
      expect(encoded.inputIds[0]).toBe(49406);
      expect(encoded.inputIds[76]).toBe(49407);
      expect(encoded.attentionMask.every((bit) => bit === 1)).toBe(true);
      expect(encoded.truncated).toBe(true);
    });

    it('pads a short text with the pad token and masks the padding', () => {
      const encoded = tokenizer.encode('a photo of a cat');
      expect(encoded.inputIds.slice(7)).toEqual(new Array(70).fill(49407));
      expect(encoded.attentionMask.slice(0, 7)).toEqual(new Array(7).fill(1));
      expect(encoded.attentionMask.slice(7)).toEqual(new Array(70).fill(0));
    });

    it('takes its length from the configuration, not a constant', async () => {
      const short = await ClipTokenizer.fromModelDir(TINY_CLIP_DIR, 8);
      const encoded = short.encode('a photo of a red cat on a mat');
      expect(encoded.inputIds).toHaveLength(8);
      expect(encoded.inputIds[7]).toBe(49407);
    });
  });

  it('rejects a context too short for the start and end tokens', () => {
    expect(() => new ClipTokenizer({}, {}, 2)).toThrow(
      'contextLength must be an integer of at least 3',
    );
  });
});
