import {
  HubNotFoundError,
  HubResponseError,
  HubUnreachableError,
  ModelFetchError,
} from './fetch-errors';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

export interface HubClientOptions {
  /** Base URL of the hub or a mirror, e.g. `https://huggingface.co`. Default {@link DEFAULT_ENDPOINT}. */
  endpoint?: string;
  /** Repository id, `owner/name` (e.g. `Xenova/clip-vit-base-patch32`). */
  model: string;
  /** Branch, tag or commit to read. Default `main`. */
  revision?: string;
  /** Sent as a bearer token (HF_TOKEN) so private and gated repositories can be read. Default none. */
  token?: string;
  /**
   * How long to wait for response headers before calling the hub unreachable. Default 30 000 ms.
   * Body transfer has its own idle limit in resumable-download.ts, since a big tower can take minutes.
   */
  responseTimeoutMs?: number;
}

/** What the hub tells about one file; every field is optional because mirrors publish less. */
export interface RemoteFileInfo {
  path: string;
  size?: number;
  /** SHA-256 of the content, published for LFS files only. */
  sha256?: string;
  /** Git blob id, published for files stored in git itself. */
  gitBlobId?: string;
}

const MODEL_ID = /^[\w.-]+\/[\w.-]+$|^[\w.-]+$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Talks to a Hugging Face hub (or a mirror honouring HF_ENDPOINT): resolve URLs, the tree API,
 * HEAD metadata. Every fault becomes a ModelFetchError whose message names the endpoint, the model
 * and what to do, so callers can show it as is.
 */
export class HubClient {
  readonly endpoint: string;
  readonly model: string;
  readonly revision: string;
  private readonly token?: string;
  private readonly responseTimeoutMs: number;

  constructor(options: HubClientOptions) {
    const endpoint = (options.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
    if (!/^https?:\/\/[^/]+/.test(endpoint)) {
      throw new ModelFetchError(
        `endpoint must be an http(s) URL such as ${DEFAULT_ENDPOINT}, got "${options.endpoint}"`,
      );
    }
    if (
      !MODEL_ID.test(options.model) ||
      options.model.split('/').some((part) => part === '.' || part === '..')
    ) {
      throw new ModelFetchError(
        `model must be a hub id such as Xenova/clip-vit-base-patch32, got "${options.model}"`,
      );
    }
    this.endpoint = endpoint;
    this.model = options.model;
    this.revision = options.revision ?? 'main';
    this.token = options.token || undefined;
    this.responseTimeoutMs = options.responseTimeoutMs ?? 30_000;
  }

  /** `<endpoint>/<model>/resolve/<revision>/<path>`, the URL the hub serves file content from. */
  resolveUrl(path: string): string {
    return `${this.endpoint}/${this.model}/resolve/${encodeURIComponent(this.revision)}/${encodePath(path)}`;
  }

  /**
   * Files directly inside `dir` ('' for the root) from the tree API, with their checksums.
   * Returns undefined when the API does not answer usefully (some mirrors lack it), so the caller
   * can fall back to HEAD requests; a missing folder is an empty list.
   */
  async listDirectory(dir: string): Promise<RemoteFileInfo[] | undefined> {
    const suffix = dir ? `/${encodePath(dir)}` : '';
    let url: string | undefined =
      `${this.endpoint}/api/models/${this.model}/tree/${encodeURIComponent(this.revision)}${suffix}`;
    const files: RemoteFileInfo[] = [];
    // Large folders come in pages chained by `Link: <...>; rel="next"`.
    while (url) {
      const response = await this.request(url, { method: 'GET' });
      if (!response.ok) {
        await discard(response);
        const code = response.headers.get('x-error-code');
        this.throwIfModelMissing(response.status, code);
        if (response.status === 404 && code === 'EntryNotFound') return [];
        return undefined;
      }
      const entries = await readJson(response);
      if (!Array.isArray(entries)) return undefined;
      files.push(...entries.flatMap(toRemoteFile));
      url = nextPage(response.headers.get('link'), url);
    }
    return files;
  }

  /**
   * Size and checksum from a HEAD on the resolve URL. The hub answers LFS files with a redirect
   * to its CDN that carries `x-linked-etag` (the SHA-256) and `x-linked-size`, so the redirect is
   * read rather than followed. Returns undefined when the file does not exist.
   */
  async head(path: string): Promise<RemoteFileInfo | undefined> {
    const response = await this.request(this.resolveUrl(path), {
      method: 'HEAD',
      redirect: 'manual',
    });
    const code = response.headers.get('x-error-code');
    this.throwIfModelMissing(response.status, code);
    if (response.status === 404) return undefined;
    if (response.status >= 400)
      throw new HubResponseError(
        `${this.resolveUrl(path)} answered HTTP ${response.status} to HEAD`,
      );
    const sha256 = stripEtag(response.headers.get('x-linked-etag'));
    const isRedirect = response.status >= 300;
    const size = toSize(
      response.headers.get('x-linked-size') ??
        (isRedirect ? null : response.headers.get('content-length')),
    );
    return { path, size, sha256: sha256 && SHA256_HEX.test(sha256) ? sha256 : undefined };
  }

  /**
   * GETs a file's content from `offset` on (a `Range` request when offset > 0), following the
   * redirect to the CDN. Returns 200, 206 and 416 responses for the downloader to interpret;
   * anything else becomes an error naming the file.
   */
  async open(path: string, offset: number, signal?: AbortSignal): Promise<Response> {
    // identity: byte ranges of a compressed body would not line up with the bytes on disk.
    const headers: Record<string, string> = {
      'accept-encoding': 'identity',
      ...(offset > 0 ? { range: `bytes=${offset}-` } : {}),
    };
    const response = await this.request(this.resolveUrl(path), { method: 'GET', headers, signal });
    if (response.status === 200 || response.status === 206 || response.status === 416)
      return response;
    await discard(response);
    const code = response.headers.get('x-error-code');
    this.throwIfModelMissing(response.status, code);
    if (response.status === 404)
      throw new HubNotFoundError(`${path} does not exist in ${this.describeRepo()}.`);
    throw new HubResponseError(`${this.resolveUrl(path)} answered HTTP ${response.status}.`);
  }

  describeRepo(): string {
    return `${this.model}@${this.revision} at ${this.endpoint}`;
  }

  private throwIfModelMissing(status: number, code: string | null): void {
    if (code === 'RevisionNotFound') {
      throw new HubNotFoundError(
        `revision "${this.revision}" does not exist in model ${this.model} at ${this.endpoint}.`,
      );
    }
    if (code === 'GatedRepo') {
      const action = this.token
        ? 'the token in HF_TOKEN has not been granted access'
        : 'set HF_TOKEN to a token with access';
      throw new HubNotFoundError(
        `model ${this.model} is gated at ${this.endpoint}: accept its terms on the model page; ${action}.`,
      );
    }
    // The hub answers 401 rather than 404 for a repository it will not show an anonymous caller,
    // so "does not exist" and "needs a token" cannot be told apart; say both.
    if (status === 401 || status === 403 || code === 'RepoNotFound') {
      const tokenHint = this.token
        ? 'the token in HF_TOKEN was sent but does not grant access to it'
        : 'set HF_TOKEN if it is private or gated';
      throw new HubNotFoundError(
        `model ${this.model} does not exist at ${this.endpoint} or needs a token (HTTP ${status}): check the id, or ${tokenHint}.`,
      );
    }
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.responseTimeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout.signal]) : timeout.signal;
    const headers: Record<string, string> = {
      'user-agent': 'imgsearch-model-fetch',
      ...(init.headers as Record<string, string>),
    };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    try {
      return await fetch(url, { ...init, headers, signal });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      const reason = timeout.signal.aborted
        ? `no response within ${this.responseTimeoutMs / 1000} s`
        : describeNetworkError(error);
      throw new HubUnreachableError(this.endpoint, reason, { cause: error });
    } finally {
      // Only the wait for headers is bounded here; the body may legitimately take much longer.
      clearTimeout(timer);
    }
  }
}

