import {
  Inject,
  Injectable,
  Logger,
  MessageEvent,
  NotFoundException,
  StreamableFile,
} from '@nestjs/common';
import type { IngestProgress as ProgressCounts, IngestRowError } from '@imgsearch/queue';
import { Readable } from 'node:stream';
import {
  catchError,
  concatMap,
  distinctUntilChanged,
  EMPTY,
  exhaustMap,
  from,
  map,
  Observable,
  takeWhile,
  timer,
} from 'rxjs';
import type { IngestJobDto, IngestJobListDto, IngestStatusDto } from './dto/ingest-status.dto';
import type { ListIngestJobsQuery } from './dto/list-ingest-jobs.query';
import { errorsCsvLines } from './errors-csv';
import { IngestJobsRepository, type IngestJobRecord } from './ingest-jobs.repository';
import type { IngestOptions } from './ingest.options';
import { IngestQueue } from './ingest.queue';
import { deriveIngestState, isFinalState } from './ingest-state';
import { INGEST_OPTIONS, INGEST_PROGRESS, type IngestProgress } from './ingest.tokens';

/** Row errors one status carries; errors.csv has them all. */
export const STATUS_MAX_ERRORS = 1000;
const DEFAULT_PAGE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A job's state and counts: what changes while it runs. */
type JobView = Pick<
  IngestJobDto,
  'state' | 'reason' | 'finishedAt' | 'progress' | 'cancelRequested'
>;

/**
 * What admins see of ingest jobs: the record made at upload, the catalogue job's state in the
 * queue and the counters in Redis, put together. A job's end is written to its record the first
 * time it is seen, so the answer survives the queue's and Redis's retention.
 */
@Injectable()
export class IngestStatusService {
  private readonly logger = new Logger(IngestStatusService.name);

  constructor(
    @Inject(INGEST_OPTIONS) private readonly options: IngestOptions,
    private readonly queue: IngestQueue,
    @Inject(INGEST_PROGRESS) private readonly progress: IngestProgress,
    private readonly jobs: IngestJobsRepository,
  ) {}

  /** The job's record; 404 for an unknown or malformed id. */
  async record(jobId: string): Promise<IngestJobRecord> {
    const record = UUID.test(jobId) ? await this.jobs.find(jobId.toLowerCase()) : undefined;
    if (record === undefined) throw new NotFoundException(`ingest job ${jobId} not found`);
    return record;
  }

  async status(jobId: string): Promise<IngestStatusDto> {
    return this.statusOf(await this.record(jobId));
  }

  async statusOf(record: IngestJobRecord): Promise<IngestStatusDto> {
    return this.withErrors(record, await this.view(record));
  }

  async list(query: ListIngestJobsQuery): Promise<IngestJobListDto> {
    const limit = query.limit ?? DEFAULT_PAGE;
    const offset = query.offset ?? 0;
    const records = await this.jobs.list(limit + 1, offset);
    const page = records.slice(0, limit);
    const views = await this.views(page);
    const jobs = page.map((record, index) => toJobDto(record, views[index]));
    return records.length > limit ? { jobs, nextOffset: offset + limit } : { jobs };
  }

  /**
   * The job's status whenever it changes, starting with the current one, until it ends; a
   * comment line keeps the connection alive in between. Unsubscribing stops the polling.
   */
  async events(jobId: string): Promise<Observable<MessageEvent>> {
    const record = await this.record(jobId);
    const { pollMs, heartbeatMs } = this.options.events;
    const statuses = timer(0, pollMs).pipe(
      exhaustMap(() => from(this.view(record)).pipe(catchError((error) => this.skipPoll(error)))),
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
      concatMap((view) => this.withErrors(record, view)),
      takeWhile((status) => !isFinalState(status.state), true),
      map((status): MessageEvent => ({ data: status })),
    );
    return new Observable<MessageEvent>((subscriber) => {
      const heartbeat = setInterval(() => subscriber.next({ comment: 'heartbeat' }), heartbeatMs);
      const subscription = statuses.subscribe(subscriber);
      return () => {
        clearInterval(heartbeat);
        subscription.unsubscribe();
      };
    });
  }

  /** Every row error of the job, sorted by row, as a CSV download. */
  async errorsCsv(jobId: string): Promise<StreamableFile> {
    const record = await this.record(jobId);
    const errors = byRow(await this.progress.errors(record.id));
    return new StreamableFile(Readable.from(errorsCsvLines(errors)), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="ingest-${record.id}-errors.csv"`,
    });
  }

  private async withErrors(record: IngestJobRecord, view: JobView): Promise<IngestStatusDto> {
    const errors = byRow(await this.progress.errors(record.id));
    // The progress store keeps a bounded list; fewer errors than failed rows means it is cut.
    const truncated = errors.length > STATUS_MAX_ERRORS || errors.length < view.progress.failed;
    return {
      ...toJobDto(record, view),
      errors: errors.slice(0, STATUS_MAX_ERRORS),
      errorsTruncated: truncated,
    };
  }

  private async views(records: readonly IngestJobRecord[]): Promise<JobView[]> {
    const running = records.filter((record) => record.ending === undefined);
    const snapshots = await this.queue.catalogJobs(running.map((record) => record.id));
    const snapshotOf = new Map(running.map((record, index) => [record.id, snapshots[index]]));
    return Promise.all(
      records.map((record) => this.view(record, async () => snapshotOf.get(record.id))),
    );
  }

  /** @param lookUp reads the catalogue job from the queue; only called for a job still running. */
  private async view(
    record: IngestJobRecord,
    lookUp = () => this.queue.catalogJob(record.id),
  ): Promise<JobView> {
    const [live, cancelRequested] = await Promise.all([
      this.progress.read(record.id),
      this.progress.isCancelled(record.id),
    ]);
    if (record.ending !== undefined) {
      const { state, reason, finishedAt, counts } = record.ending;
      const progress = live ?? { total: record.total, ...counts };
      return { state, ...(reason && { reason }), finishedAt, progress, cancelRequested };
    }
    const snapshot = await lookUp();
    const progress = live ?? {
      total: record.total,
      embedded: 0,
      skipped: 0,
      failed: record.refused,
    };
    const made = progress.embedded + progress.skipped + progress.failed > record.refused;
    const derived = deriveIngestState(snapshot, made);
    if (snapshot === undefined || !isFinalState(derived.state)) {
      return { ...derived, progress, cancelRequested };
    }
    const finishedAt = derived.finishedAt ?? new Date();
    await this.jobs.recordEnding(record.id, {
      state: derived.state,
      ...(derived.reason && { reason: derived.reason }),
      finishedAt,
      counts: countsOf(progress),
    });
    return { ...derived, finishedAt, progress, cancelRequested };
  }

  private skipPoll(error: unknown): Observable<never> {
    this.logger.warn({ msg: 'ingest status poll failed; trying again', err: error });
    return EMPTY;
  }
}

function toJobDto(record: IngestJobRecord, view: JobView): IngestJobDto {
  return {
    jobId: record.id,
    state: view.state,
    progress: view.progress,
    createdAt: record.createdAt,
    ...(view.finishedAt && { finishedAt: view.finishedAt }),
    ...(view.reason && { reason: view.reason }),
    cancelRequested: view.cancelRequested,
    createdBy: record.createdBy,
    csvName: record.csvName,
    archiveName: record.archiveName,
  };
}

function countsOf({ embedded, skipped, failed }: ProgressCounts) {
  return { embedded, skipped, failed };
}

function byRow(errors: IngestRowError[]): IngestRowError[] {
  return errors.sort((a, b) => a.row - b.row);
}
