import { bootstrapService, runService } from '@imgsearch/service';
import { configureGatewayApp } from './gateway.app';
import { GatewayModule } from './gateway.module';
import { loadGatewayConfig } from './gateway.config';
import { setupOpenApi } from './openapi';

runService(loadGatewayConfig, (config) =>
  bootstrapService(GatewayModule.forRoot(config), {
    name: 'gateway',
    host: config.HOST,
    port: config.GATEWAY_PORT,
    configure: (app) => {
      configureGatewayApp(app);
      setupOpenApi(app);
    },
  }),
);
