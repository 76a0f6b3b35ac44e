import { INestApplication, Module, ValidationPipe } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HttpErrorFilter, ServiceModule } from '@imgsearch/service';
import type { Redis } from 'ioredis';
import { AuthModule } from '../../auth/auth.module';
import { GATEWAY_CONFIG, type GatewayConfig } from '../../gateway.config';
import { GATEWAY_REDIS } from '../../gateway.tokens';
import { BullmqIngestQueue } from '../bullmq-ingest.queue';
import { IngestModule } from '../ingest.module';
import { IngestQueue } from '../ingest.queue';

export interface IngestAppOptions {
  /** Chunk jobs per Redis transaction; small values exercise the batched, gated path. */
  chunksPerBatch?: number;
}

/**
 * IngestModule as the gateway wires it, with AuthModule's guards and database: a global module
 * standing in for GatewayModule's GATEWAY_CONFIG and GATEWAY_REDIS, and main's validation pipe
 * and error filter.
 */
export async function startIngestApp(
  config: GatewayConfig,
  redis: Redis,
  options: IngestAppOptions = {},
): Promise<INestApplication> {
  @Module({})
  class GatewayStubModule {}

  const configStub = { provide: GATEWAY_CONFIG, useValue: config };
  const redisStub = { provide: GATEWAY_REDIS, useValue: redis };
  const moduleRef = await Test.createTestingModule({
    imports: [
      {
        module: GatewayStubModule,
        global: true,
        providers: [configStub, redisStub],
        exports: [configStub, redisStub],
      },
      ServiceModule.forRoot({
        name: 'gateway-ingest-test',
        logLevel: 'silent',
        readiness: { useFactory: () => [] },
      }),
      AuthModule.forRoot({ redis: GATEWAY_REDIS }),
      IngestModule,
    ],
  })
    .overrideProvider(IngestQueue)
    .useFactory({
      inject: [GATEWAY_REDIS],
      factory: (connection: Redis) =>
        new BullmqIngestQueue(connection, {
          prefix: config.QUEUE_PREFIX,
          chunksPerBatch: options.chunksPerBatch,
        }),
    })
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  app.useGlobalFilters(new HttpErrorFilter());
  await app.init();
  return app;
}
