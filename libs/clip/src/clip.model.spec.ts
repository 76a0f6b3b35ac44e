import { ClipModel } from './clip.model';
import { EmptyTextError, ImageDecodeError } from './clip.errors';
import type { ClipLogger } from './onnx-session.factory';
import {
  cosine,
  loadReferenceManifest,
  norm,
  readReferenceImage,
  readReferencePixels,
  TINY_CLIP_DIR,
} from './testing/clip-reference.fixture';

/** A logger double that keeps what it is told. */
function recordingLogger(): ClipLogger & { warnings: string[]; logs: string[] } {
  const warnings: string[] = [];
  const logs: string[] = [];
  return {
    warnings,
    logs,
    warn: (message) => warnings.push(message),
    log: (message) => logs.push(message),
  };
}

describe(ClipModel.name, () => {
  const manifest = loadReferenceManifest();
  let model: ClipModel;

  beforeAll(async () => {
    model = await ClipModel.load(TINY_CLIP_DIR, {
      logger: recordingLogger(),
      intraOpNumThreads: 2,
    });
  });

  afterAll(() => model.close());

  describe('load', () => {
    it('reads what it knows about the model from its files', () => {
      expect(model.name).toBe('tiny-random-clip');
      expect(model.dimension).toBe(32);
      expect(model.imageSize).toBe(224);
      expect(model.contextLength).toBe(77);
      expect(model.executionProviders).toEqual(['cpu']);
    });

    it('falls back to the CPU when CUDA cannot be used, saying why', async () => {
      // No GPU or CUDA provider library here; on a CUDA machine this model simply runs on CUDA.
      const logger = recordingLogger();
      const fallback = await ClipModel.load(TINY_CLIP_DIR, {
        executionProviders: ['cuda', 'cpu'],
        logger,
      });
      try {
        const [embedding] = await fallback.embedTexts(['a photo of a cat']);
        expect(norm(embedding)).toBeCloseTo(1, 5);
        if (fallback.executionProviders.includes('cuda')) return;
        expect(fallback.executionProviders).toEqual(['cpu']);
        expect(logger.warnings).toHaveLength(1);
        expect(logger.warnings[0]).toMatch(
          /^CUDA is unavailable for vision_model\.onnx, using the CPU instead: .+/,
        );
      } finally {
        await fallback.close();
      }
    });

    it('loads only the vision tower when asked, and then refuses texts', async () => {
      const visionOnly = await ClipModel.load(TINY_CLIP_DIR, {
        towers: ['vision'],
        logger: recordingLogger(),
      });
      try {
        const photo = readReferenceImage(manifest.images[0]);
        const [picture] = await visionOnly.embedImages([photo]);
        const [reference] = await model.embedImages([photo]);
        expect(Array.from(picture)).toEqual(Array.from(reference));
        await expect(visionOnly.embedTexts(['a cat'])).rejects.toThrow(
          'CLIP model tiny-random-clip was loaded without its text tower',
        );
      } finally {
        await visionOnly.close();
      }
    });

    it('names the missing file of an incomplete model folder', async () => {
      await expect(ClipModel.load(__dirname, { logger: recordingLogger() })).rejects.toThrow(
        /cannot read .*config\.json/,
      );
    });

    it('refuses an execution provider it does not know', async () => {
      await expect(
        ClipModel.load(TINY_CLIP_DIR, { executionProviders: ['tpu' as 'cpu'] }),
      ).rejects.toThrow('executionProviders must list one or more of cpu, cuda; got [tpu]');
    });
  });

  describe('parity with transformers', () => {
    const texts = manifest.texts.filter((reference) => reference.num_tokens > 2);

    it('embeds every reference text within cosine 0.9999 of the reference', async () => {
      const embeddings = await model.embedTexts(texts.map((reference) => reference.text));
      const cosines = texts.map((reference, index) =>
        cosine(embeddings[index], reference.text_embeds),
      );
      expect(Math.min(...cosines)).toBeGreaterThanOrEqual(0.9999);
    });

    it.each(manifest.images.map((image) => [image.file, image]))(
      'embeds %s within cosine 0.995 of the reference',
      async (_file, image) => {
        const [embedding] = await model.embedImages([readReferenceImage(image)]);
        expect(cosine(embedding, image.image_embeds)).toBeGreaterThanOrEqual(0.995);
      },
    );

    it('embeds the reference pixels themselves to the reference embeddings', async () => {
      const embeddings = await model.embedPixels(manifest.images.map(readReferencePixels));
      manifest.images.forEach((image, index) =>
        expect(cosine(embeddings[index], image.image_embeds)).toBeGreaterThanOrEqual(0.99999),
      );
    });
  });

  describe('embedTexts', () => {
    it('returns one unit-length row of the model dimension per text', async () => {
      const embeddings = await model.embedTexts([
        'red linen shirt',
        'blue denim',
        'grey wool',
        'a cat',
      ]);
      expect(embeddings).toHaveLength(4);
      for (const embedding of embeddings) {
        expect(embedding).toHaveLength(32);
        expect(norm(embedding)).toBeCloseTo(1, 5);
      }
    });

    it('gives a text the same embedding alone and in a batch', async () => {
      const [alone] = await model.embedTexts(['blue denim']);
      const batch = await model.embedTexts(['red linen shirt', 'blue denim']);
      expect(cosine(alone, batch[1])).toBeGreaterThan(0.99999);
    });

    it('refuses an empty text', async () => {
      await expect(model.embedTexts(['shirt', '  '])).rejects.toThrow(EmptyTextError);
    });

    it('returns nothing for nothing', async () => {
      await expect(model.embedTexts([])).resolves.toEqual([]);
    });
  });

  describe('embedImages', () => {
    const photos = manifest.images.slice(0, 3).map(readReferenceImage);

    it('returns one unit-length row per picture, the same alone and in a batch', async () => {
      const batch = await model.embedImages(photos);
      expect(batch).toHaveLength(3);
      for (const embedding of batch) expect(norm(embedding)).toBeCloseTo(1, 5);
      const [alone] = await model.embedImages([photos[2]]);
      expect(cosine(alone, batch[2])).toBeGreaterThan(0.99999);
    });

    it('splits into preprocessImage and embedPixels with the same result', async () => {
      const pixels = await Promise.all(photos.map((photo) => model.preprocessImage(photo)));
      const split = await model.embedPixels(pixels);
      const whole = await model.embedImages(photos);
      split.forEach((embedding, index) =>
        expect(Array.from(embedding)).toEqual(Array.from(whole[index])),
      );
    });

    it('rejects a batch holding bytes that are not a picture', async () => {
      await expect(model.embedImages([photos[0], Buffer.from('not a picture')])).rejects.toThrow(
        ImageDecodeError,
      );
    });

    it('refuses pixels of the wrong size', async () => {
      await expect(model.embedPixels([new Float32Array(10)])).rejects.toThrow(
        'pixels[0] has 10 values; expected 3 x 224 x 224',
      );
    });
  });

  describe('close', () => {
    it('releases the sessions; the model refuses work afterwards', async () => {
      const closing = await ClipModel.load(TINY_CLIP_DIR, { logger: recordingLogger() });
      await closing.close();
      await expect(closing.embedTexts(['shirt'])).rejects.toThrow(
        'CLIP model tiny-random-clip is closed',
      );
      await expect(closing.close()).resolves.toBeUndefined();
    });
  });
});
