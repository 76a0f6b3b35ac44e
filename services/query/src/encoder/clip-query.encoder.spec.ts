import { ClipModel, EmptyTextError } from '@imgsearch/clip';
import { ClipQueryEncoder } from './clip-query.encoder';

/** A model whose tokenizer finds nothing in "\u0007" and that records each encoder run. */
function aModel() {
  const runs: string[][] = [];
  const model = {
    runs,
    name: 'double',
    embedTexts: async (texts: string[]) => {
      runs.push(texts);
      if (texts.includes('\u0007')) throw new EmptyTextError();
      return texts.map((text) => Float32Array.of(text.length));
    },
    close: async () => undefined,
  };
  return model;
}

function anEncoder(model: ReturnType<typeof aModel>) {
  return new ClipQueryEncoder(model as unknown as ClipModel, {
    QUERY_BATCH_SIZE: 8,
    QUERY_BATCH_WAIT_MS: 5,
  });
}

describe(ClipQueryEncoder.name, () => {
  describe('embedText', () => {
    it('encodes concurrent queries in one encoder run', async () => {
      const model = aModel();
      const encoder = anEncoder(model);
      const vectors = await Promise.all(['a', 'bb', 'ccc'].map((text) => encoder.embedText(text)));
      expect(vectors.map((vector) => vector[0])).toEqual([1, 2, 3]);
      expect(model.runs).toEqual([['a', 'bb', 'ccc']]);
      await encoder.onApplicationShutdown();
    });

    it('fails only the query the tokenizer finds empty, not the others in its run', async () => {
      const encoder = anEncoder(aModel());
      const outcomes = await Promise.allSettled(
        ['a', '\u0007', 'ccc'].map((text) => encoder.embedText(text)),
      );
      expect(outcomes.map((outcome) => outcome.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(EmptyTextError);
      await encoder.onApplicationShutdown();
    });

    it('refuses whitespace without running the model', async () => {
      const model = aModel();
      const encoder = anEncoder(model);
      await expect(encoder.embedText(' \n ')).rejects.toThrow(EmptyTextError);
      expect(model.runs).toEqual([]);
      await encoder.onApplicationShutdown();
    });
  });

  describe('assertReady', () => {
    it('rejects once the model is released at shutdown', async () => {
      const encoder = anEncoder(aModel());
      await expect(encoder.assertReady()).resolves.toBeUndefined();
      await encoder.onApplicationShutdown();
      await expect(encoder.assertReady()).rejects.toThrow('model double is closed');
    });
  });
});
