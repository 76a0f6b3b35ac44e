import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ManagedProcess } from './child-process';
import { startChroma } from './chroma-process';
import { localSecret } from './local-secrets';
import { startRedis } from './redis-process';
import { RunningServices, startServices, stopAll } from './services-process';
import { assertPortsFree, StackLock } from './stack-lock';

export const repoRoot = resolve(__dirname, '../../..');

export interface LocalStack extends RunningServices {
  redisUrl: string;
  chromaUrl: string;
  admin: { username: string; password: string; passwordFile?: string };
  modelWarning?: string;
  logDir: string;
  /** Infrastructure this stack started (Redis, Chroma); empty when REDIS_URL/CHROMA_URL were given. */
  infrastructure: ManagedProcess[];
  stop(): Promise<void>;
}

/** The real model when one was fetched into models/, else the tiny test model. */
export function chooseModelDir(env: NodeJS.ProcessEnv): { dir: string; warning?: string } {
  if (env.CLIP_MODEL_DIR) return { dir: resolve(repoRoot, env.CLIP_MODEL_DIR) };
  const real = join(repoRoot, 'models/clip-vit-base-patch32');
  if (existsSync(join(real, 'onnx/vision_model.onnx'))) return { dir: real };
  return {
    dir: join(repoRoot, 'models/tiny-random-clip'),
    warning:
      'Using the tiny random-weight test model: search works end to end, but rankings are not meaningful. ' +
      'Fetch a real model with "npm run model:fetch -- --model Xenova/clip-vit-base-patch32".',
  };
}

/** Where the local stack keeps its data, secrets and logs. */
export function localDataDir(env: NodeJS.ProcessEnv): string {
  return resolve(repoRoot, env.DATA_DIR ?? '.data');
}

/** The admin account of the local stack: from the environment, or a password made once and saved. */
export function localAdmin(env: NodeJS.ProcessEnv): LocalStack['admin'] {
  const username = env.ADMIN_USERNAME ?? 'admin';
  if (env.ADMIN_PASSWORD) return { username, password: env.ADMIN_PASSWORD };
  const passwordFile = join(localDataDir(env), 'admin-password');
  return { username, password: localSecret(passwordFile, 12), passwordFile };
}

/**
 * The whole product on one machine: REDIS_URL and CHROMA_URL when set, otherwise a private
 * redis-server and Chroma with their data under DATA_DIR; then query service, embedders, gateway.
 */
export async function startLocalStack(env: NodeJS.ProcessEnv = process.env): Promise<LocalStack> {
  const dataDir = localDataDir(env);
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const ports = {
    GATEWAY_PORT: Number(env.GATEWAY_PORT ?? 4000),
    QUERY_PORT: Number(env.QUERY_PORT ?? 4100),
    EMBEDDER_PORT: Number(env.EMBEDDER_PORT ?? 4200),
  };
  await assertPortsFree(ports);
  const lock = StackLock.acquire(join(dataDir, 'stack.lock'));
  const infrastructure: ManagedProcess[] = [];
  try {
    const redisUrl = env.REDIS_URL ?? (await startPrivateRedis(dataDir, logDir, infrastructure));
    const chromaUrl = env.CHROMA_URL ?? (await startPrivateChroma(dataDir, logDir, infrastructure));
    const model = chooseModelDir(env);
    const admin = localAdmin(env);
    const services = await startServices({
      repoRoot,
      logDir,
      embedders: Number(env.EMBEDDERS ?? 1),
      ports: {
        gateway: ports.GATEWAY_PORT,
        query: ports.QUERY_PORT,
        embedder: ports.EMBEDDER_PORT,
      },
      env: {
        ...env,
        DATA_DIR: dataDir,
        REDIS_URL: redisUrl,
        CHROMA_URL: chromaUrl,
        CLIP_MODEL_DIR: model.dir,
        JWT_SECRET: env.JWT_SECRET ?? localSecret(join(dataDir, 'jwt-secret')),
        ADMIN_USERNAME: admin.username,
        ADMIN_PASSWORD: admin.password,
        SQLITE_PATH: env.SQLITE_PATH ?? join(dataDir, 'imgsearch.sqlite'),
      },
    });
    const stop = async () => {
      await stopAll(services.processes);
      await stopAll(infrastructure);
      lock.release();
    };
    return {
      ...services,
      redisUrl,
      chromaUrl,
      admin,
      modelWarning: model.warning,
      logDir,
      infrastructure,
      stop,
    };
  } catch (error) {
    await stopAll(infrastructure);
    lock.release();
    throw error;
  }
}

async function startPrivateRedis(
  dataDir: string,
  logDir: string,
  started: ManagedProcess[],
): Promise<string> {
  const redis = await startRedis(join(dataDir, 'redis'), join(logDir, 'redis.log'), {
    persistent: true,
  });
  started.push(redis.process);
  return redis.url;
}

/** The first local run installs the Chroma server, so `npm ci && npm run demo` just works. */
function ensureChromaInstalled(): void {
  if (existsSync(join(repoRoot, '.venv/chroma/bin/chroma'))) return;
  console.log('Installing the Chroma server into .venv/chroma (once; npm run setup:chroma)...');
  const setup = spawnSync('bash', [join(repoRoot, 'scripts/setup-chroma.sh')], {
    stdio: 'inherit',
  });
  if (setup.status !== 0)
    throw new Error('installing Chroma failed; run "npm run setup:chroma" to see why');
}

async function startPrivateChroma(
  dataDir: string,
  logDir: string,
  started: ManagedProcess[],
): Promise<string> {
  ensureChromaInstalled();
  const chroma = await startChroma(repoRoot, join(dataDir, 'chroma'), join(logDir, 'chroma.log'));
  started.push(chroma.process);
  return chroma.url;
}
