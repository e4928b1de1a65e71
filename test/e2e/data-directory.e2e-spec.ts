import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { EmbeddedMongo, readLock } from '../../src/embedded-mongo';
import { probeRedis } from '../../src/common/redis/redis-probe';
import { RedisProcess } from '../../src/common/redis/redis-process';
import { generatePopulation } from '../../src/lib/synthetic/population';
import { buildEvents } from '../factories/event.factory';
import { startTestRedis } from '../setup/redis';
import { AppProcess, startApp } from './support/app-process';
import { journeycast } from './support/cli';

// Each app and CLI command is a fresh Node process that loads the whole app before it runs: seconds each on two
// free cores, far more when the machine is shared or the sources go through ts-node.
jest.setTimeout(600_000);

/** What an operator sets to run the app on the embedded defaults, on private ports. */
function embeddedEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'log',
    MONGO_DATA_DIR: dataDir,
    MONGO_EMBEDDED_PORT: '0',
    ...extra,
  };
}

async function createKey(dataDir: string, scope: string): Promise<string> {
  // Only the data directory: the CLI finds the running app's embedded server through it.
  const { code, stdout, stderr } = await journeycast(['keys', 'create', '--scope', scope], { MONGO_DATA_DIR: dataDir });
  if (code !== 0) throw new Error(`keys create failed: ${stderr}`);
  return stdout.trim();
}

async function post(url: string, token: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('apps and CLI commands on one data directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'jc-data-dir-'));
  const apps: AppProcess[] = [];
  let redis: RedisProcess;

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    await redis.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("makes a second app use the first one's embedded server, not the server on its own MONGO_EMBEDDED_PORT", async () => {
    const dataDir = join(root, 'shared');
    const decoy = await EmbeddedMongo.start();
    try {
      const first = startApp(embeddedEnv(dataDir, { REDIS_URL: redis.url, REDIS_PREFIX: 'shared' }));
      apps.push(first);
      await first.url;
      const holder = readLock(dataDir)!;
      expect(holder.pid).toBe(first.child.pid);
      const second = startApp(
        embeddedEnv(dataDir, { REDIS_URL: redis.url, REDIS_PREFIX: 'shared', MONGO_EMBEDDED_PORT: String(decoy.port) }),
      );
      apps.push(second);
      const secondUrl = await second.url;
      expect(second.output()).toContain(
        `is served by running process ${holder.pid}: using mongodb://127.0.0.1:${holder.port}/`,
      );

      const token = await createKey(dataDir, 'ingest');
      const events = buildEvents(30, { userId: 'shared-user' });
      const response = await post(`${secondUrl}/v1/events`, token, { events });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ accepted: 30, duplicates: 0 });

      const owner = await MongoClient.connect(`mongodb://127.0.0.1:${holder.port}/`);
      const decoyClient = await MongoClient.connect(decoy.uri);
      try {
        expect(await owner.db('journeycast').collection('events').countDocuments({ userId: 'shared-user' })).toBe(30);
        expect(await owner.db('journeycast').collection('api_keys').countDocuments()).toBe(1);
        expect((await decoyClient.db().admin().listDatabases()).databases.map((d) => d.name)).not.toContain(
          'journeycast',
        );
      } finally {
        await owner.close();
        await decoyClient.close();
      }
      expect(await second.stop()).toBe(0);
      expect(await first.stop()).toBe(0);
    } finally {
      await decoy.stop();
    }
  });

  it("lets `journeys rebuild --wait` reach a running app's embedded server and private Redis", async () => {
    const dataDir = join(root, 'private');
    // No REDIS_URL: the app starts its own redis-server (unless one answers on 6379) and records it.
    const app = startApp(embeddedEnv(dataDir));
    apps.push(app);
    const url = await app.url;
    if (!(await probeRedis('127.0.0.1', 6379))) expect(app.output()).toContain('started a private redis-server');
    const token = await createKey(dataDir, 'ingest');
    const { events } = generatePopulation({ seed: 3, users: 4, now: new Date(Date.now() - 60_000), eventsPerUser: 30 });
    expect((await post(`${url}/v1/events`, token, { events })).status).toBe(200);

    const { code, stdout, stderr } = await journeycast(['journeys', 'rebuild', '--all', '--wait'], {
      MONGO_DATA_DIR: dataDir,
    });
    expect(stderr).toMatch(/completed, shards 1\/1, selected 4, built 4, skipped 0, failed 0/);
    expect(stdout.trim()).toMatch(/^full-/);
    expect(code).toBe(0);
    expect(await app.stop()).toBe(0);
    // A stopped app leaves nothing behind that could send the next command to a dead server.
    expect(readLock(dataDir)).toBeNull();
  });
});
