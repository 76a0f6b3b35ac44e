export { ConfigError } from './config-error';
export { loadConfig, type Environment } from './load-config';
export { env } from './env-types';
export { z } from 'zod';
