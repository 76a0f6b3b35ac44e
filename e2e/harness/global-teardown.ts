import { rmSync } from 'node:fs';
import { stackState } from './stack-state';

export default async function globalTeardown(): Promise<void> {
  await Promise.all(stackState.processes.map((managed) => managed.stop()));
  if (process.env.E2E_WORK_DIR && !process.env.E2E_KEEP) {
    rmSync(process.env.E2E_WORK_DIR, { recursive: true, force: true });
  }
}
