import { LoggerService } from '@nestjs/common';
import Redis from 'ioredis';
import { RedisProcess, startRedisProcess } from '../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../src/embedded-mongo';
import { buildEvent } from '../factories/event.factory';
import { startTestMongo } from '../setup/mongo';
import { TestApp, createTestApp } from './support/test-app';

/** Records what the app logs, so the test can see Redis errors arrive through the app's logger. */
class RecordingLogger implements LoggerService {
  readonly records: Array<{ level: string; message: string; context?: string }> = [];
  private record(level: string, message: unknown, context?: unknown) {
    this.records.push({ level, message: String(message), context: typeof context === 'string' ? context : undefined });
  }
  log = (message: unknown, context?: unknown) => this.record('log', message, context);
  error = (message: unknown, _stack?: unknown, context?: unknown) => this.record('error', message, context);
  warn = (message: unknown, context?: unknown) => this.record('warn', message, context);
  debug = (message: unknown, context?: unknown) => this.record('debug', message, context);
  verbose = (message: unknown, context?: unknown) => this.record('verbose', message, context);
}

/** A real redis-server stopped under a running app and started again on the same port. */
describe('Redis outage', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let open: TestApp;
  let closed: TestApp;
  const logger = new RecordingLogger();
  let consoleErrors: jest.SpyInstance;

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startRedisProcess()]);
    const servers = { mongoUri: mongo.uri, redis, stop: async () => {} };
    closed = await createTestApp(servers, { database: 'outage', env: { RATE_LIMIT_FAILURE_MODE: 'closed' } });
    // Nest's logger is process-wide: the last app created with a logger sets it for both.
    open = await createTestApp(servers, { database: 'outage', logger });
    consoleErrors = jest.spyOn(console, 'error');
  });
  afterAll(async () => {
    consoleErrors?.mockRestore();
    await open?.close();
    await closed?.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  });

  const post = (t: TestApp, token: string) =>
    t
      .http()
      .post('/v1/events')
      .set('Authorization', `Bearer ${token}`)
      .send({ events: [buildEvent()] });
  const startRun = (t: TestApp, token: string) =>
    t.http().post('/v1/journey-runs').set('Authorization', `Bearer ${token}`).send({ kind: 'incremental' });

  async function waitForHealth(status: number) {
    for (let i = 0; i < 200; i++) {
      const [a, b] = await Promise.all([open.http().get('/health'), closed.http().get('/health')]);
      if (a.status === status && b.status === status) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`/health never answered ${status}`);
  }

  it('keeps serving while Redis is away, answers 503 with Retry-After where Redis is needed, and recovers', async () => {
    const [limited, admin] = [await open.createKey('ingest', 3), await open.createKey('admin')];
    await post(open, limited).expect(200);

    await redis.stop();
    await waitForHealth(503);

    // Fail open (the default): ingest goes on, and each process still holds the key to its limit.
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(open, limited)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    // Fail closed: every authenticated route says Redis is away and when to come back.
    const refused = await post(closed, admin).expect(503);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect(refused.body.message).toMatch(/Redis/);
    // A route that enqueues work needs Redis in both modes.
    const refusedRun = await startRun(open, admin).expect(503);
    expect(Number(refusedRun.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    // The outage was logged once through the app logger, never as ioredis's own console output.
    const outage = logger.records.filter((r) => r.context === 'Redis' && r.level === 'warn');
    expect(outage.length).toBeGreaterThanOrEqual(1);
    expect(outage[0].message).toMatch(/unreachable/);
    expect(consoleErrors.mock.calls.flat().join(' ')).not.toContain('[ioredis]');

    redis = await startRedisProcess('redis-server', redis.port);
    await waitForHealth(200);
    expect(logger.records.some((r) => r.context === 'Redis' && /restored/.test(r.message))).toBe(true);

    // Counted in Redis again, shared by both processes; queues work again.
    await post(closed, admin).expect(200);
    // Queues reconnect on their own connections, within Bull's retry delay.
    let run = await startRun(open, admin);
    for (let i = 0; i < 100 && run.status === 503; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      run = await startRun(open, admin);
    }
    expect(run.status).toBe(202);
    expect(await open.db().collection('journey_build_runs').countDocuments()).toBe(1);
    // ...and the run they carry is built to the end.
    let status = run.body as { runId: string; status: string };
    for (let i = 0; i < 300 && status.status !== 'completed' && status.status !== 'failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await open.http().get(`/v1/journey-runs/${run.body.runId}`).set('Authorization', `Bearer ${admin}`))
        .body as typeof status;
    }
    expect(status).toMatchObject({ status: 'completed', counts: { failed: 0 } });
    const fresh = await open.createKey('ingest', 2);
    const shared = [await post(open, fresh), await post(closed, fresh), await post(open, fresh)];
    expect(shared.map((r) => r.status)).toEqual([200, 200, 429]);
    const direct = new Redis(redis.url);
    try {
      expect(await direct.keys('outage:ratelimit:*')).not.toHaveLength(0);
    } finally {
      direct.disconnect();
    }
  });
});
