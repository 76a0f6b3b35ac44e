import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
}

/**
 * An error from express's own middleware (body-parser, via the http-errors package): it
 * carries the 4xx status to answer and, with `expose`, a message meant for the client.
 */
interface ClientHttpError extends Error {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  /** body-parser's kind of failure, e.g. `entity.too.large`, `encoding.unsupported`. */
  type?: string;
  /** With `entity.too.large`: the limit in bytes. */
  limit?: number;
  /** With a body that does not decompress: zlib's code, e.g. `Z_DATA_ERROR`. */
  code?: string;
}

/**
 * Gives every error response the same `{statusCode, error, message}` shape.
 * A request body that body-parser refuses (too large, badly compressed, an unknown encoding)
 * is answered with the 4xx it carries. Unexpected exceptions are logged and reported as a
 * bare 500 so internals never leak.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    const body = this.toBody(exception, host.switchToHttp().getRequest<Request>());
    if (exception instanceof HttpException) {
      const headers = (exception as HttpException & { headers?: Record<string, string> }).headers;
      for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, request: Request | undefined): ErrorBody {
    const clientStatus = clientErrorStatus(exception);
    if (clientStatus !== undefined) {
      // The client's mistake, answered as such: nothing for the error log.
      const message = clientMessage(exception as ClientHttpError, request);
      return { statusCode: clientStatus, error: errorName(clientStatus), message };
    }
    if (!(exception instanceof HttpException)) {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
      return { statusCode: 500, error: STATUS_CODES[500]!, message: 'Internal server error' };
    }
    const statusCode = exception.getStatus();
    const payload = exception.getResponse();
    const message =
      typeof payload === 'string'
        ? payload
        : ((payload as { message?: string | string[] }).message ?? exception.message);
    return { statusCode, error: errorName(statusCode), message };
  }
}

function errorName(statusCode: number): string {
  return STATUS_CODES[statusCode] ?? HttpStatus[statusCode] ?? 'Error';
}

/** The 4xx of an http-errors error whose message is meant for the client, else undefined. */
function clientErrorStatus(exception: unknown): number | undefined {
  if (!(exception instanceof Error) || exception instanceof HttpException) return undefined;
  const { status, statusCode, expose } = exception as ClientHttpError;
  const code = status ?? statusCode;
  if (expose !== true || typeof code !== 'number') return undefined;
  return Number.isInteger(code) && code >= 400 && code <= 499 ? code : undefined;
}

/** body-parser's messages, said the way the rest of the API says things. */
function clientMessage(error: ClientHttpError, request: Request | undefined): string {
  if (error.type === 'entity.too.large' && typeof error.limit === 'number') {
    return `request body is larger than the limit of ${error.limit} bytes`;
  }
  // zlib's failure, which body-parser passes on as a bare "Bad Request".
  if (typeof error.code === 'string' && error.code.startsWith('Z_')) {
    const encoding = request?.headers?.['content-encoding'];
    return encoding
      ? `request body is not valid ${JSON.stringify(encoding)} data, as its content-encoding says`
      : 'request body cannot be decompressed';
  }
  return error.message;
}
