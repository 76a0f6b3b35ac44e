import { DynamicModule, Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { ServiceModule, type ReadinessCheck } from '@imgsearch/service';
import { ChromaImageRepository } from '@imgsearch/vector-store';
import { ClipQueryEncoder } from './encoder/clip-query.encoder';
import { ItemsController } from './items/items.controller';
import { ItemsService } from './items/items.service';
import { QUERY_CONFIG, QueryConfig } from './query.config';
import { clipModelProvider, imageRepositoryProvider } from './query.providers';
import { SearchController } from './search/search.controller';
import { SearchService } from './search/search.service';

/** Largest non-file form field (`where`, `topK`, `minScore`) of an image search. */
const FORM_FIELD_MAX_BYTES = 1024 * 1024;

/**
 * The query service: embeds a text or a picture and searches Chroma; reads, edits and deletes
 * items. Internal: only the gateway calls it, so it has no authentication of its own.
 */
@Module({})
export class QueryModule {
  static forRoot(config: QueryConfig): DynamicModule {
    const configProvider = { provide: QUERY_CONFIG, useValue: config };
    return {
      module: QueryModule,
      // ServiceModule's readiness factory injects the repository and the encoder from here.
      global: true,
      imports: [
        ServiceModule.forRoot({
          name: 'query',
          logLevel: config.LOG_LEVEL,
          readiness: {
            inject: [ChromaImageRepository, ClipQueryEncoder],
            useFactory: readinessChecks,
          },
        }),
        // Uploads stay in memory: a search reads the picture once, and the limit bounds it.
        MulterModule.register({
          limits: {
            fileSize: config.IMAGE_MAX_BYTES,
            files: 1,
            fields: 10,
            fieldSize: FORM_FIELD_MAX_BYTES,
          },
        }),
      ],
      controllers: [SearchController, ItemsController],
      providers: [
        configProvider,
        clipModelProvider,
        imageRepositoryProvider,
        ClipQueryEncoder,
        SearchService,
        ItemsService,
      ],
      exports: [configProvider, ChromaImageRepository, ClipQueryEncoder],
    };
  }
}

function readinessChecks(
  vectors: ChromaImageRepository,
  encoder: ClipQueryEncoder,
): ReadinessCheck[] {
  return [
    { name: 'chroma', check: () => vectors.heartbeat() },
    { name: 'model', check: () => encoder.assertReady() },
  ];
}
