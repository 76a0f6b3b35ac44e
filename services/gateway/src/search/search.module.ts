import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { QueryClientModule } from '../query-client/query-client.module';
import { SearchController } from './search.controller';
import { SearchService } from './search.service';

/** Largest non-file form field (`where`, `topK`, `minScore`) of an image search. */
const FORM_FIELD_MAX_BYTES = 1024 * 1024;

/** /api/search: by text and by picture, through the query service. */
@Module({
  imports: [
    QueryClientModule,
    // The picture is held in memory, bounded by IMAGE_MAX_BYTES, and forwarded as it came.
    MulterModule.registerAsync({
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => ({
        limits: {
          fileSize: config.IMAGE_MAX_BYTES,
          files: 1,
          fields: 10,
          fieldSize: FORM_FIELD_MAX_BYTES,
        },
      }),
    }),
  ],
  controllers: [SearchController],
  providers: [SearchService],
})
export class SearchModule {}
