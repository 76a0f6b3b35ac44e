import { INestApplication, Module, ValidationPipe } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HttpErrorFilter, ServiceModule } from '@imgsearch/service';
import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import { GATEWAY_CONFIG, GatewayConfig } from '../../gateway.config';
import { GATEWAY_REDIS } from '../../gateway.tokens';
import { AuthModule, DATABASE, databaseReadinessCheck } from '../auth.module';

export const TEST_ADMIN = { username: 'root', password: 'root password 123' };

/** The auth-related part of the gateway's configuration, with values suited to tests. */
export function aGatewayConfig(overrides: Partial<GatewayConfig>): GatewayConfig {
  const config: Partial<GatewayConfig> = {
    SQLITE_PATH: '.data/unused.sqlite',
    QUEUE_PREFIX: 'auth-test',
    JWT_SECRET: 'a test secret of at least thirty-two characters',
    JWT_EXPIRES_IN_SECONDS: 3600,
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    LOGIN_MAX_ATTEMPTS_PER_USERNAME: 3,
    LOGIN_MAX_ATTEMPTS_PER_ADDRESS: 1000,
    LOGIN_WINDOW_SECONDS: 60,
    ...overrides,
  };
  return config as GatewayConfig;
}

/**
 * AuthModule as the gateway wires it: a global module standing in for GatewayModule's
 * GATEWAY_CONFIG and GATEWAY_REDIS, ServiceModule's readiness reading DATABASE, and main's
 * validation pipe and error filter.
 */
export async function startAuthApp(config: GatewayConfig, redis: Redis): Promise<INestApplication> {
  @Module({})
  class GatewayStubModule {}

  const stub = { provide: GATEWAY_CONFIG, useValue: config };
  const redisStub = { provide: GATEWAY_REDIS, useValue: redis };
  const moduleRef = await Test.createTestingModule({
    imports: [
      {
        module: GatewayStubModule,
        global: true,
        providers: [stub, redisStub],
        exports: [stub, redisStub],
      },
      ServiceModule.forRoot({
        name: 'gateway-auth-test',
        logLevel: 'silent',
        readiness: {
          inject: [DATABASE],
          useFactory: (database: Knex) => [databaseReadinessCheck(database)],
        },
      }),
      AuthModule.forRoot({ redis: GATEWAY_REDIS }),
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
