import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { AuthUser } from '@imgsearch/auth';
import type { ChunkOutcome } from '@imgsearch/queue';
import { FileStorage, storageKeys } from '@imgsearch/storage';
import { randomUUID } from 'node:crypto';
import { copyFile, readFile, rename, rm } from 'node:fs/promises';
import { CatalogUploadInspector, type CatalogPlan } from './catalog-upload.inspector';
import { chunkRows, rowsInChunk } from './chunk-rows';
import type { CreateIngestDto } from './dto/create-ingest.dto';
import type { IngestAcceptedDto, IngestStatusDto } from './dto/ingest-status.dto';
import { IngestJobsRepository } from './ingest-jobs.repository';
import { isFinalState } from './ingest-state';
import { IngestStatusService } from './ingest-status.service';
import type { IngestOptions } from './ingest.options';
import { IngestQueue } from './ingest.queue';
import { INGEST_OPTIONS, INGEST_PROGRESS, type IngestProgress } from './ingest.tokens';
import type { CatalogUpload } from './upload/catalog-upload';

/**
 * Starts and cancels ingest jobs. An upload is checked whole (mapping, CSV, ZIP, every row's
 * image) before anything is queued, so a catalogue is either refused with a reason or queued
 * with its refused rows already in the job's error report.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);
  private readonly inspector: CatalogUploadInspector;

  constructor(
    @Inject(INGEST_OPTIONS) private readonly options: IngestOptions,
    private readonly queue: IngestQueue,
    @Inject(INGEST_PROGRESS) private readonly progress: IngestProgress,
    private readonly jobs: IngestJobsRepository,
    private readonly storage: FileStorage,
    private readonly statuses: IngestStatusService,
  ) {
    this.inspector = new CatalogUploadInspector(options);
  }

  async create(
    upload: CatalogUpload,
    dto: CreateIngestDto,
    caller: Pick<AuthUser, 'id'>,
  ): Promise<IngestAcceptedDto> {
    const plan = await this.inspector.inspect({
      csvPath: upload.csv.path,
      archivePath: upload.archive.path,
      mapping: await mappingText(upload, dto),
    });
    const jobId = randomUUID();
    await this.keepFiles(upload, jobId);
    try {
      await this.enqueue(jobId, upload, plan, caller.id);
    } catch (error) {
      await this.forget(jobId);
      throw error;
    }
    this.logger.log({
      msg: 'ingest job queued',
      jobId,
      total: plan.total,
      resolved: plan.rows.length,
      refused: plan.refused.length,
    });
    return { jobId, state: 'queued' };
  }

  /**
   * Stops a job: chunks not yet started are taken off the queue and their rows counted as
   * skipped; chunks already running finish. The job ends `cancelled` once the embedder settles it.
   */
  async cancel(jobId: string): Promise<IngestStatusDto> {
    const record = await this.statuses.record(jobId);
    const before = await this.statuses.statusOf(record);
    if (isFinalState(before.state)) {
      throw new ConflictException(
        `ingest job ${record.id} has already ended: it is ${before.state}`,
      );
    }
    await this.progress.cancel(record.id);
    const removed = await this.queue.removePendingChunks(record.id, record.chunks);
    const resolved = record.total - record.refused;
    await Promise.all(
      removed.map((index) =>
        this.progress.recordChunk(
          record.id,
          index,
          skipped(rowsInChunk(resolved, record.chunkSize, index)),
        ),
      ),
    );
    this.logger.log({
      msg: 'ingest job cancelled',
      jobId: record.id,
      removedChunks: removed.length,
    });
    return this.statuses.statusOf(record);
  }

  private async enqueue(
    jobId: string,
    upload: CatalogUpload,
    plan: CatalogPlan,
    createdBy: string,
  ): Promise<void> {
    const { chunkSize } = this.options;
    const chunks = chunkRows(plan.rows, chunkSize);
    await this.jobs.create({
      id: jobId,
      createdBy,
      createdAt: new Date(),
      csvName: upload.csv.originalName,
      archiveName: upload.archive.originalName,
      mapping: plan.mapping,
      total: plan.total,
      refused: plan.refused.length,
      chunkSize,
      chunks: chunks.length,
    });
    const archiveKey = storageKeys.uploadedArchive(jobId);
    await this.queueing(jobId, async () => {
      await this.progress.start(jobId, plan.total, plan.refused);
      await this.queue.add({
        jobId,
        total: plan.total,
        chunks: chunks.map((rows, chunkIndex) => ({ jobId, chunkIndex, archiveKey, rows })),
      });
    });
  }

  /** Redis faults while queueing make the queue unavailable; the upload itself was fine. */
  private async queueing(jobId: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.logger.error({ msg: 'could not queue an ingest job', jobId, err: error });
      throw new ServiceUnavailableException(
        'the job queue is unavailable; try the upload again later',
      );
    }
  }

  /** Moves the files out of the request's temporary folder, where the embedders will read them. */
  private async keepFiles(upload: CatalogUpload, jobId: string): Promise<void> {
    try {
      await move(upload.csv.path, await this.storage.prepare(storageKeys.uploadedCsv(jobId)));
      await move(
        upload.archive.path,
        await this.storage.prepare(storageKeys.uploadedArchive(jobId)),
      );
    } catch (error) {
      await this.storage.delete(storageKeys.uploadFolder(jobId));
      throw error;
    }
  }

  /** Undoes what a failed upload left behind; the failure itself is what the caller hears of. */
  private async forget(jobId: string): Promise<void> {
    const undo = [this.jobs.delete(jobId), this.storage.delete(storageKeys.uploadFolder(jobId))];
    for (const outcome of await Promise.allSettled(undo)) {
      if (outcome.status === 'rejected') {
        this.logger.warn({ msg: 'could not undo a failed upload', jobId, err: outcome.reason });
      }
    }
  }
}

async function mappingText(
  upload: CatalogUpload,
  dto: CreateIngestDto,
): Promise<string | undefined> {
  if (upload.mapping === undefined) return dto.mapping;
  if (dto.mapping !== undefined) {
    throw new BadRequestException('give the mapping either as a text field or as a file, not both');
  }
  return readFile(upload.mapping.path, 'utf8');
}

async function move(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    // The temporary folder sits under DATA_DIR to make this a rename, but a mount may split it.
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to);
    await rm(from, { force: true });
  }
}

function skipped(rows: number): ChunkOutcome {
  return { embedded: 0, skipped: rows, failed: 0, errors: [] };
}
