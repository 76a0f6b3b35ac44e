import { HttpException, PayloadTooLargeException } from '@nestjs/common';
import { formatBytes } from '@imgsearch/ingest';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Looks at a part's bytes as they stream past, to refuse a wrong kind of file early. */
export interface ContentCheck {
  /** Why the part is refused, judging by this chunk; undefined to go on. */
  inspect(chunk: Buffer): HttpException | undefined;
  /** Why the part is refused, judging by the whole of it; undefined to accept. */
  end(size: number): HttpException | undefined;
}

export interface PartRule {
  maxBytes: number;
  /** The variable that sets `maxBytes`, named in the refusal so an operator knows what to raise. */
  limitName?: string;
  /** A new check for each part; none accepts any bytes. */
  check?: () => ContentCheck;
}

type MulterFile = Express.Multer.File;

/**
 * A multer storage engine that streams each file part to `<folder>/<field name>` (never
 * whole into memory), enforcing a size limit per field and the field's content check.
 * A refused part fails the request with the HttpException that says why.
 */
export class UploadPartStorage implements StorageEngine {
  constructor(
    private readonly folder: string,
    private readonly rules: Readonly<Record<string, PartRule>>,
  ) {}

  _handleFile(
    _request: Request,
    file: MulterFile,
    callback: (error?: unknown, info?: Partial<MulterFile>) => void,
  ): void {
    const rule = this.rules[file.fieldname];
    if (rule === undefined) {
      file.stream.resume();
      callback(new Error(`no rule for the file part "${file.fieldname}"`));
      return;
    }
    const path = join(this.folder, file.fieldname);
    const guard = new PartGuard(file.fieldname, rule);
    pipeline(file.stream, guard, createWriteStream(path, { flags: 'wx' })).then(
      () => callback(null, { path, size: guard.size }),
      (error: unknown) => rm(path, { force: true }).finally(() => callback(error)),
    );
  }

  _removeFile(_request: Request, file: MulterFile, callback: (error: Error | null) => void): void {
    rm(file.path, { force: true }).then(
      () => callback(null),
      (error: Error) => callback(error),
    );
  }
}

/** 413 naming the part and its limit, for this engine and for multer's own size limit. */
export function partTooLarge(field: string, rule: PartRule | undefined): PayloadTooLargeException {
  if (rule === undefined) return new PayloadTooLargeException(`${field} is too large`);
  const variable = rule.limitName ? ` (${rule.limitName})` : '';
  return new PayloadTooLargeException(
    `${field} is larger than the ${formatBytes(rule.maxBytes)} limit${variable}`,
  );
}

class PartGuard extends Transform {
  size = 0;
  private readonly check: ContentCheck | undefined;

  constructor(
    private readonly field: string,
    private readonly rule: PartRule,
  ) {
    super();
    this.check = rule.check?.();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.rule.maxBytes) return done(partTooLarge(this.field, this.rule));
    done(this.check?.inspect(chunk) ?? null, chunk);
  }

  override _flush(done: TransformCallback): void {
    done(this.check?.end(this.size) ?? null);
  }
}
