import {
  ArgumentsHost,
  Body,
  Controller,
  INestApplication,
  Logger,
  Module,
  NotFoundException,
  Post,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { HttpErrorFilter } from './http-error.filter';

/** An error as the http-errors package (behind body-parser) makes them. */
function httpError(status: number, message: string, properties: Record<string, unknown> = {}) {
  return Object.assign(
    new Error(message),
    { status, statusCode: status, expose: status < 500 },
    properties,
  );
}

/** What the filter writes: the status and the JSON body. */
function answer(
  exception: unknown,
  headers: Record<string, string> = {},
): { status: number; body: unknown } {
  const sent = { status: 0, body: undefined as unknown };
  const response = {
    headersSent: false,
    setHeader: () => undefined,
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({ headers }) }),
  } as ArgumentsHost;
  new HttpErrorFilter().catch(exception, host);
  return sent;
}

describe(HttpErrorFilter.name, () => {
  let logged: jest.SpyInstance;

  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => logged.mockRestore());

  describe('unit', () => {
    it('answers an HttpException with its status and message', () => {
      expect(answer(new NotFoundException('item x not found'))).toEqual({
        status: 404,
        body: { statusCode: 404, error: 'Not Found', message: 'item x not found' },
      });
    });

    it('answers anything else with a bare 500 and logs it', () => {
      expect(answer(new Error('connect ECONNREFUSED http://10.0.0.5:8000'))).toEqual({
        status: 500,
        body: { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' },
      });
      expect(logged).toHaveBeenCalledTimes(1);
    });

    it("answers body-parser's 413 with the limit, without logging an error", () => {
      const tooLarge = httpError(413, 'request entity too large', {
        type: 'entity.too.large',
        limit: 102400,
        length: 200000,
      });
      expect(answer(tooLarge)).toEqual({
        status: 413,
        body: {
          statusCode: 413,
          error: 'Payload Too Large',
          message: 'request body is larger than the limit of 102400 bytes',
        },
      });
      expect(logged).not.toHaveBeenCalled();
    });

    it('answers an exposed 4xx with its status and message, whether it says status or statusCode', () => {
      const unsupported = httpError(415, 'unsupported content encoding "foo"');
      const legacy = Object.assign(new Error('request aborted'), { statusCode: 400, expose: true });
      expect(answer(unsupported)).toEqual({
        status: 415,
        body: {
          statusCode: 415,
          error: 'Unsupported Media Type',
          message: 'unsupported content encoding "foo"',
        },
      });
      expect(answer(legacy).body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'request aborted',
      });
    });

    it('names the content-encoding a body does not decompress with', () => {
      const zlib = httpError(400, 'Bad Request', { code: 'Z_DATA_ERROR', errno: -3 });
      expect(answer(zlib, { 'content-encoding': 'deflate' }).body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'request body is not valid "deflate" data, as its content-encoding says',
      });
    });

    it('keeps a 500 for errors that carry a status but are not to be shown, or are no 4xx', () => {
      const hidden = Object.assign(new Error('secret'), { status: 400, expose: false });
      const serverSide = httpError(500, 'stream encoding should not be set');
      expect(answer(hidden).status).toBe(500);
      expect(answer(serverSide).status).toBe(500);
      expect(answer({ status: 400, expose: true, message: 'not an Error' }).status).toBe(500);
      expect(logged).toHaveBeenCalledTimes(3);
    });
  });

  describe('with express body parsing', () => {
    @Controller()
    class EchoController {
      @Post('echo')
      echo(@Body() body: unknown): unknown {
        return body;
      }
    }
    @Module({ controllers: [EchoController] })
    class EchoModule {}

    let app: INestApplication;
    const post = () => request(app.getHttpServer()).post('/echo').type('json');

    beforeAll(async () => {
      const moduleRef = await Test.createTestingModule({ imports: [EchoModule] }).compile();
      app = moduleRef.createNestApplication({ logger: false });
      app.useGlobalFilters(new HttpErrorFilter());
      await app.init();
    });
    afterAll(() => app?.close());

    it('echoes a fine body, gzipped or not', async () => {
      const gzipped = await post()
        .set('content-encoding', 'gzip')
        .serialize((bytes) => bytes)
        .send(gzipSync(Buffer.from('{"a":1}')));
      expect((await post().send({ a: 1 })).body).toEqual({ a: 1 });
      expect(gzipped.body).toEqual({ a: 1 });
    });

    it('answers a JSON body over 100 kB with 413 naming the limit', async () => {
      const response = await post().send({ text: 'x'.repeat(200_000) });
      expect(response.status).toBe(413);
      expect(response.body).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message: 'request body is larger than the limit of 102400 bytes',
      });
    });

    it('answers a body that is not gzip but says so with 400', async () => {
      const response = await post().set('content-encoding', 'gzip').send('{"a":1}');
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'request body is not valid "gzip" data, as its content-encoding says',
      });
    });

    it('answers an unknown content-encoding with 415', async () => {
      const response = await post().set('content-encoding', 'foo').send('{"a":1}');
      expect(response.status).toBe(415);
      expect(response.body).toEqual({
        statusCode: 415,
        error: 'Unsupported Media Type',
        message: 'unsupported content encoding "foo"',
      });
    });

    it('answers malformed JSON with 400, as before', async () => {
      const response = await post().send('{"a":');
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('Bad Request');
    });

    it('logs none of these as errors', () => {
      expect(logged).not.toHaveBeenCalled();
    });
  });
});
