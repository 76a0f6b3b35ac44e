import { deriveIngestState, MISSING_FROM_QUEUE } from './ingest-state';
import type { CatalogJobSnapshot } from './ingest.queue';

const FINISHED = new Date('2026-01-02T03:04:05Z');

describe(deriveIngestState.name, () => {
  const cases: Array<[string, CatalogJobSnapshot | undefined, boolean, object]> = [
    [
      'waiting for chunks, none reported',
      { state: 'waiting-children' },
      false,
      { state: 'queued' },
    ],
    [
      'waiting for chunks, some reported',
      { state: 'waiting-children' },
      true,
      { state: 'running' },
    ],
    ['no chunk at all, waiting to settle', { state: 'waiting' }, false, { state: 'queued' }],
    ['chunks done, waiting to settle', { state: 'waiting' }, true, { state: 'running' }],
    ['settle retried after a fault', { state: 'delayed' }, true, { state: 'running' }],
    ['settling', { state: 'active' }, false, { state: 'running' }],
    [
      'completed with a completed outcome',
      { state: 'completed', returnValue: { state: 'completed' }, finishedAt: FINISHED },
      true,
      { state: 'completed', finishedAt: FINISHED },
    ],
    [
      'completed with a failed outcome',
      {
        state: 'completed',
        returnValue: { state: 'failed', reason: 'no image could be embedded' },
        finishedAt: FINISHED,
      },
      true,
      { state: 'failed', reason: 'no image could be embedded', finishedAt: FINISHED },
    ],
    [
      'completed with a cancelled outcome',
      { state: 'completed', returnValue: { state: 'cancelled' }, finishedAt: FINISHED },
      true,
      { state: 'cancelled', finishedAt: FINISHED },
    ],
    [
      'completed without an outcome',
      { state: 'completed', returnValue: null, finishedAt: FINISHED },
      true,
      { state: 'completed', finishedAt: FINISHED },
    ],
    [
      'failed in the queue',
      { state: 'failed', failedReason: 'Chroma is unreachable', finishedAt: FINISHED },
      true,
      { state: 'failed', reason: 'Chroma is unreachable', finishedAt: FINISHED },
    ],
    ['gone from the queue', undefined, true, { state: 'failed', reason: MISSING_FROM_QUEUE }],
  ];

  it.each(cases)('%s', (_name, job, progressMade, expected) => {
    expect(deriveIngestState(job, progressMade)).toEqual(expected);
  });
});
