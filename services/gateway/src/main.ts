import { bootstrapService, runService } from '@imgsearch/service';
import { GatewayModule } from './gateway.module';
import { loadGatewayConfig } from './gateway.config';

runService(loadGatewayConfig, (config) =>
  bootstrapService(GatewayModule.forRoot(config), {
    name: 'gateway',
    host: config.HOST,
    port: config.GATEWAY_PORT,
  }),
);
