import { INestApplication } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import type { GatewayConfig } from '../../gateway.config';
import { startGatewayTestApp } from '../../test/gateway-test-app';
import { DATABASE, databaseReadinessCheck } from '../auth.module';

/** AuthModule as the gateway wires it, with ServiceModule's readiness reading DATABASE. */
export function startAuthApp(config: GatewayConfig, redis: Redis): Promise<INestApplication> {
  return startGatewayTestApp(config, redis, {
    name: 'gateway-auth-test',
    readiness: {
      inject: [DATABASE],
      useFactory: (database: Knex) => [databaseReadinessCheck(database)],
    },
  });
}
