import { INestApplicationContext } from '@nestjs/common';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { JourneyRunsService } from '../../../src/modules/journeys/journey-runs.service';
import { PlatformEmbedderService } from '../../../src/modules/journeys/platform-embedder.service';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import { db, ingest, journeySettings, population, startJourneysContext, waitForRun } from './journeys-harness';
import { nodeEntryArgs } from '../../setup/compiled-app';

const ROOT = join(__dirname, '..', '..', '..');
const DATABASE = 'crash';
const USERS = 60;

/** A real worker process (`APP_ROLE=worker`) on the test's MongoDB and Redis, with short lock and stall timings. */
function startWorker(mongo: EmbeddedMongo, redis: RedisProcess, log: string[]): ChildProcess {
  const child = spawn(process.execPath, nodeEntryArgs('src/main.ts'), {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      APP_ROLE: 'worker',
      MONGODB_URI: `${mongo.uri}${DATABASE}`,
      REDIS_URL: redis.url,
      REDIS_PREFIX: DATABASE,
      LOG_LEVEL: 'warn',
      JOURNEYS_SCHEDULE_ENABLED: 'false',
      JOURNEYS_SHARD_SIZE: '20',
      JOURNEYS_CONCURRENCY: '1',
      JOURNEYS_USER_CONCURRENCY: '1',
      JOURNEYS_LOCK_DURATION_MS: '1500',
      JOURNEYS_STALLED_INTERVAL_MS: '1000',
      JOURNEYS_JOB_BACKOFF_MS: '100',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => log.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => child.once('exit', () => r()));
}

describe('a worker killed with SIGKILL mid-run', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let app: INestApplicationContext;
  const workers: ChildProcess[] = [];
  const log: string[] = [];

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    // This process only requests and inspects runs: no processor, so every build happens in the children.
    app = await startJourneysContext(journeySettings(mongo.uri, redis, DATABASE, { JOURNEYS_SHARD_SIZE: '20' }), []);
    await ingest(app, population(USERS, 21, 60).events);
    await app.get(PlatformEmbedderService).retrain();
  }, 60_000);
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await Promise.all(workers.map(exited));
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  }, 30_000);

  it('ends with every selected user built exactly once in that run, and the run completed', async () => {
    const first = startWorker(mongo, redis, log);
    workers.push(first);
    const { runId } = await app.get(JourneyRunsService).requestRun('full', 'manual');
    const ledger = db(app).collection('journey_build_ledger');

    // Kill the worker in the middle of the second shard (users 21-40 of 60).
    let builtAtKill = 0;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
      builtAtKill = await ledger.countDocuments({ runId, status: { $ne: 'pending' } });
      if (builtAtKill >= 25) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    first.kill('SIGKILL');
    await exited(first);
    expect(builtAtKill).toBeGreaterThanOrEqual(25);
    expect(builtAtKill).toBeLessThan(USERS);
    // Live progress comes from the shards' tallies: every user of a done shard, and in a shard the kill
    // interrupted those of the batches it had counted (not one settled just before the kill).
    const live = (await app.get(JourneyRunsService).findRun(runId))!;
    expect(live.status).toBe('running');
    const settled = await ledger.countDocuments({ runId, status: { $ne: 'pending' } });
    expect(live.counts.selected).toBe(USERS);
    expect(live.counts.built + live.counts.skipped).toBeLessThanOrEqual(settled);
    expect(live.counts.built + live.counts.skipped).toBeGreaterThanOrEqual(20 * live.doneShards.length);

    workers.push(startWorker(mongo, redis, log));
    const run = await waitForRun(app, runId, 90_000).catch((error: Error) => {
      throw new Error(`${error.message}\nworker output:\n${log.join('')}`);
    });

    expect(run.status).toBe('completed');
    expect(run.counts).toMatchObject({ selected: USERS, failed: 0 });
    expect(run.counts.built + run.counts.skipped).toBe(USERS);
    expect([...run.doneShards].sort()).toEqual([0, 1, 2]);
    const entries = await ledger.find({ runId }).toArray();
    expect(entries).toHaveLength(USERS);
    expect(new Set(entries.map((e) => e.userId)).size).toBe(USERS);
    // buildCount is incremented only by the conditional commit: 1 means the run committed each user once.
    const docs = await db(app).collection('user_journeys').find().toArray();
    expect(docs).toHaveLength(USERS);
    expect(docs.every((d) => d.buildRunId === runId && d.buildCount === 1)).toBe(true);
  }, 150_000);
});
