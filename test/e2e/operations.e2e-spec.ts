import { MetricsRegistry } from '../../src/common/metrics/metrics.registry';
import * as commands from '../../src/embedded-mongo/commands/dispatch';
import { countCommands } from '../setup/command-tally';
import { buildEvents } from '../factories/event.factory';
import { startTestMongo } from '../setup/mongo';
import { TestApp, TestServers, createTestApp, startTestServers } from './support/test-app';

describe('operations: /health, /metrics, /docs, graceful shutdown', () => {
  let servers: TestServers;
  let t: TestApp;

  beforeAll(async () => {
    servers = await startTestServers();
    t = await createTestApp(servers, { database: 'ops' });
  });
  afterAll(async () => {
    await t?.close();
    await servers?.stop();
  });

  it('reports MongoDB and Redis up', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { mongodb: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('asks MongoDB itself: one ping per check', async () => {
    const counting = countCommands();
    try {
      await t.http().get('/health').expect(200);
      // Only the ping: the boot's index builds may still be running.
      const pings = [...counting.take()].filter(([key]) => key.trim() === 'ping').map(([, work]) => work.calls);
      expect(pings).toEqual([1]);
    } finally {
      counting.stop();
    }
  });

  it('reports MongoDB down with 503 when it does not answer a ping within a second, though connected', async () => {
    const dispatch = commands.dispatch;
    const stalled: typeof dispatch = (body, ctx) =>
      'ping' in body
        ? new Promise((resolve) => setTimeout(() => resolve(dispatch(body, ctx)), 1500))
        : dispatch(body, ctx);
    (commands as { dispatch: typeof dispatch }).dispatch = stalled;
    try {
      const res = await t.http().get('/health').expect(503);
      expect(res.body.error).toEqual({ mongodb: { status: 'down', message: 'no answer in 1000 ms' } });
      expect(res.body.info.redis.status).toBe('up');
    } finally {
      (commands as { dispatch: typeof dispatch }).dispatch = dispatch;
    }
    await t.http().get('/health').expect(200);
  });

  it('reports MongoDB down with 503 when its server is gone', async () => {
    const mongo = await startTestMongo();
    const app = await createTestApp({ ...servers, mongoUri: mongo.uri }, { database: 'ops-db-down' });
    try {
      await mongo.stop();
      const res = await app.http().get('/health').expect(503);
      expect(res.body.error.mongodb.status).toBe('down');
      expect(res.body.info.redis.status).toBe('up');
    } finally {
      await app.close();
    }
  });

  it('exposes Prometheus metrics including ingest counters', async () => {
    const token = await t.createKey('ingest');
    const events = buildEvents(12);
    await t.http().post('/v1/events').set('Authorization', `Bearer ${token}`).send({ events }).expect(200);
    await t
      .http()
      .post('/v1/events')
      .set('Authorization', `Bearer ${token}`)
      .send({ events: events.slice(0, 2) })
      .expect(200);
    const res = await t.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toContain('journeycast_ingest_events_total{result="accepted"} 12');
    expect(res.text).toContain('journeycast_ingest_events_total{result="duplicate"} 2');
    expect(res.text).toMatch(/journeycast_http_requests_total\{method="POST",route="\/v1\/events",status="200"\} 2/);
    expect(res.text).toContain('journeycast_process_cpu_user_seconds_total');
  });

  it('serves the OpenAPI document and UI', async () => {
    const doc = await t.http().get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/events', '/v1/users/{userId}', '/v1/keys', '/health', '/metrics']),
    );
    // Documented once for every route of their kind: 415 where a body is read, 503 where a key is rate limited.
    const events = doc.body.paths['/v1/events'].post.responses;
    expect(events['415'].description).toMatch(/not JSON/);
    expect(events['503'].description).toMatch(/rate-limit store/);
    expect(doc.body.paths['/v1/campaigns/{campaignId}/estimate'].get.responses['503']).toBeDefined();
    expect(doc.body.paths['/v1/campaigns/{campaignId}/estimate'].get.responses['415']).toBeUndefined();
    // 400 for a query parameter the route does not take, or one given twice, on every /v1 route.
    expect(doc.body.paths['/v1/users/{userId}'].get.responses['400'].description).toMatch(/query parameter/);
    expect(events['400'].description).toMatch(/query parameter/);
    expect(doc.body.paths['/health'].get.responses['400']).toBeUndefined();
    await t.http().get('/docs').expect(200);
  });

  it('reports Redis down with 503 when it stops answering', async () => {
    const lonely = await startTestServers();
    const app = await createTestApp(lonely, { database: 'ops-down' });
    try {
      await lonely.redis.stop();
      const res = await app.http().get('/health').expect(503);
      expect(res.body.error.redis.status).toBe('down');
      expect(res.body.info.mongodb.status).toBe('up');
    } finally {
      await app.close();
      await lonely.stop();
      // ioredis gives a socket to an unreachable server 2 s to close before destroying it.
      await new Promise((resolve) => setTimeout(resolve, 2100));
    }
  });

  it('finishes an in-flight request before closing', async () => {
    const app = await createTestApp(servers, { database: 'ops-shutdown' });
    const token = await app.createKey('ingest');
    await app.app.listen(0, '127.0.0.1');
    const inFlight = app
      .http()
      .post('/v1/events')
      .set('Authorization', `Bearer ${token}`)
      .send({ events: buildEvents(1000) });
    const response = new Promise<{ status: number; body: { accepted: number } }>((resolve, reject) => {
      inFlight.then(resolve, reject);
    });
    // Close as soon as the server has started serving the request.
    const gauge = /journeycast_http_requests_in_flight (\d+)/;
    for (let i = 0; i < 200; i++) {
      const text = await app.app.get(MetricsRegistry).render();
      if (Number(gauge.exec(text)?.[1] ?? 0) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await app.close();
    const res = await response;
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(1000);
  });
});
