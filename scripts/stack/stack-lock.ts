import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';

/**
 * One local stack per data folder: two would run two Redis and two Chroma servers on the same
 * files. The lock file holds the owner's pid; a lock whose process is gone is taken over.
 */
export class StackLock {
  private constructor(private readonly path: string) {}

  static acquire(path: string): StackLock {
    const owner = readOwner(path);
    if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
      throw new Error(
        `${path} says process ${owner} already runs a stack on this data folder; stop it first, or set DATA_DIR to another folder`,
      );
    }
    writeFileSync(path, `${process.pid}\n`);
    return new StackLock(path);
  }

  release(): void {
    if (readOwner(this.path) === process.pid) rmSync(this.path, { force: true });
  }
}

/** Refuses to start when a port the stack needs is taken, naming it and the variable to change. */
export async function assertPortsFree(ports: Record<string, number>): Promise<void> {
  for (const [variable, port] of Object.entries(ports)) {
    if (await isListening(port)) {
      throw new Error(
        `port ${port} is already in use (is imgsearch already running?); stop that process or set ${variable}`,
      );
    }
  }
}

function readOwner(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
