import { INestApplication, ValidationPipe } from '@nestjs/common';

/** What main.ts sets up around QueryModule before listening; tests apply the same. */
export function configureQueryApp(app: INestApplication): void {
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
}
