import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';

/** A JSON body whose shape the caller knows (and a test asserts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small HTTP client for the gateway's API, used by the CLI, the demo and the e2e tests. */
export class GatewayClient {
  constructor(
    readonly baseUrl: string,
    private token?: string,
  ) {}

  withToken(token: string | undefined): GatewayClient {
    return new GatewayClient(this.baseUrl, token);
  }

  async login(username: string, password: string): Promise<GatewayClient> {
    const response = await this.post<{ accessToken: string }>('/api/auth/login', {
      username,
      password,
    });
    if (response.status !== 200)
      throw new Error(`login as ${username} failed: ${JSON.stringify(response.body)}`);
    return this.withToken(response.body.accessToken);
  }

  async signupAndLogin(
    username: string,
    password = 'a-long-enough-password',
  ): Promise<GatewayClient> {
    await this.post('/api/auth/signup', { username, password });
    return this.login(username, password);
  }

  get<T = Json>(path: string): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path);
  }

  post<T = Json>(path: string, body?: unknown): Promise<ApiResponse<T>> {
    return this.request<T>(
      'POST',
      path,
      body === undefined ? undefined : JSON.stringify(body),
      'application/json',
    );
  }

  patch<T = Json>(path: string, body: unknown): Promise<ApiResponse<T>> {
    return this.request<T>('PATCH', path, JSON.stringify(body), 'application/json');
  }

  delete<T = Json>(path: string): Promise<ApiResponse<T>> {
    return this.request<T>('DELETE', path);
  }

  /** A plain GET whose body the caller reads (images, CSV, event streams). */
  raw(path: string): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
    });
  }

  /** Sends files (streamed from disk) and text fields as multipart/form-data. */
  async upload<T = Json>(
    path: string,
    files: Record<string, string>,
    fields: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const form = new FormData();
    for (const [field, file] of Object.entries(files))
      form.append(field, await openAsBlob(file), basename(file));
    for (const [field, value] of Object.entries(fields)) form.append(field, value);
    return this.request<T>('POST', path, form);
  }

  private async request<T>(
    method: string,
    path: string,
    body?: string | FormData,
    contentType?: string,
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (contentType) headers['content-type'] = contentType;
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.includes('json');
    return {
      status: response.status,
      body: (isJson && text ? JSON.parse(text) : text) as T,
      headers: response.headers,
    };
  }
}

export interface IngestStatus {
  jobId: string;
  state: string;
  progress: { total: number; embedded: number; skipped: number; failed: number };
  errors: { row: number; id?: string; file?: string; reason: string }[];
  reason?: string;
}

/** Polls an ingest job until it ends; fails with the last status when it does not in time. */
export async function waitForJob(
  api: GatewayClient,
  jobId: string,
  timeoutMs = 90_000,
  onStatus?: (status: IngestStatus) => void,
): Promise<IngestStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: ApiResponse<IngestStatus> | undefined;
  while (Date.now() < deadline) {
    last = await api.get<IngestStatus>(`/api/ingest/${jobId}`);
    if (last.status !== 200)
      throw new Error(`job ${jobId}: ${last.status} ${JSON.stringify(last.body)}`);
    onStatus?.(last.body);
    if (['completed', 'failed', 'cancelled'].includes(last.body.state)) return last.body;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`job ${jobId} did not end in ${timeoutMs} ms: ${JSON.stringify(last?.body)}`);
}
