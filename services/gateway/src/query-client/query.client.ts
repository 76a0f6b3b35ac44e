import {
  BadGatewayException,
  GatewayTimeoutException,
  HttpException,
  Inject,
  Injectable,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { MetadataPatch } from '@imgsearch/search-api';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import type {
  ImageUpload,
  ItemsQuery,
  QueryDeletion,
  QueryItem,
  QueryItemPage,
  QueryItemsById,
  QueryResults,
  SearchOptions,
} from './query-client.types';

interface Call {
  method: 'GET' | 'POST' | 'PATCH';
  /** Path on the query service, ids already encoded. */
  path: string;
  query?: Record<string, string | string[] | undefined>;
  json?: unknown;
  form?: FormData;
  requestId?: string;
}

/**
 * The query service over HTTP. Its 4xx answers pass through with their status and message
 * (the user's request was wrong); when it cannot be reached the caller gets 503, when it is
 * too slow 504, and when it fails 502.
 */
@Injectable()
export class QueryClient {
  private readonly logger = new Logger(QueryClient.name);
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(
    @Inject(GATEWAY_CONFIG) config: Pick<GatewayConfig, 'QUERY_URL' | 'QUERY_TIMEOUT_MS'>,
  ) {
    this.baseUrl = config.QUERY_URL.replace(/\/+$/, '');
    this.timeoutMs = config.QUERY_TIMEOUT_MS;
  }

  searchText(body: SearchOptions & { query: string }, requestId?: string): Promise<QueryResults> {
    return this.call({ method: 'POST', path: '/search/text', json: body, requestId });
  }

  searchImage(
    image: ImageUpload,
    options: SearchOptions,
    requestId?: string,
  ): Promise<QueryResults> {
    const form = new FormData();
    const type = image.mimetype || 'application/octet-stream';
    form.append('image', new Blob([image.buffer], { type }), image.originalname || 'image');
    for (const [name, value] of Object.entries(searchParams(options))) {
      if (value !== undefined) form.append(name, value);
    }
    return this.call({ method: 'POST', path: '/search/image', form, requestId });
  }

  similar(id: string, options: SearchOptions, requestId?: string): Promise<QueryResults> {
    const path = `/items/${encodeURIComponent(id)}/similar`;
    return this.call({ method: 'GET', path, query: searchParams(options), requestId });
  }

  getItem(id: string, requestId?: string): Promise<QueryItem> {
    return this.call({ method: 'GET', path: `/items/${encodeURIComponent(id)}`, requestId });
  }

  /** By `ids` (each sent as its own parameter, so ids may hold commas) or a page by cursor. */
  findItems(query: ItemsQuery, requestId?: string): Promise<QueryItemsById | QueryItemPage> {
    const params = {
      ids: query.ids,
      limit: query.limit?.toString(),
      cursor: query.cursor,
      where: query.where && JSON.stringify(query.where),
    };
    return this.call({ method: 'GET', path: '/items', query: params, requestId });
  }

  updateItem(id: string, metadata: MetadataPatch, requestId?: string): Promise<QueryItem> {
    const path = `/items/${encodeURIComponent(id)}`;
    return this.call({ method: 'PATCH', path, json: { metadata }, requestId });
  }

  deleteItems(ids: string[], requestId?: string): Promise<QueryDeletion> {
    return this.call({ method: 'POST', path: '/items/delete', json: { ids }, requestId });
  }

  private async call<T>(call: Call): Promise<T> {
    const url = new URL(`${this.baseUrl}${call.path}`);
    for (const [name, value] of Object.entries(call.query ?? {})) {
      for (const item of value === undefined ? [] : [value].flat())
        url.searchParams.append(name, item);
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (call.requestId) headers['x-request-id'] = call.requestId;
    if (call.json !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let payload: unknown;
    try {
      response = await fetch(url, {
        method: call.method,
        headers,
        body: call.json !== undefined ? JSON.stringify(call.json) : call.form,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      payload = await response.json().catch(() => undefined);
    } catch (error) {
      throw this.unreachable(call, error);
    }
    if (response.ok) return payload as T;
    throw this.refusal(call, response.status, payload);
  }

  private unreachable(call: Call, error: unknown): HttpException {
    // fetch's errors come from Node's own realm: compared by name, not instanceof.
    const failure = error as { name?: string; message?: string; cause?: { message?: string } };
    if (failure?.name === 'TimeoutError') {
      this.logger.warn(`${call.method} ${call.path}: no answer within ${this.timeoutMs} ms`);
      return new GatewayTimeoutException(
        `query service did not answer within ${this.timeoutMs} ms`,
      );
    }
    const reason = failure?.cause?.message ?? failure?.message ?? String(error);
    this.logger.warn(`${call.method} ${call.path}: query service unreachable: ${reason}`);
    return new ServiceUnavailableException('query service unavailable');
  }

  private refusal(call: Call, status: number, payload: unknown): HttpException {
    if (status === 503) return new ServiceUnavailableException('query service unavailable');
    if (status >= 500) {
      this.logger.error(`${call.method} ${call.path}: query service answered ${status}`);
      return new BadGatewayException(`query service failed (status ${status})`);
    }
    const message = hasMessage(payload) ? payload.message : `query service answered ${status}`;
    return new HttpException({ statusCode: status, message }, status);
  }
}

/** Search options as query-string or form fields: numbers as text, `where` as JSON. */
function searchParams(options: SearchOptions): Record<string, string | undefined> {
  return {
    topK: options.topK?.toString(),
    where: options.where && JSON.stringify(options.where),
    minScore: options.minScore?.toString(),
  };
}

function hasMessage(payload: unknown): payload is { message: string | string[] } {
  const message = (payload as { message?: unknown } | undefined)?.message;
  return (
    typeof message === 'string' ||
    (Array.isArray(message) && message.every((line) => typeof line === 'string'))
  );
}
