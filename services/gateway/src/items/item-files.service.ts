import { Injectable, NotFoundException, StreamableFile } from '@nestjs/common';
import { FileStorage, storageKeys } from '@imgsearch/storage';
import { open } from 'node:fs/promises';
import { IMAGE_SNIFF_BYTES, imageContentType } from './image-type.sniffer';

/** An item's stored original and thumbnail, streamed from FileStorage. */
@Injectable()
export class ItemFilesService {
  constructor(private readonly storage: FileStorage) {}

  original(id: string): Promise<StreamableFile> {
    return this.stream(storageKeys.original(id), `image of item ${id} not found`);
  }

  thumbnail(id: string): Promise<StreamableFile> {
    return this.stream(storageKeys.thumbnail(id), `thumbnail of item ${id} not found`);
  }

  /** Removes the original and the thumbnail of each item; files already gone are no error. */
  async remove(ids: string[]): Promise<void> {
    await Promise.all(
      ids.flatMap((id) => [
        this.storage.delete(storageKeys.original(id)),
        this.storage.delete(storageKeys.thumbnail(id)),
      ]),
    );
  }

  /**
   * Opens the file once: its first bytes name the content type, then the same handle streams
   * it, so a file replaced meanwhile cannot answer with another file's type.
   */
  private async stream(key: string, missing: string): Promise<StreamableFile> {
    const handle = await open(this.storage.pathOf(key), 'r').catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'ENOTDIR')
          throw new NotFoundException(missing);
        throw error;
      },
    );
    try {
      const { size } = await handle.stat();
      const head = Buffer.alloc(IMAGE_SNIFF_BYTES);
      const { bytesRead } = await handle.read(head, 0, IMAGE_SNIFF_BYTES, 0);
      const stream = handle.createReadStream({ start: 0, autoClose: true });
      return new StreamableFile(stream, {
        type: imageContentType(head.subarray(0, bytesRead)),
        length: size,
      });
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
}
