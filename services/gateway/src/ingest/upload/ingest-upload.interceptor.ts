import {
  BadRequestException,
  CallHandler,
  ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  NestInterceptor,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { formatBytes } from '@imgsearch/ingest';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { finalize, Observable } from 'rxjs';
import type { IngestOptions } from '../ingest.options';
import { INGEST_OPTIONS } from '../ingest.tokens';
import type { CatalogUpload, UploadedPart } from './catalog-upload';
import { textCheck, zipCheck } from './content-checks';
import { partTooLarge, UploadPartStorage, type PartRule } from './upload-part.storage';
import { UploadFolders } from './upload.folders';

/** The request property the interceptor fills; read it with `@UploadedCatalog()`. */
export const CATALOG_UPLOAD = 'catalogUpload';
export type RequestWithUpload = Request & { [CATALOG_UPLOAD]?: CatalogUpload };

const FILE_PARTS = ['csv', 'archive', 'mapping'] as const;
const REQUIRED_PARTS = ['csv', 'archive'] as const;
const HOW_TO_SEND =
  'send the catalogue CSV as "csv", the ZIP of images as "archive", and optionally the mapping as "mapping"';

type UploadedFiles = Partial<Record<string, Express.Multer.File[]>>;

/**
 * Receives `POST /api/ingest`: streams each file part to a temporary folder (size-limited per
 * part, kind checked on the way) and hands the handler a {@link CatalogUpload}. The folder is
 * removed when the request ends; the service moves out what it keeps.
 */
@Injectable()
export class IngestUploadInterceptor implements NestInterceptor {
  private readonly rules: Readonly<Record<string, PartRule>>;

  constructor(
    @Inject(INGEST_OPTIONS) private readonly options: IngestOptions,
    private readonly folders: UploadFolders,
  ) {
    const { upload } = options;
    this.rules = {
      csv: {
        maxBytes: upload.csvBytes,
        limitName: 'UPLOAD_MAX_CSV_BYTES',
        check: () => textCheck('csv'),
      },
      archive: {
        maxBytes: upload.archiveBytes,
        limitName: 'UPLOAD_MAX_ARCHIVE_BYTES',
        check: () => zipCheck('archive'),
      },
      mapping: { maxBytes: upload.mappingBytes, check: () => textCheck('mapping') },
    };
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<RequestWithUpload>();
    if (!request.is('multipart/form-data')) {
      throw new UnsupportedMediaTypeException(
        `send the upload as multipart/form-data: ${HOW_TO_SEND}`,
      );
    }
    const folder = await this.folders.create();
    try {
      await this.receive(request, http.getResponse<Response>(), folder);
      request[CATALOG_UPLOAD] = catalogUploadOf(request.files as UploadedFiles | undefined);
    } catch (error) {
      await this.folders.remove(folder);
      throw this.describe(error);
    }
    return next.handle().pipe(finalize(() => void this.folders.remove(folder)));
  }

  private receive(request: Request, response: Response, folder: string): Promise<void> {
    const { upload } = this.options;
    const middleware = multer({
      storage: new UploadPartStorage(folder, this.rules),
      limits: {
        files: FILE_PARTS.length,
        fields: 10,
        parts: 20,
        fieldSize: upload.mappingBytes,
        fileSize: Math.max(upload.csvBytes, upload.archiveBytes, upload.mappingBytes),
      },
    }).fields(FILE_PARTS.map((name) => ({ name, maxCount: 1 })));
    return new Promise((resolve, reject) =>
      middleware(request, response, (error?: unknown) => (error ? reject(error) : resolve())),
    );
  }

  private describe(error: unknown): unknown {
    if (error instanceof HttpException) return error;
    if (!(error instanceof MulterError)) {
      const reason = error instanceof Error ? error.message : String(error);
      return new BadRequestException(`the multipart body cannot be read: ${reason}`);
    }
    const field = error.field ?? 'a part';
    switch (error.code) {
      case 'LIMIT_FILE_SIZE':
        return partTooLarge(field, this.rules[field]);
      case 'LIMIT_FIELD_VALUE':
        return new PayloadTooLargeException(
          `the ${field} field is larger than the ${formatBytes(this.options.upload.mappingBytes)} limit`,
        );
      case 'LIMIT_UNEXPECTED_FILE':
        return new BadRequestException(
          `unexpected file part "${field}": ${HOW_TO_SEND}, once each`,
        );
      case 'LIMIT_FILE_COUNT':
        return new BadRequestException(`too many files: ${HOW_TO_SEND}`);
      default:
        return new BadRequestException(`the multipart body is refused: ${error.message}`);
    }
  }
}

function catalogUploadOf(files: UploadedFiles | undefined): CatalogUpload {
  const partOf = (name: string): UploadedPart | undefined => {
    const file = files?.[name]?.[0];
    return file && { path: file.path, originalName: baseName(file.originalname), size: file.size };
  };
  const missing = REQUIRED_PARTS.filter((name) => partOf(name) === undefined);
  if (missing.length > 0) {
    const list = missing.map((name) => `"${name}"`).join(' and ');
    throw new BadRequestException(`missing file part ${list}: ${HOW_TO_SEND}`);
  }
  const mapping = partOf('mapping');
  return { csv: partOf('csv')!, archive: partOf('archive')!, ...(mapping && { mapping }) };
}

/** Browsers on Windows once sent `C:\fakepath\x.csv`; keep the name only, within the column's size. */
function baseName(name: string): string {
  return (name.split(/[\\/]/).pop() || 'upload').slice(0, 255);
}
