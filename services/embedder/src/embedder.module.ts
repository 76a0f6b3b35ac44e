import {
  BeforeApplicationShutdown,
  DynamicModule,
  Inject,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Provider,
} from '@nestjs/common';
import { ClipModel } from '@imgsearch/clip';
import { SafeZip } from '@imgsearch/ingest';
import { createRedis, IngestProgressStore, pingRedis } from '@imgsearch/queue';
import { ServiceModule } from '@imgsearch/service';
import { FileStorage, storageKeys } from '@imgsearch/storage';
import { ChromaImageRepository } from '@imgsearch/vector-store';
import type { Redis } from 'ioredis';
import { EMBEDDER_CONFIG, EmbedderConfig } from './embedder.config';
import {
  ARCHIVE_CACHE,
  CLIP_MODEL,
  EMBEDDER_REDIS,
  IMAGE_REPOSITORY,
  INGEST_WORKER,
} from './embedder.tokens';
import { ImagePipeline } from './ingest/image-pipeline';
import { IngestCatalogProcessor } from './ingest/ingest-catalog.processor';
import { IngestChunkProcessor } from './ingest/ingest-chunk.processor';
import { IngestJobMetrics, PrometheusPipelineMetrics } from './ingest/ingest.metrics';
import { IngestWorker } from './ingest/ingest.worker';
import { SharpThumbnailMaker } from './ingest/sharp-thumbnail.maker';
import { ZipArchiveCache } from './ingest/zip-archive.cache';

/**
 * The embedder: a BullMQ consumer of the ingest queue. HTTP serves only /metrics and /health.
 * Start-up fails when the model cannot be loaded or the collection holds another model's vectors.
 */
@Module({})
export class EmbedderModule
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  constructor(
    @Inject(INGEST_WORKER) private readonly worker: IngestWorker,
    @Inject(ARCHIVE_CACHE) private readonly archives: ZipArchiveCache,
    @Inject(CLIP_MODEL) private readonly model: ClipModel,
    @Inject(EMBEDDER_REDIS) private readonly redis: Redis,
  ) {}

  static forRoot(config: EmbedderConfig): DynamicModule {
    return {
      module: EmbedderModule,
      // ServiceModule's readiness checks are built from these providers.
      global: true,
      imports: [
        ServiceModule.forRoot({
          name: 'embedder',
          logLevel: config.LOG_LEVEL,
          readiness: {
            inject: [EMBEDDER_REDIS, IMAGE_REPOSITORY, CLIP_MODEL],
            useFactory: (redis: Redis, repository: ChromaImageRepository, model: ClipModel) => [
              { name: 'redis', check: () => pingRedis(redis) },
              { name: 'chroma', check: () => repository.heartbeat() },
              // The provider exists only once both ONNX sessions are loaded.
              { name: 'model', check: async () => void model.name },
            ],
          },
        }),
      ],
      providers: [{ provide: EMBEDDER_CONFIG, useValue: config }, ...embedderProviders(config)],
      exports: [EMBEDDER_REDIS, IMAGE_REPOSITORY, CLIP_MODEL],
    };
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  /** SIGTERM: the jobs in progress finish before the model and connections they use go. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.archives.close();
    await this.model.close();
    await this.redis.quit().catch(() => undefined);
  }
}

function embedderProviders(config: EmbedderConfig): Provider[] {
  const storage = new FileStorage(config.DATA_DIR);
  return [
    { provide: CLIP_MODEL, useFactory: () => loadModel(config) },
    {
      provide: EMBEDDER_REDIS,
      // Connects once the collection fits the model, so a refused start leaves nothing open.
      inject: [IMAGE_REPOSITORY],
      useFactory: () => createRedis(config.REDIS_URL, 'worker'),
    },
    {
      provide: IMAGE_REPOSITORY,
      inject: [CLIP_MODEL],
      useFactory: (model: ClipModel) =>
        ChromaImageRepository.open({
          url: config.CHROMA_URL,
          collection: config.CHROMA_COLLECTION,
          model: { model: model.name, dimension: model.dimension },
        }),
    },
    {
      provide: ARCHIVE_CACHE,
      useFactory: () =>
        new ZipArchiveCache({
          open: (archiveKey) => SafeZip.open(storage.pathOf(archiveKey), zipLimits(config)),
          capacity: config.ARCHIVE_CACHE_SIZE,
        }),
    },
    {
      provide: INGEST_WORKER,
      inject: [EMBEDDER_REDIS, CLIP_MODEL, IMAGE_REPOSITORY, ARCHIVE_CACHE],
      useFactory: (
        redis: Redis,
        model: ClipModel,
        repository: ChromaImageRepository,
        archives: ZipArchiveCache,
      ) => {
        const metrics = new PrometheusPipelineMetrics();
        const progress = new IngestProgressStore(redis, config.QUEUE_PREFIX);
        const thumbnails = new SharpThumbnailMaker({
          size: config.THUMBNAIL_SIZE,
          quality: config.THUMBNAIL_QUALITY,
          maxPixels: config.IMAGE_MAX_PIXELS,
        });
        const pipeline = new ImagePipeline(model, thumbnails, metrics, {
          batchSize: config.EMBED_BATCH_SIZE,
          decodeConcurrency: config.DECODE_CONCURRENCY,
        });
        const chunks = new IngestChunkProcessor({
          archives,
          pipeline,
          files: storage,
          vectors: repository,
          progress,
          metrics,
        });
        const uploads = {
          deleteUploads: (jobId: string) => storage.delete(storageKeys.uploadFolder(jobId)),
        };
        const catalogs = new IngestCatalogProcessor(progress, metrics, uploads);
        return new IngestWorker(chunks, catalogs, new IngestJobMetrics(), {
          redisUrl: config.REDIS_URL,
          prefix: config.QUEUE_PREFIX,
          concurrency: config.EMBED_JOB_CONCURRENCY,
        });
      },
    },
  ];
}

function loadModel(config: EmbedderConfig): Promise<ClipModel> {
  return ClipModel.load(config.CLIP_MODEL_DIR, {
    executionProviders: config.CLIP_EXECUTION_PROVIDERS,
    intraOpNumThreads: config.CLIP_INTRA_OP_THREADS,
    interOpNumThreads: config.CLIP_INTER_OP_THREADS,
    maxImagePixels: config.IMAGE_MAX_PIXELS,
    logger: new Logger(ClipModel.name),
    // Ingest embeds pictures only; the text tower would cost memory and start-up time.
    towers: ['vision'],
  });
}

function zipLimits(config: EmbedderConfig) {
  return {
    maxEntries: config.ZIP_MAX_ENTRIES,
    maxEntryBytes: config.ZIP_MAX_ENTRY_BYTES,
    maxTotalBytes: config.ZIP_MAX_TOTAL_BYTES,
    maxCompressionRatio: config.ZIP_MAX_COMPRESSION_RATIO,
  };
}
