import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { Db, MongoClient } from 'mongodb';
import { RedisProcess } from '../../src/common/redis/redis-process';
import { freePort } from '../../src/lib/net/free-port';
import { loadConfig } from '../../src/config';
import { AccessModule } from '../../src/modules/access/access.module';
import { AccessService } from '../../src/modules/access/access.service';
import { generatePopulation } from '../../src/lib/synthetic/population';
import { startNestContext } from '../setup/nest-context';
import { total } from '../setup/prometheus';
import { startTestRedis } from '../setup/redis';
import { AppProcess, startApp, startEmbeddedMongoProcess } from './support/app-process';

// Five processes load the whole app at once on two shared cores.
jest.setTimeout(300_000);

const USERS = 90;
const SHARD_SIZE = 5;
const SHARD_JOB = /queue="journeys",job="journeys\.build-shard",outcome="completed"/;

interface RunBody {
  runId: string;
  status: string;
  shardCount: number;
  counts: Record<string, number>;
}

/** Shard jobs a worker process ran to completion, from its own /metrics. */
async function shardJobsOf(worker: AppProcess): Promise<number> {
  const url = `${await worker.url}/metrics`;
  const response = await fetch(url).catch((error: unknown) => {
    throw new Error(`GET ${url} failed: ${String((error as { cause?: unknown }).cause ?? error)}`);
  });
  const page = await response.text();
  return total(page, 'journeycast_queue_job_duration_seconds_count', SHARD_JOB);
}

describe('the roles as separate processes on one standalone embedded server and one Redis', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jc-scale-out-'));
  const processes: AppProcess[] = [];
  let redis: RedisProcess;
  let client: MongoClient;
  let db: Db;
  let api: string;
  let workers: AppProcess[];
  let scheduler: AppProcess;
  let admin: string;

  const as = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });

  async function requestRun(): Promise<RunBody> {
    const created = await fetch(`${api}/v1/journey-runs`, {
      method: 'POST',
      headers: as(admin),
      body: JSON.stringify({ kind: 'full' }),
    });
    expect(created.status).toBe(202);
    const { runId } = (await created.json()) as RunBody;
    for (;;) {
      const run = (await (await fetch(`${api}/v1/journey-runs/${runId}`, { headers: as(admin) })).json()) as RunBody;
      if (run.status === 'completed' || run.status === 'failed') return run;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  beforeAll(async () => {
    redis = await startTestRedis();
    const mongo = startEmbeddedMongoProcess(join(dataDir, 'mongo'));
    processes.push(mongo);
    const mongoUri = `${await mongo.url}/scale_out`;
    const env = (role: string, extra: Record<string, string> = {}) => ({
      APP_ROLE: role,
      MONGODB_URI: mongoUri,
      REDIS_URL: redis.url,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'log',
      JOURNEYS_SHARD_SIZE: String(SHARD_SIZE),
      // One shard at a time per worker, so neither can take the whole run while the other is busy.
      JOURNEYS_CONCURRENCY: '1',
      ...extra,
    });
    const [apiPort, ops1, ops2, ops3] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const apiProcess = startApp(env('api', { PORT: String(apiPort) }));
    workers = [
      startApp(env('worker', { OPS_PORT: String(ops1) })),
      startApp(env('worker', { OPS_PORT: String(ops2) })),
    ];
    scheduler = startApp(env('scheduler', { OPS_PORT: String(ops3) }));
    processes.push(apiProcess, ...workers, scheduler);
    [api] = await Promise.all([apiProcess.url, ...workers.map((w) => w.url), scheduler.url]);

    client = await MongoClient.connect(mongoUri);
    db = client.db();
    const keys: INestApplicationContext = await startNestContext(
      loadConfig({ NODE_ENV: 'test', MONGODB_URI: mongoUri, REDIS_URL: redis.url }),
      [AccessModule],
    );
    const access = keys.get(AccessService);
    const [ingest, adminKey] = await Promise.all(
      (['ingest', 'admin'] as const).map(
        async (scope) => (await access.createKey({ name: scope, scopes: [scope] })).token,
      ),
    );
    admin = adminKey;
    await keys.close();

    const { events } = generatePopulation({
      seed: 15,
      users: USERS,
      now: new Date(Date.now() - 60_000),
      eventsPerUser: 30,
    });
    for (let i = 0; i < events.length; i += 1000) {
      const response = await fetch(`${api}/v1/events`, {
        method: 'POST',
        headers: as(ingest),
        body: JSON.stringify({ events: events.slice(i, i + 1000) }),
      });
      expect(response.status).toBe(200);
    }
  });

  afterAll(async () => {
    await client?.close();
    // The app roles first, the database they write to last.
    for (const p of processes.slice(1).reverse()) await p.stop();
    await processes[0]?.stop();
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shares a full run between both workers and builds every user exactly once', async () => {
    const scheduled = await fetch(`${await scheduler.url}/health`);
    expect(scheduled.status).toBe(200);

    const run = await requestRun();
    expect(run).toMatchObject({
      status: 'completed',
      counts: { selected: USERS, built: USERS, failed: 0, skipped: 0 },
    });
    expect(run.shardCount).toBe(USERS / SHARD_SIZE);

    // Each worker ran part of the shards, and together exactly the run's shards.
    const [first, second] = await Promise.all(workers.map(shardJobsOf));
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(0);
    expect(first + second).toBe(run.shardCount);

    const ledger = await db.collection('journey_build_ledger').find({ runId: run.runId }).toArray();
    expect(ledger).toHaveLength(USERS);
    expect(ledger.every((e) => e.status === 'built')).toBe(true);
    const builds = await db
      .collection('user_journeys')
      .find({}, { projection: { buildRunId: 1, buildCount: 1 } })
      .toArray();
    expect(builds).toHaveLength(USERS);
    expect(builds.every((b) => b.buildRunId === run.runId && b.buildCount === 1)).toBe(true);
    expect(await db.collection('journey_build_runs').countDocuments({ runId: run.runId, status: 'completed' })).toBe(1);
  });

  it('finishes the next run on the remaining worker after the other one is stopped', async () => {
    const [stopped, remaining] = workers;
    expect(await stopped.stop()).toBe(0);
    const before = await shardJobsOf(remaining);

    const run = await requestRun();
    expect(run).toMatchObject({
      status: 'completed',
      counts: { selected: USERS, built: USERS, failed: 0, skipped: 0 },
    });
    expect((await shardJobsOf(remaining)) - before).toBe(run.shardCount);
    const builds = await db
      .collection('user_journeys')
      .find({}, { projection: { buildRunId: 1, buildCount: 1 } })
      .toArray();
    expect(builds.every((b) => b.buildRunId === run.runId && b.buildCount === 2)).toBe(true);
  });
});
