import { Module } from '@nestjs/common';
import { FileStorage } from '@imgsearch/storage';
import { IngestProgressStore } from '@imgsearch/queue';
import type { Redis } from 'ioredis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { GATEWAY_REDIS } from '../gateway.tokens';
import { BullmqIngestQueue } from './bullmq-ingest.queue';
import { IngestController } from './ingest.controller';
import { IngestJobsRepository } from './ingest-jobs.repository';
import { IngestStatusService } from './ingest-status.service';
import { ingestOptionsFrom } from './ingest.options';
import { IngestQueue } from './ingest.queue';
import { IngestService } from './ingest.service';
import { INGEST_OPTIONS, INGEST_PROGRESS } from './ingest.tokens';
import { IngestUploadInterceptor } from './upload/ingest-upload.interceptor';
import { UploadFolders } from './upload/upload.folders';

/**
 * Catalogue uploads and ingest jobs (`/api/ingest`). Relies on the global GATEWAY_CONFIG,
 * GATEWAY_REDIS and DATABASE, and on AuthModule's guards for `@Roles('admin')`.
 */
@Module({
  controllers: [IngestController],
  providers: [
    { provide: INGEST_OPTIONS, inject: [GATEWAY_CONFIG], useFactory: ingestOptionsFrom },
    {
      provide: INGEST_PROGRESS,
      inject: [GATEWAY_REDIS, GATEWAY_CONFIG],
      useFactory: (redis: Redis, config: GatewayConfig) =>
        new IngestProgressStore(redis, config.QUEUE_PREFIX),
    },
    {
      provide: IngestQueue,
      inject: [GATEWAY_REDIS, GATEWAY_CONFIG],
      useFactory: (redis: Redis, config: GatewayConfig) =>
        new BullmqIngestQueue(redis, { prefix: config.QUEUE_PREFIX }),
    },
    {
      provide: FileStorage,
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => new FileStorage(config.DATA_DIR),
    },
    IngestJobsRepository,
    IngestStatusService,
    IngestService,
    UploadFolders,
    IngestUploadInterceptor,
  ],
})
export class IngestModule {}
