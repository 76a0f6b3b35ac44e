import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { createRedis, pingRedis } from '@imgsearch/queue';
import { ServiceModule } from '@imgsearch/service';
import type { Redis } from 'ioredis';
import { GATEWAY_CONFIG, GatewayConfig } from './gateway.config';

export const GATEWAY_REDIS = Symbol('GATEWAY_REDIS');

@Module({})
export class GatewayModule implements OnApplicationShutdown {
  constructor(@Inject(GATEWAY_REDIS) private readonly redis: Redis) {}

  static forRoot(config: GatewayConfig): DynamicModule {
    const configProvider = { provide: GATEWAY_CONFIG, useValue: config };
    const redisProvider = { provide: GATEWAY_REDIS, useFactory: () => createRedis(config.REDIS_URL, 'producer') };
    return {
      module: GatewayModule,
      global: true,
      imports: [
        ServiceModule.forRoot({
          name: 'gateway',
          logLevel: config.LOG_LEVEL,
          readiness: {
            inject: [GATEWAY_REDIS],
            useFactory: (redis: Redis) => [{ name: 'redis', check: () => pingRedis(redis) }],
          },
        }),
      ],
      providers: [configProvider, redisProvider],
      exports: [configProvider, redisProvider],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
