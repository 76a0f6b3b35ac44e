import { ValidationPipe } from '@nestjs/common';
import { bootstrapService, runService } from '@imgsearch/service';
import { GatewayModule } from './gateway.module';
import { loadGatewayConfig } from './gateway.config';
import { setupOpenApi } from './openapi';

runService(loadGatewayConfig, (config) =>
  bootstrapService(GatewayModule.forRoot(config), {
    name: 'gateway',
    host: config.HOST,
    port: config.GATEWAY_PORT,
    configure: (app) => {
      app.useGlobalPipes(
        new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
      );
      setupOpenApi(app);
    },
  }),
);
