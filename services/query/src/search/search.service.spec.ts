import type { ChromaImageRepository, NearestQuery, ScoredItem } from '@imgsearch/vector-store';
import type { ClipQueryEncoder } from '../encoder/clip-query.encoder';
import { ItemNotFoundError } from '../items/item-not-found.error';
import { SearchService } from './search.service';

const scored = (id: string, score: number): ScoredItem => ({
  id,
  score,
  metadata: { id },
  imageKey: '',
});

/** A store that answers `nearest` with fixed items and records what it was asked. */
function aVectorStore(stored: Record<string, Float32Array>, neighbours: ScoredItem[]) {
  const queries: NearestQuery[] = [];
  const store = {
    queries,
    getEmbedding: async (id: string) => stored[id],
    nearest: async (query: NearestQuery) => {
      queries.push(query);
      return neighbours;
    },
  };
  return store;
}

function anEncoder() {
  const calls: string[] = [];
  const encoder = {
    calls,
    embedText: async (text: string) => {
      calls.push(text);
      return Float32Array.of(1, 0);
    },
    embedImage: async () => {
      calls.push('image');
      return Float32Array.of(0, 1);
    },
  };
  return encoder;
}

function aSearchService(store: ReturnType<typeof aVectorStore>, encoder = anEncoder()) {
  return new SearchService(
    encoder as unknown as ClipQueryEncoder,
    store as unknown as ChromaImageRepository,
    { SEARCH_MAX_TOP_K: 50 },
  );
}

describe(SearchService.name, () => {
  describe('similar', () => {
    it('queries with the stored vector and never embeds anything', async () => {
      const stored = Float32Array.of(0.6, 0.8);
      const store = aVectorStore({ shirt: stored }, [scored('scarf', 0.9)]);
      const encoder = anEncoder();
      await aSearchService(store, encoder).similar('shirt', { topK: 5 });
      expect(store.queries).toEqual([
        { embedding: stored, topK: 5, where: undefined, excludeIds: ['shirt'] },
      ]);
      expect(encoder.calls).toEqual([]);
    });

    it('leaves the item itself out even when the store returns it', async () => {
      const store = aVectorStore({ shirt: Float32Array.of(1, 0) }, [
        scored('shirt', 1),
        scored('scarf', 0.9),
        scored('sock', 0.4),
      ]);
      const { results } = await aSearchService(store).similar('shirt', { topK: 2 });
      expect(results.map((result) => result.id)).toEqual(['scarf', 'sock']);
    });

    it('rejects an unknown id with "item <id> not found"', async () => {
      const store = aVectorStore({}, []);
      const search = aSearchService(store).similar('ghost', {});
      await expect(search).rejects.toThrow(ItemNotFoundError);
      await expect(search).rejects.toThrow('item ghost not found');
    });
  });

  describe('byText', () => {
    it('returns results highest score first, within [-1, 1], without those below minScore', async () => {
      const store = aVectorStore({}, [scored('b', 0.5), scored('a', 1.0000002), scored('c', 0.1)]);
      const { results } = await aSearchService(store).byText({ query: 'red', minScore: 0.2 });
      expect(results).toEqual([
        { id: 'a', score: 1, metadata: { id: 'a' } },
        { id: 'b', score: 0.5, metadata: { id: 'b' } },
      ]);
    });

    it('asks for 10 results by default', async () => {
      const store = aVectorStore({}, []);
      await aSearchService(store).byText({ query: 'red' });
      expect(store.queries[0].topK).toBe(10);
    });

    it('refuses topK above SEARCH_MAX_TOP_K before encoding', async () => {
      const encoder = anEncoder();
      const search = aSearchService(aVectorStore({}, []), encoder).byText({
        query: 'red',
        topK: 51,
      });
      await expect(search).rejects.toThrow('topK must not be greater than 50');
      expect(encoder.calls).toEqual([]);
    });
  });

  describe('byImage', () => {
    it('refuses a request without a file', async () => {
      const search = aSearchService(aVectorStore({}, [])).byImage(undefined, {});
      await expect(search).rejects.toThrow('image file is required');
    });
  });
});
