import { INestApplication, Module, ModuleMetadata } from '@nestjs/common';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { HttpErrorFilter, ServiceModule, type ServiceModuleOptions } from '@imgsearch/service';
import type { Redis } from 'ioredis';
import { AuthModule } from '../auth/auth.module';
import { configureGatewayApp } from '../gateway.app';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { GATEWAY_REDIS } from '../gateway.tokens';

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

export interface GatewayTestAppOptions {
  /** ServiceModule's name: the `service` label of the test's metrics and logs. */
  name: string;
  /** The modules under test, beside AuthModule. */
  imports?: ModuleMetadata['imports'];
  /** ServiceModule's readiness checks; none unless given. */
  readiness?: ServiceModuleOptions['readiness'];
  /** Changes to the testing module before it compiles, such as a provider override. */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

/**
 * Gateway modules as GatewayModule wires them, with AuthModule's guards and database: a global
 * module standing in for GatewayModule's GATEWAY_CONFIG and GATEWAY_REDIS, and main's
 * validation pipe and error filter. Not listening: use supertest.
 */
export async function startGatewayTestApp(
  config: GatewayConfig,
  redis: Redis,
  options: GatewayTestAppOptions,
): Promise<INestApplication> {
  @Module({})
  class GatewayStubModule {}

  const configStub = { provide: GATEWAY_CONFIG, useValue: config };
  const redisStub = { provide: GATEWAY_REDIS, useValue: redis };
  const builder = Test.createTestingModule({
    imports: [
      {
        module: GatewayStubModule,
        global: true,
        providers: [configStub, redisStub],
        exports: [configStub, redisStub],
      },
      ServiceModule.forRoot({
        name: options.name,
        logLevel: 'silent',
        readiness: options.readiness ?? { useFactory: () => [] },
      }),
      AuthModule.forRoot({ redis: GATEWAY_REDIS }),
      ...(options.imports ?? []),
    ],
  });
  const moduleRef = await (options.override?.(builder) ?? builder).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  configureGatewayApp(app);
  app.useGlobalFilters(new HttpErrorFilter());
  await app.init();
  return app;
}
