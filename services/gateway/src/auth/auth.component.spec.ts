import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createRedis } from '@imgsearch/queue';
import type { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startPostgres } from '../../../../scripts/stack/postgres-process';
import { RedisInstance, startRedis } from '../../../../scripts/stack/redis-process';
import type { GatewayConfig } from '../gateway.config';
import { aGatewayConfig, TEST_ADMIN } from '../test/gateway-test-app';
import { AuthModule } from './auth.module';
import { startAuthApp } from './test/auth-test-app';

type DatabaseConfig = Pick<GatewayConfig, 'DATABASE_URL' | 'SQLITE_PATH'>;

interface Backend {
  name: string;
  /** Starts the database in `folder` and says how to reach it; `stop` undoes it. */
  start(folder: string): Promise<DatabaseConfig & { stop(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'SQLite',
    start: async (folder) => ({
      SQLITE_PATH: join(folder, 'db', 'auth.sqlite'),
      stop: async () => undefined,
    }),
  },
  {
    name: 'PostgreSQL',
    start: async (folder) => {
      const postgres = await startPostgres(folder);
      return {
        DATABASE_URL: postgres.url,
        SQLITE_PATH: join(folder, 'unused.sqlite'),
        stop: () => postgres.process.stop(),
      };
    },
  },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PASSWORD = 'a perfectly fine password';
const JWT_SECRET = aGatewayConfig({}).JWT_SECRET;

describe(AuthModule.name, () => {
  let redisFolder: string;
  let redisServer: RedisInstance;

  beforeAll(async () => {
    redisFolder = mkdtempSync(join(tmpdir(), 'auth-redis-'));
    redisServer = await startRedis(redisFolder);
  });

  afterAll(async () => {
    await redisServer?.process.stop();
    rmSync(redisFolder, { recursive: true, force: true });
  });

  describe.each(backends)('on $name', (backend) => {
    let folder: string;
    let database: Awaited<ReturnType<Backend['start']>>;
    let redis: Redis;
    let app: INestApplication;
    /** A second gateway on the same database and Redis, as in a scaled deployment. */
    let replica: INestApplication;
    let counter = 0;

    const http = () => request(app.getHttpServer());
    const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
    const aUsername = (stem = 'user') => `${stem}-${++counter}`;
    const signup = (username: string, password = PASSWORD) =>
      http().post('/api/auth/signup').send({ username, password });
    const login = (username: string, password = PASSWORD) =>
      http().post('/api/auth/login').send({ username, password });
    const tokenOf = async (username: string, password = PASSWORD) =>
      (await login(username, password)).body.accessToken as string;
    const aSignedInUser = async (stem?: string) => {
      const username = aUsername(stem);
      const { body } = await signup(username);
      return { id: body.id as string, username, token: await tokenOf(username) };
    };

    beforeAll(async () => {
      folder = mkdtempSync(join(tmpdir(), 'auth-component-'));
      database = await backend.start(folder);
      redis = createRedis(redisServer.url, 'producer');
      await new Promise((resolve) => redis.once('ready', resolve));
      const { DATABASE_URL, SQLITE_PATH } = database;
      const config = aGatewayConfig({
        DATABASE_URL,
        SQLITE_PATH,
        QUEUE_PREFIX: `auth-test-${backend.name}-${Date.now()}`,
      });
      app = await startAuthApp(config, redis);
      replica = await startAuthApp(config, redis);
    }, 60_000);

    afterAll(async () => {
      await app?.close();
      await replica?.close();
      redis?.disconnect();
      await database?.stop();
      rmSync(folder, { recursive: true, force: true });
    });

    describe('POST /api/auth/signup', () => {
      it('creates a user with the user role', async () => {
        const response = await signup('Alice');
        expect(response.status).toBe(201);
        expect(response.body).toEqual({
          id: expect.stringMatching(UUID),
          username: 'alice',
          role: 'user',
        });
      });

      it('refuses a name already taken, whatever its case', async () => {
        const username = aUsername('dup');
        await signup(username);
        const response = await signup(username.toUpperCase());
        expect(response.status).toBe(409);
        expect(response.body).toEqual({
          statusCode: 409,
          error: 'Conflict',
          message: 'username already taken',
        });
      });

      it('names every password rule the password breaks', async () => {
        const short = await signup(aUsername(), 'zzzz');
        const sameAsName = await signup('Carol-77', 'carol-77');
        expect(short.status).toBe(400);
        expect(short.body.message).toEqual([
          'password must be at least 8 characters long',
          'password must not be one character repeated',
        ]);
        expect(sameAsName.body).toEqual({
          statusCode: 400,
          error: 'Bad Request',
          message: ['password must not be the same as the username'],
        });
      });

      it('refuses a malformed body with the validation messages', async () => {
        const response = await http()
          .post('/api/auth/signup')
          .send({ username: 'a b', password: 42, admin: true });
        expect(response.status).toBe(400);
        expect(response.body.message).toEqual(
          expect.arrayContaining([
            'property admin should not exist',
            'username may contain only letters, digits, ".", "_" and "-"',
            'password must be a string',
          ]),
        );
      });
    });

    describe('POST /api/auth/login', () => {
      it('issues a bearer token, whatever the case of the name', async () => {
        const username = aUsername('login');
        await signup(username);
        const response = await login(username.toUpperCase());
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          accessToken: expect.any(String),
          tokenType: 'Bearer',
          expiresIn: 3600,
        });
      });

      it('answers a wrong password and an unknown user identically', async () => {
        const username = aUsername('victim');
        await signup(username);
        const wrongPassword = await login(username, 'not the password');
        const unknownUser = await login(aUsername('nobody'));
        expect(wrongPassword.status).toBe(401);
        expect(wrongPassword.body).toEqual({
          statusCode: 401,
          error: 'Unauthorized',
          message: 'invalid username or password',
        });
        expect(unknownUser.status).toBe(401);
        expect(unknownUser.body).toEqual(wrongPassword.body);
      });

      it('refuses attempts beyond the per-username limit with 429 and Retry-After', async () => {
        const username = aUsername('guessed');
        await signup(username);
        for (let attempt = 0; attempt < 3; attempt++)
          expect((await login(username, 'guess')).status).toBe(401);
        const refused = await login(username);
        expect(refused.status).toBe(429);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
        expect(refused.body).toEqual({
          statusCode: 429,
          error: 'Too Many Requests',
          message: `too many login attempts; try again in ${refused.headers['retry-after']} seconds`,
        });
      });
    });

    describe('GET /api/auth/me', () => {
      it('describes the caller', async () => {
        const user = await aSignedInUser();
        const response = await http().get('/api/auth/me').set(bearer(user.token));
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ id: user.id, username: user.username, role: 'user' });
      });

      it('refuses a request without a token', async () => {
        const response = await http().get('/api/auth/me');
        expect(response.status).toBe(401);
        expect(response.body).toEqual({
          statusCode: 401,
          error: 'Unauthorized',
          message: 'missing bearer token',
        });
      });

      it('refuses a token signed with another key, and an expired one', async () => {
        const user = await aSignedInUser();
        const claims = { sub: user.id, username: user.username, role: 'admin', jti: 'forged' };
        const forged = new JwtService().sign(claims, { secret: 'x'.repeat(40), expiresIn: 60 });
        const expired = new JwtService().sign(
          { ...claims, exp: Math.floor(Date.now() / 1000) - 10 },
          { secret: JWT_SECRET },
        );
        const forgedResponse = await http().get('/api/auth/me').set(bearer(forged));
        const expiredResponse = await http().get('/api/auth/me').set(bearer(expired));
        expect(forgedResponse.status).toBe(401);
        expect(forgedResponse.body.message).toBe('invalid token');
        expect(expiredResponse.status).toBe(401);
        expect(expiredResponse.body.message).toBe('token expired');
      });
    });

    describe('POST /api/auth/logout', () => {
      it('revokes the token on every route and every replica, and only that token', async () => {
        const user = await aSignedInUser();
        const otherSession = await tokenOf(user.username);
        const logout = await http().post('/api/auth/logout').set(bearer(user.token));
        expect(logout.status).toBe(204);
        const revoked = {
          statusCode: 401,
          error: 'Unauthorized',
          message: 'token has been revoked',
        };
        for (const [server, method, path] of [
          [app, 'get', '/api/auth/me'],
          [app, 'post', '/api/auth/logout'],
          [app, 'get', '/api/users'],
          [replica, 'get', '/api/auth/me'],
        ] as const) {
          const client = request(server.getHttpServer());
          const response = await client[method](path).set(bearer(user.token));
          expect(response.status).toBe(401);
          expect(response.body).toEqual(revoked);
        }
        expect((await http().get('/api/auth/me').set(bearer(otherSession))).status).toBe(200);
      });
    });

    describe('/api/users', () => {
      const adminToken = () => tokenOf(TEST_ADMIN.username, TEST_ADMIN.password);

      it('is forbidden to an ordinary user', async () => {
        const user = await aSignedInUser();
        const response = await http().get('/api/users').set(bearer(user.token));
        expect(response.status).toBe(403);
        expect(response.body).toEqual({
          statusCode: 403,
          error: 'Forbidden',
          message: 'admin role required',
        });
      });

      it('lets the first admin list users and promote one, effective at once', async () => {
        const admin = await adminToken();
        const user = await aSignedInUser('promoted');
        const list = await http().get('/api/users').set(bearer(admin));
        expect(list.status).toBe(200);
        expect(list.body.users).toEqual(
          expect.arrayContaining([
            {
              id: expect.stringMatching(UUID),
              username: TEST_ADMIN.username,
              role: 'admin',
              createdAt: expect.any(String),
            },
            { id: user.id, username: user.username, role: 'user', createdAt: expect.any(String) },
          ]),
        );
        const promoted = await http()
          .patch(`/api/users/${user.id}`)
          .set(bearer(admin))
          .send({ role: 'admin' });
        expect(promoted.status).toBe(200);
        expect(promoted.body).toEqual({
          id: user.id,
          username: user.username,
          role: 'admin',
          createdAt: expect.any(String),
        });
        expect((await http().get('/api/users').set(bearer(user.token))).status).toBe(200);
        await http().patch(`/api/users/${user.id}`).set(bearer(admin)).send({ role: 'user' });
        expect((await http().get('/api/users').set(bearer(user.token))).status).toBe(403);
      });

      it('refuses to demote the last admin', async () => {
        const admin = await adminToken();
        const { body } = await http().get('/api/users').set(bearer(admin));
        const users = body.users as { id: string; username: string; role: string }[];
        for (const other of users.filter(
          (user) => user.role === 'admin' && user.username !== TEST_ADMIN.username,
        )) {
          await http().patch(`/api/users/${other.id}`).set(bearer(admin)).send({ role: 'user' });
        }
        const self = users.find((user) => user.username === TEST_ADMIN.username)!;
        const response = await http()
          .patch(`/api/users/${self.id}`)
          .set(bearer(admin))
          .send({ role: 'user' });
        expect(response.status).toBe(409);
        expect(response.body.message).toBe(
          'the last admin cannot be demoted; promote another user first',
        );
        expect((await http().get('/api/users').set(bearer(admin))).status).toBe(200);
      });

      it('answers 404 for an unknown id and 400 for a malformed id or role', async () => {
        const admin = await adminToken();
        const unknown = await http()
          .patch('/api/users/7d1f2a9e-3c4b-4d5e-8f60-1a2b3c4d5e6f')
          .set(bearer(admin))
          .send({ role: 'admin' });
        const malformedId = await http()
          .patch('/api/users/42')
          .set(bearer(admin))
          .send({ role: 'admin' });
        const unknownRole = await http()
          .patch('/api/users/7d1f2a9e-3c4b-4d5e-8f60-1a2b3c4d5e6f')
          .set(bearer(admin))
          .send({ role: 'root' });
        expect(unknown.status).toBe(404);
        expect(unknown.body).toEqual({
          statusCode: 404,
          error: 'Not Found',
          message: 'user not found',
        });
        expect(malformedId.status).toBe(400);
        expect(unknownRole.status).toBe(400);
        expect(unknownRole.body.message).toEqual(['role must be one of: user, admin']);
      });
    });

    it('reports the database in readiness', async () => {
      const response = await http().get('/health/ready');
      expect(response.status).toBe(200);
      expect(response.body.details.database).toEqual({ status: 'up' });
    });
  });
});
