import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError } from '@imgsearch/config';

export interface BootstrapOptions {
  name: string;
  host: string;
  port: number;
  /** Runs before listen: global pipes, OpenAPI, static files. */
  configure?: (app: INestApplication) => void | Promise<void>;
}

/** Creates, configures and starts one service; SIGTERM and SIGINT close it cleanly. */
export async function bootstrapService(
  module: Type<unknown> | DynamicModule,
  options: BootstrapOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  await options.configure?.(app);
  await app.listen(options.port, options.host);
  logger.log(`${options.name} listening on ${await app.getUrl()}`);
  return app;
}

/**
 * Loads configuration before anything else so a bad variable stops the process with a
 * message naming it, and a fault during start-up exits non-zero instead of hanging.
 */
export function runService<C>(loadConfig: () => C, start: (config: C) => Promise<unknown>): void {
  let config: C;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  start(config).catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  });
}
