import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEvents } from '../factories/event.factory';
import { startApp } from './support/app-process';
import { TestApp, TestServers, createTestApp, startTestServers } from './support/test-app';

// The child loads the whole app (every role's modules) before it listens: far longer when two cores are shared
// or the sources go through ts-node.
jest.setTimeout(120_000);

describe('the app process (src/main.ts)', () => {
  let servers: TestServers;
  let t: TestApp;

  beforeAll(async () => {
    servers = await startTestServers();
    t = await createTestApp(servers, { database: 'main' });
  });
  afterAll(async () => {
    await t?.close();
    await servers?.stop();
  });

  it('logs JSON lines in production, and on SIGTERM finishes the in-flight request, then exits 0', async () => {
    const token = await t.createKey('ingest');
    const main = startApp({
      NODE_ENV: 'production',
      MONGODB_URI: `${servers.mongoUri}main`,
      REDIS_URL: servers.redis.url,
      TRACKING_SIGNING_KEYS: `k1:${'s'.repeat(32)}`,
      PUBLIC_BASE_URL: 'https://links.example.com',
      HOST: '127.0.0.1',
      PORT: '0',
    });
    const url = await main.url;
    const exited = new Promise<number | null>((resolve) => main.child.once('exit', resolve));

    const events = buildEvents(1000, { userId: 'main-user', properties: { note: 'x'.repeat(700) } });
    const inFlight = fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    // Signal as soon as the server is serving the batch (the /metrics request itself counts as one).
    for (let i = 0; i < 100; i++) {
      const metrics = await (await fetch(`${url}/metrics`)).text();
      if (Number(/journeycast_http_requests_in_flight (\d+)/.exec(metrics)?.[1] ?? 0) >= 2) break;
    }
    main.child.kill('SIGTERM');

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: 1000, duplicates: 0 });
    expect(await exited).toBe(0);
    expect(await t.db().collection('events').countDocuments({ userId: 'main-user' })).toBe(1000);

    const lines = main
      .output()
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.map((line) => JSON.parse(line) as { context?: string; message?: unknown }).at(-1)).toMatchObject({
      context: 'Shutdown',
      message: 'stopped',
    });
  });

  it('stops with one line naming the variable and the path when a push key file is missing', async () => {
    const missing = join(tmpdir(), 'jc-no-such-dir', 'service-account.json');
    const main = startApp({
      APP_ROLE: 'worker',
      MONGODB_URI: `${servers.mongoUri}main`,
      REDIS_URL: servers.redis.url,
      DELIVERY_PUSH_CHANNEL: 'providers',
      FCM_SERVICE_ACCOUNT_FILE: missing,
    });
    const closed = new Promise<number | null>((resolve) => main.child.once('close', resolve));
    expect(await closed).toBe(1);
    expect(main.output()).toBe(
      `Invalid configuration: FCM_SERVICE_ACCOUNT_FILE ${missing} cannot be read: no such file or directory\n`,
    );
  });
});
