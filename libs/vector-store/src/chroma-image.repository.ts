import {
  ChromaClient,
  ChromaValueError,
  Collection,
  InvalidArgumentError,
  Metadata,
  Where,
} from 'chromadb';
import {
  ImageVector,
  InvalidFilterError,
  ItemMetadata,
  ModelMismatchError,
  ModelSignature,
  NearestQuery,
  ScoredItem,
  StoredItem,
} from './vector-store.types';

export interface ChromaConnection {
  /** Base URL of the Chroma server, e.g. `http://127.0.0.1:8000`. */
  url: string;
  collection: string;
  model: ModelSignature;
}

/**
 * One Chroma collection of image vectors in cosine space. The collection records the model
 * name and dimension when created; opening it with another model is refused.
 */
export class ChromaImageRepository {
  private constructor(
    private readonly client: ChromaClient,
    private readonly collection: Collection,
    readonly model: ModelSignature,
  ) {}

  static async open(connection: ChromaConnection): Promise<ChromaImageRepository> {
    const client = createClient(connection.url);
    const collection = await client.getOrCreateCollection({
      name: connection.collection,
      configuration: { hnsw: { space: 'cosine' } },
      metadata: { model: connection.model.model, dimension: connection.model.dimension },
      embeddingFunction: null,
    });
    const stored = (collection.metadata ?? {}) as Partial<ModelSignature>;
    if (
      stored.model !== connection.model.model ||
      stored.dimension !== connection.model.dimension
    ) {
      throw new ModelMismatchError(connection.collection, stored, connection.model);
    }
    return new ChromaImageRepository(client, collection, connection.model);
  }

  async heartbeat(): Promise<void> {
    await this.client.heartbeat();
  }

  async upsert(vectors: ImageVector[]): Promise<void> {
    if (vectors.length === 0) return;
    for (const vector of vectors) this.assertDimension(vector.embedding);
    await this.collection.upsert({
      ids: vectors.map((vector) => vector.id),
      embeddings: vectors.map((vector) => Array.from(vector.embedding)),
      metadatas: vectors.map((vector) => orNull(vector.metadata)),
      uris: vectors.map((vector) => vector.imageKey),
    });
  }

  async get(ids: string[]): Promise<StoredItem[]> {
    if (ids.length === 0) return [];
    const result = await this.collection.get({ ids, include: ['metadatas', 'uris'] as never });
    return result.ids.map((id, index) =>
      toStoredItem(id, result.metadatas[index], result.uris?.[index]),
    );
  }

  async getEmbedding(id: string): Promise<Float32Array | undefined> {
    const result = await this.collection.get({ ids: [id], include: ['embeddings'] as never });
    const embedding = result.embeddings?.[0];
    return embedding ? Float32Array.from(embedding) : undefined;
  }

  async nearest(query: NearestQuery): Promise<ScoredItem[]> {
    this.assertDimension(query.embedding);
    const excluded = new Set(query.excludeIds ?? []);
    const result = await this.guardFilter(() =>
      this.collection.query({
        queryEmbeddings: [Array.from(query.embedding)],
        nResults: query.topK + excluded.size,
        where: emptyToUndefined(query.where),
        include: ['metadatas', 'uris', 'distances'] as never,
      }),
    );
    const ids = result.ids[0] ?? [];
    return ids
      .map((id, index) => ({
        ...toStoredItem(id, result.metadatas[0]?.[index], result.uris?.[0]?.[index]),
        // Chroma's cosine distance is 1 - cosine similarity.
        score: 1 - (result.distances?.[0]?.[index] ?? 1),
      }))
      .filter((item) => !excluded.has(item.id))
      .slice(0, query.topK);
  }

  async updateMetadata(id: string, metadata: ItemMetadata): Promise<void> {
    await this.collection.update({ ids: [id], metadatas: [orNull(metadata)] });
  }

  async delete(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.collection.delete({ ids });
  }

  async count(): Promise<number> {
    return this.collection.count();
  }

  /** Lists items in a stable order; `offset` is the number of matching items to skip. */
  async list(options: {
    where?: Record<string, unknown>;
    limit: number;
    offset: number;
  }): Promise<StoredItem[]> {
    const result = await this.guardFilter(() =>
      this.collection.get({
        where: emptyToUndefined(options.where),
        limit: options.limit,
        offset: options.offset,
        include: ['metadatas', 'uris'] as never,
      }),
    );
    return result.ids.map((id, index) =>
      toStoredItem(id, result.metadatas[index], result.uris?.[index]),
    );
  }

  private assertDimension(embedding: Float32Array): void {
    if (embedding.length !== this.model.dimension) {
      throw new Error(
        `embedding has ${embedding.length} dimensions; the collection holds ${this.model.dimension}`,
      );
    }
  }

  /** Chroma validates filters server-side; its refusal becomes an InvalidFilterError. */
  private async guardFilter<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof InvalidArgumentError || error instanceof ChromaValueError) {
        throw new InvalidFilterError(`invalid where filter: ${error.message}`);
      }
      throw error;
    }
  }
}

function createClient(url: string): ChromaClient {
  const parsed = new URL(url);
  return new ChromaClient({
    host: parsed.hostname,
    port: Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80)),
    ssl: parsed.protocol === 'https:',
  });
}

function toStoredItem(
  id: string,
  metadata: Metadata | null | undefined,
  uri: string | null | undefined,
): StoredItem {
  return { id, metadata: (metadata ?? {}) as ItemMetadata, imageKey: uri ?? '' };
}

/** Chroma refuses an empty metadata object but accepts null for "no metadata". */
function orNull(metadata: ItemMetadata): ItemMetadata {
  return (Object.keys(metadata).length > 0 ? metadata : null) as ItemMetadata;
}

function emptyToUndefined(where: Record<string, unknown> | undefined): Where | undefined {
  return where && Object.keys(where).length > 0 ? (where as Where) : undefined;
}
