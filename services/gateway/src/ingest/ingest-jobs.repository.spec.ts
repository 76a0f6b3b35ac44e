import { createDatabase, migrateLatest } from '@imgsearch/database';
import type { Knex } from 'knex';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '../../../../scripts/stack/postgres-process';
import { IngestJobsRepository, type NewIngestJob } from './ingest-jobs.repository';

interface Backend {
  name: string;
  open(folder: string): Promise<{ database: Knex; stop(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'SQLite',
    open: async (folder) => ({
      database: createDatabase({ sqlitePath: join(folder, 'jobs.sqlite') }),
      stop: async () => undefined,
    }),
  },
  {
    name: 'PostgreSQL',
    open: async (folder) => {
      const postgres = await startPostgres(folder);
      return {
        database: createDatabase({ databaseUrl: postgres.url, sqlitePath: 'unused' }),
        stop: () => postgres.process.stop(),
      };
    },
  },
];

let counter = 0;

function aJob(overrides: Partial<NewIngestJob> = {}): NewIngestJob {
  counter += 1;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    createdBy: '00000000-0000-4000-8000-0000000000ad',
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, counter)),
    csvName: 'photos.csv',
    archiveName: 'photos.zip',
    mapping: { idColumn: 'id', imageColumn: 'image' },
    total: 19,
    refused: 1,
    chunkSize: 8,
    chunks: 3,
    ...overrides,
  };
}

describe(IngestJobsRepository.name, () => {
  describe.each(backends)('on $name', (backend) => {
    let folder: string;
    let opened: Awaited<ReturnType<Backend['open']>>;
    let jobs: IngestJobsRepository;

    beforeAll(async () => {
      folder = mkdtempSync(join(tmpdir(), 'ingest-jobs-'));
      opened = await backend.open(folder);
      await migrateLatest(opened.database);
      jobs = new IngestJobsRepository(opened.database);
    }, 60_000);

    afterAll(async () => {
      await opened?.database.destroy();
      await opened?.stop();
      rmSync(folder, { recursive: true, force: true });
    });

    it('gives back a job as it was recorded, with no ending while it runs', async () => {
      const job = aJob({ mapping: { idTemplate: '{a}{b}', imageColumn: 'file' } });
      await jobs.create(job);

      await expect(jobs.find(job.id)).resolves.toEqual(job);
    });

    it('lists jobs newest first, a page at a time', async () => {
      const older = aJob();
      const newer = aJob();
      await jobs.create(older);
      await jobs.create(newer);

      const [first, second] = await jobs.list(2, 0);

      expect([first.id, second.id]).toEqual([newer.id, older.id]);
      await expect(jobs.list(1, 1)).resolves.toEqual([expect.objectContaining({ id: older.id })]);
    });

    it('records how a job ended once: the first writer wins', async () => {
      const job = aJob();
      await jobs.create(job);
      const finishedAt = new Date('2026-02-03T04:05:06.789Z');
      const counts = { embedded: 10, skipped: 0, failed: 9 };

      await jobs.recordEnding(job.id, { state: 'completed', finishedAt, counts });
      await jobs.recordEnding(job.id, {
        state: 'failed',
        reason: 'late',
        finishedAt: new Date(),
        counts: { embedded: 0, skipped: 0, failed: 19 },
      });

      await expect(jobs.find(job.id)).resolves.toMatchObject({
        ending: { state: 'completed', finishedAt, counts },
      });
    });

    it('forgets a job', async () => {
      const job = aJob();
      await jobs.create(job);

      await jobs.delete(job.id);

      await expect(jobs.find(job.id)).resolves.toBeUndefined();
    });
  });
});
