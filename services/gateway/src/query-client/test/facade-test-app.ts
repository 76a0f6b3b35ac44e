import { INestApplication } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { GatewayConfig } from '../../gateway.config';
import { ItemsModule } from '../../items/items.module';
import { SearchModule } from '../../search/search.module';
import { startGatewayTestApp } from '../../test/gateway-test-app';

/** The search and items facade as the gateway wires it, with the real auth guards (so tokens and roles count). */
export function startFacadeApp(config: GatewayConfig, redis: Redis): Promise<INestApplication> {
  return startGatewayTestApp(config, redis, {
    name: 'gateway-facade-test',
    imports: [SearchModule, ItemsModule],
  });
}
