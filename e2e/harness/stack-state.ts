import type { ManagedProcess } from '../../scripts/stack/child-process';

/** Shared between global setup and teardown, which run in the same parent process. */
export const stackState: { processes: ManagedProcess[] } = { processes: [] };
