import type { ArchiveLease, ArchiveSource } from './ingest.ports';

/** What the cache needs of an open archive; `SafeZip` fits as is. */
export interface CachedArchive {
  readEntry(name: string): Promise<Buffer>;
  /** Frees the archive once its reads in flight have settled; never rejects. */
  close(): Promise<void> | void;
}

/** Options of {@link ZipArchiveCache}. */
export interface ZipArchiveCacheOptions {
  /** Opens the archive stored under a key, e.g. `SafeZip.open(storage.pathOf(key), limits)`. */
  readonly open: (archiveKey: string) => Promise<CachedArchive>;
  /**
   * Archives kept open when nobody uses them (`ARCHIVE_CACHE_SIZE`, default 4); the least
   * recently used is closed first. Archives in use are never closed, so more may be open while
   * more jobs than this run at once.
   */
  readonly capacity: number;
}

interface Slot {
  readonly key: string;
  readonly archive: Promise<CachedArchive>;
  leases: number;
}

/**
 * Keeps uploaded archives open between chunks: opening one reads its whole central directory,
 * and a catalogue of a million images arrives as hundreds of chunks of the same archive.
 */
export class ZipArchiveCache implements ArchiveSource {
  /** In least-recently-used order: a Map iterates in insertion order. */
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly options: ZipArchiveCacheOptions) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) {
      throw new RangeError(
        `ZipArchiveCache capacity must be a positive integer, got ${options.capacity}`,
      );
    }
  }

  async acquire(archiveKey: string): Promise<ArchiveLease> {
    const slot = this.use(archiveKey);
    slot.leases += 1;
    this.evictIdle();
    try {
      const archive = await slot.archive;
      return this.lease(slot, archive);
    } catch (error) {
      this.release(slot);
      throw error;
    }
  }

  /** Closes every archive nobody holds, and waits until they are; call on shutdown, after the jobs have stopped. */
  async close(): Promise<void> {
    const slots = [...this.slots.values()];
    this.slots.clear();
    await Promise.all(slots.map((slot) => closeWhenOpen(slot)));
  }

  private use(archiveKey: string): Slot {
    const cached = this.slots.get(archiveKey);
    if (cached !== undefined) {
      this.slots.delete(archiveKey);
      this.slots.set(archiveKey, cached);
      return cached;
    }
    const slot: Slot = { key: archiveKey, archive: this.options.open(archiveKey), leases: 0 };
    this.slots.set(archiveKey, slot);
    // A failed open is not kept: the next chunk tries again.
    slot.archive.catch(() => {
      if (this.slots.get(archiveKey) === slot) this.slots.delete(archiveKey);
    });
    return slot;
  }

  private lease(slot: Slot, archive: CachedArchive): ArchiveLease {
    let released = false;
    return {
      readEntry: (name) => archive.readEntry(name),
      release: () => {
        if (released) return;
        released = true;
        this.release(slot);
      },
    };
  }

  private release(slot: Slot): void {
    slot.leases -= 1;
    this.evictIdle();
  }

  private evictIdle(): void {
    for (const slot of this.slots.values()) {
      if (this.slots.size <= this.options.capacity) return;
      if (slot.leases > 0) continue;
      this.slots.delete(slot.key);
      void closeWhenOpen(slot);
    }
  }
}

async function closeWhenOpen(slot: Slot): Promise<void> {
  const archive = await slot.archive.catch(() => undefined);
  await archive?.close();
}
