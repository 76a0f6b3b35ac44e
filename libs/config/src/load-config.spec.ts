import { z } from 'zod';
import { ConfigError } from './config-error';
import { env } from './env-types';
import { loadConfig } from './load-config';

describe(loadConfig.name, () => {
  const shape = {
    PORT: env.port(4000),
    REDIS_URL: env.url(),
    JWT_SECRET: z.string().min(16),
  };

  it('applies defaults and coerces numbers', () => {
    const config = loadConfig(shape, {
      REDIS_URL: 'redis://127.0.0.1:6379',
      JWT_SECRET: 'x'.repeat(16),
    });
    expect(config.PORT).toBe(4000);
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig(shape, {
      PORT: '',
      REDIS_URL: 'redis://h:1',
      JWT_SECRET: 'x'.repeat(16),
    });
    expect(config.PORT).toBe(4000);
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig(shape, { PORT: 'eighty', JWT_SECRET: 'short' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('PORT');
    expect(problems).toContain('"eighty"');
    expect(problems).toContain('REDIS_URL: is required but not set');
    expect(problems).toContain('JWT_SECRET');
  });
});
