import { INestApplication, Module, ValidationPipe } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HttpErrorFilter, ServiceModule } from '@imgsearch/service';
import type { Redis } from 'ioredis';
import { AuthModule } from '../../auth/auth.module';
import { GATEWAY_CONFIG, GatewayConfig } from '../../gateway.config';
import { GATEWAY_REDIS } from '../../gateway.tokens';
import { ItemsModule } from '../../items/items.module';
import { SearchModule } from '../../search/search.module';

/**
 * The search and items facade as the gateway wires it: the real auth guards (so tokens and
 * roles count), a global stand-in for GatewayModule, main's validation pipe and error filter.
 */
export async function startFacadeApp(
  config: GatewayConfig,
  redis: Redis,
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
        name: 'gateway-facade-test',
        logLevel: 'silent',
        readiness: { useFactory: () => [] },
      }),
      AuthModule.forRoot({ redis: GATEWAY_REDIS }),
      SearchModule,
      ItemsModule,
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  app.useGlobalFilters(new HttpErrorFilter());
  await app.init();
  return app;
}
