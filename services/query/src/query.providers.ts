import { FactoryProvider, Logger } from '@nestjs/common';
import { ClipModel } from '@imgsearch/clip';
import { ChromaImageRepository } from '@imgsearch/vector-store';
import { QUERY_CONFIG, QueryConfig } from './query.config';

/** Both CLIP towers, loaded before the service listens; ClipQueryEncoder releases them. */
export const clipModelProvider: FactoryProvider<Promise<ClipModel>> = {
  provide: ClipModel,
  inject: [QUERY_CONFIG],
  useFactory: (config: QueryConfig) =>
    ClipModel.load(config.CLIP_MODEL_DIR, {
      executionProviders: config.CLIP_EXECUTION_PROVIDERS,
      intraOpNumThreads: config.CLIP_INTRA_OP_THREADS,
      interOpNumThreads: config.CLIP_INTER_OP_THREADS,
      maxImagePixels: config.IMAGE_MAX_PIXELS,
      logger: new Logger(ClipModel.name),
    }),
};

/**
 * The collection, opened with the loaded model's signature. A collection made by another model
 * rejects with ModelMismatchError, which stops the service at start with that message: its
 * vectors could not be compared with this model's queries.
 */
export const imageRepositoryProvider: FactoryProvider<Promise<ChromaImageRepository>> = {
  provide: ChromaImageRepository,
  inject: [QUERY_CONFIG, ClipModel],
  useFactory: (config: QueryConfig, model: ClipModel) =>
    ChromaImageRepository.open({
      url: config.CHROMA_URL,
      collection: config.CHROMA_COLLECTION,
      model: { model: model.name, dimension: model.dimension },
    }),
};
