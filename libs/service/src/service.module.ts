import {
  DynamicModule,
  FactoryProvider,
  MiddlewareConsumer,
  Module,
  ModuleMetadata,
  NestModule,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { HealthController, READINESS_CHECKS, ReadinessCheck } from './health.controller';
import { HttpErrorFilter } from './http-error.filter';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { startDefaultMetrics } from './metrics';

export interface ServiceModuleOptions {
  /** Service name: the `service` label on every metric and the `name` on every log line. */
  name: string;
  logLevel: string;
  /** Builds the readiness checks from the service's own providers. */
  readiness: Pick<ModuleMetadata, 'imports'> &
    Pick<FactoryProvider<ReadinessCheck[]>, 'inject' | 'useFactory'>;
}

/** What every service has: JSON logs with request ids, /metrics, /health/*, one error shape. */
@Module({})
export class ServiceModule implements NestModule {
  static forRoot(options: ServiceModuleOptions): DynamicModule {
    startDefaultMetrics(options.name);
    return {
      module: ServiceModule,
      imports: [
        TerminusModule,
        LoggerModule.forRoot({
          pinoHttp: {
            name: options.name,
            level: options.logLevel,
            genReqId: (request) => (request.headers['x-request-id'] as string) ?? randomUUID(),
            autoLogging: { ignore: (request) => /^\/(health|metrics)/.test(request.url ?? '') },
            redact: ['req.headers.authorization', 'req.headers.cookie'],
          },
        }),
        ...(options.readiness.imports ?? []),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        {
          provide: READINESS_CHECKS,
          inject: options.readiness.inject,
          useFactory: options.readiness.useFactory,
        },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*');
  }
}
