import { freePort } from '../../src/lib/net/free-port';
import { startApp } from './support/app-process';
import { TestServers, startTestServers } from './support/test-app';

// The child loads the whole app before it listens: far longer on shared cores or through ts-node.
jest.setTimeout(120_000);

describe('a worker process with OPS_PORT', () => {
  let servers: TestServers;

  beforeAll(async () => {
    servers = await startTestServers();
  });
  afterAll(async () => {
    await servers?.stop();
  });

  it('answers /health and /metrics on its own port, and no API route', async () => {
    const opsPort = await freePort();
    const worker = startApp({
      APP_ROLE: 'worker',
      MONGODB_URI: `${servers.mongoUri}worker-ops`,
      REDIS_URL: servers.redis.url,
      HOST: '127.0.0.1',
      OPS_PORT: String(opsPort),
    });
    try {
      const url = await worker.url;
      expect(url).toBe(`http://127.0.0.1:${opsPort}`);

      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        status: 'ok',
        info: { mongodb: { status: 'up' }, redis: { status: 'up' } },
      });

      const metrics = await fetch(`${url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toMatch(/text\/plain/);
      const text = await metrics.text();
      expect(text).toContain('journeycast_process_cpu_user_seconds_total');
      expect(text).toMatch(/journeycast_http_requests_total\{method="GET",route="\/health",status="200"\} 1/);

      expect((await fetch(`${url}/v1/users/someone`)).status).toBe(404);
    } finally {
      expect(await worker.stop()).toBe(0);
    }
  });
});
