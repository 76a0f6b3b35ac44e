import { z } from 'zod';
import { ConfigError } from './config-error';

export type Environment = Record<string, string | undefined>;

/**
 * Validates the environment against a schema whose keys are variable names.
 * Empty strings count as unset, so `FOO=` falls back to the default like a missing variable.
 */
export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  env: Environment = process.env,
): z.infer<z.ZodObject<S>> {
  const values: Environment = {};
  for (const key of Object.keys(shape)) {
    const raw = env[key];
    values[key] = raw === undefined || raw.trim() === '' ? undefined : raw;
  }
  const result = z.object(shape).safeParse(values);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const received = values[name];
    return received === undefined
      ? `${name}: ${issue.message === 'Required' ? 'is required but not set' : issue.message}`
      : `${name}: ${issue.message} (got "${received}")`;
  });
  throw new ConfigError(problems);
}
