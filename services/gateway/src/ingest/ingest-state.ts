import type { CatalogOutcome, IngestState } from '@imgsearch/queue';
import type { CatalogJobSnapshot } from './ingest.queue';

/** A job's state as a person reads it, derived from its catalogue job in the queue. */
export interface DerivedIngestState {
  state: IngestState;
  reason?: string;
  finishedAt?: Date;
}

const FINAL_STATES: ReadonlySet<IngestState> = new Set(['completed', 'failed', 'cancelled']);
const OUTCOME_STATES: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

export const MISSING_FROM_QUEUE = 'the queue no longer holds this job';

export function isFinalState(state: IngestState): state is CatalogOutcome['state'] {
  return FINAL_STATES.has(state);
}

/**
 * The catalogue job waits for its chunks (`waiting-children`), then waits for a worker and
 * runs to settle the outcome, which it returns. Until a chunk reports, the job is `queued`.
 * @param progressMade whether any chunk has reported (rows refused at upload do not count).
 */
export function deriveIngestState(
  job: CatalogJobSnapshot | undefined,
  progressMade: boolean,
): DerivedIngestState {
  if (job === undefined) return { state: 'failed', reason: MISSING_FROM_QUEUE };
  switch (job.state) {
    case 'completed':
      return {
        ...outcomeOf(job.returnValue),
        ...(job.finishedAt && { finishedAt: job.finishedAt }),
      };
    case 'failed':
      return {
        state: 'failed',
        reason: job.failedReason ?? 'the catalogue job failed',
        ...(job.finishedAt && { finishedAt: job.finishedAt }),
      };
    case 'active':
      return { state: 'running' };
    default:
      return { state: progressMade ? 'running' : 'queued' };
  }
}

/** The embedder returns a `CatalogOutcome`; anything else still means the job ran to its end. */
function outcomeOf(value: unknown): DerivedIngestState {
  const outcome = value as Partial<CatalogOutcome> | null | undefined;
  if (typeof outcome?.state !== 'string' || !OUTCOME_STATES.has(outcome.state)) {
    return { state: 'completed' };
  }
  return typeof outcome.reason === 'string'
    ? { state: outcome.state, reason: outcome.reason }
    : { state: outcome.state };
}
