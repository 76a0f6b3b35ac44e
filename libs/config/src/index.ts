export { ConfigError } from './config-error';
export { loadConfig, type Environment } from './load-config';
export { env } from './env-types';
export { archiveEnv, chromaEnv, clipEnv, commonEnv, redisEnv, storageEnv } from './shared-env';
export { z } from 'zod';
