import { INestApplication } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { GatewayConfig } from '../../gateway.config';
import { GATEWAY_REDIS } from '../../gateway.tokens';
import { startGatewayTestApp } from '../../test/gateway-test-app';
import { BullmqIngestQueue } from '../bullmq-ingest.queue';
import { IngestModule } from '../ingest.module';
import { IngestQueue } from '../ingest.queue';

export interface IngestAppOptions {
  /** Chunk jobs per Redis transaction; small values exercise the batched, gated path. */
  chunksPerBatch?: number;
}

/** IngestModule as the gateway wires it, with AuthModule's guards and database. */
export function startIngestApp(
  config: GatewayConfig,
  redis: Redis,
  options: IngestAppOptions = {},
): Promise<INestApplication> {
  return startGatewayTestApp(config, redis, {
    name: 'gateway-ingest-test',
    imports: [IngestModule],
    override: (builder) =>
      builder.overrideProvider(IngestQueue).useFactory({
        inject: [GATEWAY_REDIS],
        factory: (connection: Redis) =>
          new BullmqIngestQueue(connection, {
            prefix: config.QUEUE_PREFIX,
            chunksPerBatch: options.chunksPerBatch,
          }),
      }),
  });
}
