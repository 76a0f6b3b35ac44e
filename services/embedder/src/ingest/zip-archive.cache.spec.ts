import { type CachedArchive, ZipArchiveCache } from './zip-archive.cache';

/** Opens fake archives and remembers which were opened and closed. */
class ArchiveOpener {
  readonly opened: string[] = [];
  readonly closed: string[] = [];
  readonly failing = new Set<string>();
  /** How long closing takes, as SafeZip waits for the reads in flight before closing its file. */
  closeMs = 0;

  readonly open = async (key: string): Promise<CachedArchive> => {
    this.opened.push(key);
    if (this.failing.has(key)) throw new Error(`ENOENT: ${key}`);
    return {
      readEntry: async (name) => Buffer.from(`${key}/${name}`),
      close: async () => {
        if (this.closeMs > 0) await new Promise((resolve) => setTimeout(resolve, this.closeMs));
        this.closed.push(key);
      },
    };
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe(ZipArchiveCache.name, () => {
  describe('acquire', () => {
    it('opens an archive once for all the chunks that read it', async () => {
      const opener = new ArchiveOpener();
      const cache = new ZipArchiveCache({ open: opener.open, capacity: 2 });

      const leases = await Promise.all([cache.acquire('a.zip'), cache.acquire('a.zip')]);
      leases.forEach((lease) => lease.release());
      const again = await cache.acquire('a.zip');

      await expect(again.readEntry('x.jpg')).resolves.toEqual(Buffer.from('a.zip/x.jpg'));
      expect(opener.opened).toEqual(['a.zip']);
    });

    it('closes the least recently used idle archive beyond its capacity', async () => {
      const opener = new ArchiveOpener();
      const cache = new ZipArchiveCache({ open: opener.open, capacity: 2 });

      (await cache.acquire('a.zip')).release();
      (await cache.acquire('b.zip')).release();
      (await cache.acquire('a.zip')).release();
      (await cache.acquire('c.zip')).release();
      await flush();

      expect(opener.closed).toEqual(['b.zip']);
    });

    it('never closes an archive while a chunk reads it', async () => {
      const opener = new ArchiveOpener();
      const cache = new ZipArchiveCache({ open: opener.open, capacity: 1 });

      const busy = await cache.acquire('a.zip');
      (await cache.acquire('b.zip')).release();
      await flush();
      expect(opener.closed).toEqual(['b.zip']);

      await expect(busy.readEntry('x.jpg')).resolves.toBeDefined();
      busy.release();
      busy.release();
      await flush();
      expect(opener.closed).toEqual(['b.zip']);
      (await cache.acquire('c.zip')).release();
      await flush();
      expect(opener.closed).toEqual(['b.zip', 'a.zip']);
    });

    it('tries again after an archive failed to open', async () => {
      const opener = new ArchiveOpener();
      const cache = new ZipArchiveCache({ open: opener.open, capacity: 2 });
      opener.failing.add('a.zip');

      await expect(cache.acquire('a.zip')).rejects.toThrow('ENOENT');
      opener.failing.clear();

      await expect(cache.acquire('a.zip')).resolves.toBeDefined();
      expect(opener.opened).toEqual(['a.zip', 'a.zip']);
    });

    it('refuses a capacity below one', () => {
      expect(() => new ZipArchiveCache({ open: new ArchiveOpener().open, capacity: 0 })).toThrow(
        'capacity must be a positive integer',
      );
    });
  });

  describe('close', () => {
    it('closes every open archive', async () => {
      const opener = new ArchiveOpener();
      const cache = new ZipArchiveCache({ open: opener.open, capacity: 4 });
      (await cache.acquire('a.zip')).release();
      (await cache.acquire('b.zip')).release();

      await cache.close();

      expect(opener.closed.sort()).toEqual(['a.zip', 'b.zip']);
    });

    it('waits until every archive has finished closing', async () => {
      const opener = new ArchiveOpener();
      opener.closeMs = 50;
      const cache = new ZipArchiveCache({ open: opener.open, capacity: 4 });
      (await cache.acquire('a.zip')).release();

      await cache.close();

      expect(opener.closed).toEqual(['a.zip']);
    });
  });
});
