import { INestApplication, ValidationPipe } from '@nestjs/common';

/** What main.ts sets up around GatewayModule before listening, OpenAPI aside; tests apply the same. */
export function configureGatewayApp(app: INestApplication): void {
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
}
