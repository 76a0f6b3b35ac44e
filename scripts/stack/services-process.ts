import { join } from 'node:path';
import { freePort } from './free-port';
import { httpOk, ManagedProcess, startProcess, waitUntil } from './child-process';

export type ServiceName = 'query' | 'embedder' | 'gateway';

export interface RunningServices {
  gatewayUrl: string;
  queryUrl: string;
  embedderUrls: string[];
  processes: ManagedProcess[];
}

export interface ServicesOptions {
  repoRoot: string;
  /** Environment shared by every service (REDIS_URL, CHROMA_URL, CLIP_MODEL_DIR, JWT_SECRET, ...). */
  env: NodeJS.ProcessEnv;
  /** Folder for one log file per process; 'inherit' prints to this terminal. */
  logDir?: string | 'inherit';
  embedders?: number;
  /** Fixed ports; free ones are picked when absent. */
  ports?: Partial<Record<ServiceName, number>>;
  readyTimeoutMs?: number;
}

const PORT_VARIABLE: Record<ServiceName, string> = {
  query: 'QUERY_PORT',
  embedder: 'EMBEDDER_PORT',
  gateway: 'GATEWAY_PORT',
};

/**
 * Starts the compiled services (`npm run build` first): the query service and the embedders,
 * then the gateway, each waited for on /health/ready.
 */
export async function startServices(options: ServicesOptions): Promise<RunningServices> {
  const processes: ManagedProcess[] = [];
  const start = async (service: ServiceName, index = 0, extraEnv: NodeJS.ProcessEnv = {}) => {
    const started = await startService(options, service, index, extraEnv, processes);
    return started.url;
  };
  try {
    const [queryUrl, ...embedderUrls] = await Promise.all([
      start('query'),
      ...Array.from({ length: options.embedders ?? 1 }, (_, index) => start('embedder', index)),
    ]);
    const gatewayUrl = await start('gateway', 0, { QUERY_URL: queryUrl });
    return { gatewayUrl, queryUrl, embedderUrls, processes };
  } catch (error) {
    await stopAll(processes);
    throw error;
  }
}

/**
 * Starts one service process and waits for its readiness; `processes` receives it at once, so
 * a caller can stop it even when it never becomes ready.
 */
export async function startService(
  options: ServicesOptions,
  service: ServiceName,
  index = 0,
  extraEnv: NodeJS.ProcessEnv = {},
  processes: ManagedProcess[] = [],
): Promise<{ url: string; process: ManagedProcess }> {
  // A fixed port serves the first process of a kind; more embedders take free ones.
  const port = (index === 0 ? options.ports?.[service] : undefined) ?? (await freePort());
  const managed = startProcess(
    `${service}${index ? `-${index}` : ''}`,
    process.execPath,
    [entryPoint(options.repoRoot, service)],
    {
      env: { ...options.env, ...extraEnv, [PORT_VARIABLE[service]]: String(port) },
      logFile: logFileFor(options.logDir, service, index),
      cwd: options.repoRoot,
    },
  );
  processes.push(managed);
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(`${managed.name} on ${url}`, () => httpOk(`${url}/health/ready`), {
    process: managed,
    timeoutMs: options.readyTimeoutMs ?? 60_000,
  });
  return { url, process: managed };
}

/** Stops processes in reverse start order: the gateway first, so no new work arrives. */
export async function stopAll(processes: ManagedProcess[]): Promise<void> {
  for (const managed of [...processes].reverse()) await managed.stop();
}

function entryPoint(repoRoot: string, service: ServiceName): string {
  return join(repoRoot, 'dist', 'services', service, 'src', 'main.js');
}

function logFileFor(
  logDir: string | undefined,
  service: ServiceName,
  index: number,
): string | undefined {
  if (!logDir || logDir === 'inherit') return logDir;
  return join(logDir, `${service}${index ? `-${index}` : ''}.log`);
}