/** The most specific text undici gives: `connect ECONNREFUSED 127.0.0.1:9`, `getaddrinfo ENOTFOUND host`. */
export function describeNetworkError(error: unknown): string {
  // Duck-typed rather than instanceof: errors raised inside undici may come from another realm
  // (jest's sandbox, for one), where instanceof Error is false.
  let current = asError(error);
  // fetch wraps the socket error as `cause`; happy-eyeballs may wrap it again in an AggregateError.
  for (let depth = 0; depth < 4 && current; depth++) {
    const next = asError(current.errors?.[0] ?? current.cause);
    if (!next) break;
    current = next;
  }
  if (!current) return String(error);
  if (current.message && current.message !== 'fetch failed') return current.message;
  return current.code ?? current.name ?? 'unknown network error';
}

interface ErrorLike {
  message?: string;
  name?: string;
  code?: string;
  cause?: unknown;
  errors?: unknown[];
}

function asError(value: unknown): ErrorLike | undefined {
  return typeof value === 'object' && value !== null && ('message' in value || 'code' in value)
    ? (value as ErrorLike)
    : undefined;
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function toRemoteFile(entry: unknown): RemoteFileInfo[] {
  if (typeof entry !== 'object' || entry === null) return [];
  const { type, path, size, oid, lfs } = entry as Record<string, unknown>;
  if (type !== 'file' || typeof path !== 'string') return [];
  const lfsInfo =
    typeof lfs === 'object' && lfs !== null ? (lfs as Record<string, unknown>) : undefined;
  const sha256 =
    typeof lfsInfo?.oid === 'string' && SHA256_HEX.test(lfsInfo.oid) ? lfsInfo.oid : undefined;
  return [
    {
      path,
      size: typeof size === 'number' ? size : undefined,
      sha256,
      // For an LFS file `oid` is the id of its pointer, not of the content, so it proves nothing.
      gitBlobId: !lfsInfo && typeof oid === 'string' ? oid : undefined,
    },
  ];
}

function nextPage(link: string | null, current: string): string | undefined {
  const match = link?.match(/<([^>]+)>\s*;\s*rel="?next"?/);
  return match ? new URL(match[1], current).toString() : undefined;
}

function stripEtag(etag: string | null): string | undefined {
  return etag?.replace(/^W\//, '').replace(/"/g, '').trim() || undefined;
}

function toSize(value: string | null): number | undefined {
  const size = value === null ? NaN : Number(value);
  return Number.isSafeInteger(size) && size >= 0 ? size : undefined;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}
