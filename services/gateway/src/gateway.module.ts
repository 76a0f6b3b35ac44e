import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { createRedis, pingRedis } from '@imgsearch/queue';
import { ServiceModule } from '@imgsearch/service';
import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import { AuthModule, DATABASE, databaseReadinessCheck } from './auth/auth.module';
import { GATEWAY_CONFIG, GatewayConfig } from './gateway.config';
import { GATEWAY_REDIS } from './gateway.tokens';
import { IngestModule } from './ingest/ingest.module';
import { ItemsModule } from './items/items.module';
import { SearchModule } from './search/search.module';

@Module({})
export class GatewayModule implements OnApplicationShutdown {
  constructor(@Inject(GATEWAY_REDIS) private readonly redis: Redis) {}

  static forRoot(config: GatewayConfig): DynamicModule {
    const configProvider = { provide: GATEWAY_CONFIG, useValue: config };
    const redisProvider = {
      provide: GATEWAY_REDIS,
      useFactory: () => createRedis(config.REDIS_URL, 'producer'),
    };
    return {
      module: GatewayModule,
      global: true,
      imports: [
        ServiceModule.forRoot({
          name: 'gateway',
          logLevel: config.LOG_LEVEL,
          readiness: {
            inject: [GATEWAY_REDIS, DATABASE],
            useFactory: (redis: Redis, database: Knex) => [
              { name: 'redis', check: () => pingRedis(redis) },
              databaseReadinessCheck(database),
            ],
          },
        }),
        AuthModule.forRoot({ redis: GATEWAY_REDIS }),
        IngestModule,
        SearchModule,
        ItemsModule,
      ],
      providers: [configProvider, redisProvider],
      exports: [configProvider, redisProvider],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
