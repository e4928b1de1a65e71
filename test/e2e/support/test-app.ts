import { INestApplication, LoggerService } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import request from 'supertest';
import { createApp } from '../../../src/app.factory';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { loadConfig, Settings } from '../../../src/config';
import { AccessService } from '../../../src/modules/access/access.service';
import { Scope } from '../../../src/modules/access/domain/api-key';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';

// Booting servers and apps is quick alone but can be slow while the whole suite shares two cores.
jest.setTimeout(30_000);

/** One embedded MongoDB-compatible server and one real redis-server for a test file. */
export interface TestServers {
  mongoUri: string;
  redis: RedisProcess;
  stop(): Promise<void>;
}

export async function startTestServers(): Promise<TestServers> {
  const [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
  return {
    mongoUri: mongo.uri,
    redis,
    stop: async () => {
      await Promise.all([mongo.stop(), redis.stop()]);
    },
  };
}

export interface TestApp {
  app: INestApplication;
  settings: Settings;
  http(): ReturnType<typeof request>;
  createKey(scope: Scope, rateLimit?: number): Promise<string>;
  db(): Connection;
  close(): Promise<void>;
}

/**
 * The composed app (all roles) on the test servers; `env` adds or overrides configuration variables, and
 * `logger` receives the app's logs (none by default).
 */
export async function createTestApp(
  servers: TestServers,
  options: { database: string; env?: Record<string, string>; logger?: LoggerService },
): Promise<TestApp> {
  const settings = loadConfig({
    NODE_ENV: 'test',
    MONGODB_URI: `${servers.mongoUri}${options.database}`,
    REDIS_URL: servers.redis.url,
    REDIS_PREFIX: options.database,
    ...options.env,
  });
  const app = await createApp(settings, options.logger ?? false);
  await app.init();
  return {
    app,
    settings,
    http: () => request(app.getHttpServer()),
    createKey: async (scope, rateLimit) =>
      (await app.get(AccessService).createKey({ name: `test ${scope}`, scopes: [scope], rateLimit })).token,
    db: () => app.get<Connection>(getConnectionToken()),
    close: () => app.close(),
  };
}

/** A test file's servers, app and one key per scope, filled in by the hooks useTestApp registers. */
export interface AppFixture {
  servers: TestServers;
  t: TestApp;
  ingest: string;
  admin: string;
}

/** Registers beforeAll/afterAll hooks that start servers, the app and an ingest and an admin key, then stop them. */
export function useTestApp(options: { database: string; env?: Record<string, string> }): AppFixture {
  const fixture = {} as AppFixture;
  beforeAll(async () => {
    fixture.servers = await startTestServers();
    fixture.t = await createTestApp(fixture.servers, options);
    [fixture.ingest, fixture.admin] = await Promise.all([fixture.t.createKey('ingest'), fixture.t.createKey('admin')]);
  });
  afterAll(async () => {
    await fixture.t?.close();
    await fixture.servers?.stop();
  });
  return fixture;
}
