import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { FileStorage } from '@imgsearch/storage';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Storage key of the folder that holds uploads still being received or checked. */
export const INCOMING_UPLOADS_KEY = 'tmp/uploads';
/** An upload folder this old belongs to a process that died mid-request. */
const STALE_AFTER_MS = 24 * 3600 * 1000;

/**
 * One temporary folder per upload request, under DATA_DIR so that keeping the files is a
 * rename, not a copy. Folders a crashed process left behind are swept at start; a day's age
 * keeps the sweep away from requests other replicas are serving.
 */
@Injectable()
export class UploadFolders implements OnModuleInit {
  private readonly logger = new Logger(UploadFolders.name);
  private readonly root: string;

  constructor(storage: FileStorage) {
    this.root = storage.pathOf(INCOMING_UPLOADS_KEY);
  }

  async create(): Promise<string> {
    const folder = join(this.root, randomUUID());
    await mkdir(folder, { recursive: true });
    return folder;
  }

  async remove(folder: string): Promise<void> {
    await rm(folder, { recursive: true, force: true }).catch((error: unknown) =>
      this.logger.warn({ msg: 'could not remove an upload folder', folder, err: error }),
    );
  }

  async onModuleInit(): Promise<void> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    const now = Date.now();
    for (const name of names) {
      const folder = join(this.root, name);
      const info = await stat(folder).catch(() => undefined);
      if (info && now - info.mtimeMs > STALE_AFTER_MS) await this.remove(folder);
    }
  }
}
