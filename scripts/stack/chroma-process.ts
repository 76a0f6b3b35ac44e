import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from './free-port';
import { httpOk, ManagedProcess, startProcess, waitUntil } from './child-process';

export interface ChromaInstance {
  url: string;
  process: ManagedProcess;
}

/**
 * The `chroma` server binary from the project's venv (scripts/setup-chroma.sh). The chromadb npm
 * package's own `chroma run` needs glibc 2.38+, which Debian 12 does not have.
 */
export function chromaBinary(repoRoot: string): string {
  const binary = resolve(repoRoot, '.venv/chroma/bin/chroma');
  if (!existsSync(binary)) {
    throw new Error(`Chroma is not installed at ${binary}: run "npm run setup:chroma" first.`);
  }
  return binary;
}

export async function startChroma(
  repoRoot: string,
  dataDir: string,
  logFile?: string,
  port?: number,
): Promise<ChromaInstance> {
  mkdirSync(dataDir, { recursive: true });
  const chosenPort = port ?? (await freePort());
  const args = ['run', '--path', dataDir, '--host', '127.0.0.1', '--port', String(chosenPort)];
  const process = startProcess('chroma', chromaBinary(repoRoot), args, {
    logFile,
    env: { ...globalThis.process.env, ANONYMIZED_TELEMETRY: 'False' },
    cwd: join(dataDir),
  });
  const url = `http://127.0.0.1:${chosenPort}`;
  await waitUntil(`Chroma on port ${chosenPort}`, () => httpOk(`${url}/api/v2/heartbeat`), {
    process,
    timeoutMs: 60_000,
  });
  return { url, process };
}
