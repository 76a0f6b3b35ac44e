import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { hashBytes } from '../sha256';

export interface RecordedRequest {
  method: string;
  path: string;
  range?: string;
}

/** Behaviour of the fake hub; tests change it between runs. */
export interface FakeHubBehaviour {
  /** Repository path -> content. Paths ending in `.onnx` are served like LFS files. */
  files: Map<string, Buffer>;
  /** Answer the tree API (`/api/models/...`); false imitates a mirror without it. Default true. */
  treeApi: boolean;
  /** SHA-256 the hub publishes instead of the real one, per path. */
  publishedSha256: Map<string, string>;
  /**
   * After this many bytes of the next GET of `path`, close the connection (or, with `stall`, send
   * nothing more while keeping it open); happens once.
   */
  cut?: { path: string; bytes: number; stall?: boolean };
  /** Answer every Range request with the whole file (200), like servers without range support. */
  ignoreRange: boolean;
}

/**
 * A Hugging Face hub in miniature on 127.0.0.1: resolve URLs (LFS files redirect to a CDN path
 * carrying `x-linked-etag`, as the real hub does), the tree API with sizes, git blob ids and LFS
 * SHA-256s, Range requests, and the hub's `x-error-code` answers for unknown repos and files.
 */
export class FakeHub {
  readonly requests: RecordedRequest[] = [];
  /** GETs that reached file content, by repository path. */
  readonly served: RecordedRequest[] = [];
  readonly behaviour: FakeHubBehaviour;
  private server?: Server;

  constructor(
    readonly model: string,
    files: Map<string, Buffer>,
  ) {
    this.behaviour = { files, treeApi: true, publishedSha256: new Map(), ignoreRange: false };
  }

  get endpoint(): string {
    const { port } = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The requests that were answered with content of one repository path, after any redirect. */
  contentRequests(path: string): RecordedRequest[] {
    return this.served.filter((request) => request.path === path);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    this.requests.push({ method: req.method ?? 'GET', path, range: req.headers.range });
    const treePrefix = `/api/models/${this.model}/tree/main`;
    const resolvePrefix = `/${this.model}/resolve/main/`;
    if (path.startsWith('/api/models/')) {
      if (!this.behaviour.treeApi) return end(res, 404, 'Not Found');
      if (!path.startsWith(treePrefix))
        return end(res, 404, '{"error":"Repository not found"}', {
          'x-error-code': 'RepoNotFound',
        });
      return this.listTree(path.slice(treePrefix.length).replace(/^\//, ''), res);
    }
    if (path.startsWith('/cdn/')) {
      const sha = path.split('/')[2];
      const entry = [...this.behaviour.files].find(([, bytes]) => hashBytes(bytes).sha256 === sha);
      return entry ? this.serve(entry[0], entry[1], req, res) : end(res, 404, 'no such blob');
    }
    if (!path.startsWith(resolvePrefix))
      return end(res, 404, 'Repository not found', { 'x-error-code': 'RepoNotFound' });
    const file = path.slice(resolvePrefix.length);
    const bytes = this.behaviour.files.get(file);
    if (!bytes) return end(res, 404, 'Entry not found', { 'x-error-code': 'EntryNotFound' });
    if (!isLfs(file)) return this.serve(file, bytes, req, res);
    res.writeHead(302, {
      location: `/cdn/${hashBytes(bytes).sha256}/${file.split('/').pop()}`,
      'x-linked-etag': `"${this.publishedSha(file, bytes)}"`,
      'x-linked-size': String(bytes.length),
    });
    res.end();
  }

  private listTree(dir: string, res: ServerResponse): void {
    const prefix = dir ? `${dir}/` : '';
    const children = [...this.behaviour.files].filter(([path]) => path.startsWith(prefix));
    if (dir && children.length === 0)
      return end(res, 404, '{"error":"Entry not found"}', { 'x-error-code': 'EntryNotFound' });
    const folders = new Set<string>();
    const entries: object[] = [];
    for (const [path, bytes] of children) {
      const rest = path.slice(prefix.length);
      if (rest.includes('/')) {
        folders.add(prefix + rest.split('/')[0]);
        continue;
      }
      const { size, gitBlobId } = hashBytes(bytes);
      entries.push(
        isLfs(path)
          ? {
              type: 'file',
              path,
              size,
              oid: 'pointer-blob-id',
              lfs: { oid: this.publishedSha(path, bytes), size, pointerSize: 134 },
            }
          : { type: 'file', path, size, oid: gitBlobId },
      );
    }
    for (const folder of folders)
      entries.push({ type: 'directory', path: folder, size: 0, oid: 'tree-id' });
    end(res, 200, JSON.stringify(entries), { 'content-type': 'application/json' });
  }

  private serve(path: string, bytes: Buffer, req: IncomingMessage, res: ServerResponse): void {
    if (req.method === 'HEAD') {
      res.writeHead(200, {
        'content-length': bytes.length,
        etag: `"${hashBytes(bytes).gitBlobId}"`,
      });
      return void res.end();
    }
    this.served.push({ method: 'GET', path, range: req.headers.range });
    const cut = this.behaviour.cut;
    if (cut?.path === path) {
      this.behaviour.cut = undefined;
      res.writeHead(200, { 'content-length': bytes.length });
      res.write(bytes.subarray(0, cut.bytes), () =>
        cut.stall ? undefined : res.socket?.destroy(),
      );
      return;
    }
    const start = Number(req.headers.range?.match(/^bytes=(\d+)-$/)?.[1] ?? NaN);
    if (Number.isNaN(start) || this.behaviour.ignoreRange) return end(res, 200, bytes);
    if (start >= bytes.length)
      return end(res, 416, '', { 'content-range': `bytes */${bytes.length}` });
    end(res, 206, bytes.subarray(start), {
      'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}`,
    });
  }

  private publishedSha(path: string, bytes: Buffer): string {
    return this.behaviour.publishedSha256.get(path) ?? hashBytes(bytes).sha256;
  }
}

function isLfs(path: string): boolean {
  return path.endsWith('.onnx');
}

function end(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
