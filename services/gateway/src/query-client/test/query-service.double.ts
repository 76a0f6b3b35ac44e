import {
  createServer,
  IncomingHttpHeaders,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the double received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body as JSON, when it was JSON. */
  json?: unknown;
}

export interface Answer {
  status: number;
  body?: unknown;
  /** Waits this long before answering. */
  delayMs?: number;
}

/** Stands in for the query service: records each request and answers as told. */
export class QueryServiceDouble {
  readonly received: ReceivedRequest[] = [];
  private answerWith: (request: ReceivedRequest) => Answer = () => ({ status: 200, body: {} });

  private readonly server: Server = createServer((request, response) =>
    this.handle(request, response),
  );

  static async start(): Promise<QueryServiceDouble> {
    const double = new QueryServiceDouble();
    await new Promise<void>((resolve) => double.server.listen(0, '127.0.0.1', resolve));
    return double;
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://double');
      const body = Buffer.concat(chunks);
      const received: ReceivedRequest = {
        method: request.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: request.headers,
        body,
        json: request.headers['content-type']?.startsWith('application/json')
          ? JSON.parse(body.toString('utf8'))
          : undefined,
      };
      this.received.push(received);
      const answer = this.answerWith(received);
      setTimeout(() => {
        if (response.destroyed) return;
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
      }, answer.delayMs ?? 0);
    });
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  answer(answerWith: (request: ReceivedRequest) => Answer): void {
    this.answerWith = answerWith;
  }

  /** The last request's multipart form, parsed as the query service would. */
  async lastForm(): Promise<FormData> {
    const last = this.received[this.received.length - 1];
    const type = last.headers['content-type'] ?? '';
    return new Response(last.body, { headers: { 'content-type': type } }).formData();
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
