import { TcpRelay } from '../setup/tcp-relay';
import { createTestApp, TestApp, TestServers, startTestServers } from './support/test-app';

/** The port of a `mongodb://host:port/` or `redis://host:port` URL. */
const portOf = (url: string) => Number(new URL(url).port);

describe('/health and /metrics when a dependency hangs', () => {
  let servers: TestServers;
  let mongo: TcpRelay;
  let redis: TcpRelay;
  let t: TestApp;

  beforeAll(async () => {
    servers = await startTestServers();
    [mongo, redis] = await Promise.all([
      TcpRelay.start({ host: '127.0.0.1', port: portOf(servers.mongoUri) }),
      TcpRelay.start({ host: '127.0.0.1', port: servers.redis.port }),
    ]);
    t = await createTestApp(
      {
        ...servers,
        mongoUri: `mongodb://127.0.0.1:${mongo.port}/`,
        redis: { ...servers.redis, url: `redis://127.0.0.1:${redis.port}` },
      },
      { database: 'health_timeouts' },
    );
    await t.http().get('/health').expect(200);
  });
  afterEach(() => {
    mongo.thaw();
    redis.thaw();
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
    await servers?.stop();
  });

  // The request completes only because each check gives up on its own: the servers never answer.
  it('answers 503 with MongoDB down when MongoDB keeps the connection open and never answers', async () => {
    mongo.freeze();
    const res = await t.http().get('/health').expect(503);
    expect(res.body.error).toEqual({ mongodb: { status: 'down', message: 'no answer in 1000 ms' } });
    expect(res.body.info.redis).toEqual({ status: 'up' });
  });

  it('answers 503 with Redis down when Redis keeps the connection open and never answers', async () => {
    redis.freeze();
    const res = await t.http().get('/health').expect(503);
    expect(res.body.error.redis.status).toBe('down');
    expect(res.body.info.mongodb).toEqual({ status: 'up' });
  });

  it('answers 503 naming both when neither answers', async () => {
    mongo.freeze();
    redis.freeze();
    const res = await t.http().get('/health').expect(503);
    expect(res.body).toMatchObject({
      status: 'error',
      error: { mongodb: { status: 'down' }, redis: { status: 'down' } },
    });
  });

  it('gives up on Redis after a second even when Redis commands may wait longer', async () => {
    const patient = await createTestApp(
      { ...servers, redis: { ...servers.redis, url: `redis://127.0.0.1:${redis.port}` } },
      { database: 'health_timeouts_patient', env: { REDIS_COMMAND_TIMEOUT_MS: '60000' } },
    );
    try {
      redis.freeze();
      const res = await patient.http().get('/health').expect(503);
      expect(res.body.error).toEqual({ redis: { status: 'down', message: 'no answer in 1000 ms' } });
    } finally {
      redis.thaw();
      await patient.close();
    }
  });

  // Values read at scrape time are left out; the rest of the page (HTTP, process, per-process counters) is served.
  it.each([
    ['MongoDB', () => mongo],
    ['Redis', () => redis],
  ])('serves /metrics when %s never answers', async (_, relay) => {
    relay().freeze();
    const res = await t.http().get('/metrics').expect(200);
    expect(res.text).toContain('journeycast_process_cpu_user_seconds_total');
    expect(res.text).toMatch(/journeycast_http_requests_total\{method="GET",route="\/health",status="\d{3}"\} \d/);
  });

  it('answers 200 again once both answer', async () => {
    for (let i = 0; i < 50; i++) {
      if ((await t.http().get('/health')).status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('/health stayed down after MongoDB and Redis answered again');
  });
});
