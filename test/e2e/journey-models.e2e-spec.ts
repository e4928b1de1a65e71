import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeRedis } from '../../src/common/redis/redis-probe';
import { generatePopulation } from '../../src/lib/synthetic/population';
import { journeycast } from './support/cli';
import { useTestApp } from './support/test-app';

const DATABASE = 'journey_models';

/** A synthetic population with prefixed ids, so each batch adds users and events. */
function events(users: number, seed: number, prefix: string) {
  return generatePopulation({ seed, users, now: new Date(Date.now() - 60_000), eventsPerUser: 30 }).events.map((e) => ({
    ...e,
    id: `${prefix}-${e.id}`,
    userId: `${prefix}-${e.userId}`,
  }));
}

describe('journey models over HTTP and the CLI', () => {
  // The composed app runs the journeys worker, which takes the retrain jobs the API and the CLI queue.
  const f = useTestApp({ database: DATABASE, env: { JOURNEYS_RETRAIN_GROWTH: '0' } });
  const cliEnv = () => ({
    MONGODB_URI: `${f.servers.mongoUri}${DATABASE}`,
    REDIS_URL: f.servers.redis.url,
    REDIS_PREFIX: DATABASE,
  });
  const current = () => f.t.http().get('/v1/journey-models/current').set('Authorization', `Bearer ${f.admin}`);
  const post = (batch: unknown[]) =>
    f.t.http().post('/v1/events').set('Authorization', `Bearer ${f.ingest}`).send({ events: batch }).expect(200);

  it('reports no model before the first training, and only to admins', async () => {
    await current().expect(404);
    await f.t.http().get('/v1/journey-models/current').set('Authorization', `Bearer ${f.ingest}`).expect(403);
    await f.t.http().post('/v1/journey-models:retrain').set('Authorization', `Bearer ${f.ingest}`).expect(403);
  });

  it('`journeys retrain --wait` trains in the CLI process and the API reports that model', async () => {
    const batch = events(3, 21, 'first');
    await post(batch);
    const { code, stdout, stderr } = await journeycast(['journeys', 'retrain', '--wait'], cliEnv());
    expect({ code, stderr }).toMatchObject({ code: 0, stderr: expect.stringMatching(/^model [0-9a-f]{16}: new/m) });
    const printed = JSON.parse(stdout) as { version: string; runId: string };
    expect(printed).toMatchObject({ changed: true, users: 3, events: batch.length, runId: `full-${printed.version}` });
    const res = await current().expect(200);
    expect(res.body).toMatchObject({ version: printed.version, users: 3, events: batch.length });
    expect(res.body.vocabulary).toBeGreaterThan(0);
    // Keyword recurrence is learnt with the model, from the same events (one user-keyword pair at least).
    expect(res.body.recurrence).toMatchObject({ keywords: expect.any(Number), examples: expect.any(Number) });
    expect(res.body.recurrence.examples).toBeGreaterThan(0);
    expect(new Date(res.body.trainedAt).getTime()).toBeGreaterThan(Date.now() - 120_000);
    // Ninety events are too few to cluster with: the model says so rather than gluing keywords by noise.
    expect(res.body).toMatchObject({ clustering: 'lexical', reason: expect.stringContaining('events') });
    expect(res.body.retrainAtEvents).toBeUndefined();
  }, 90_000);

  it('POST /v1/journey-models:retrain queues a retrain the workers run; the new version is then current', async () => {
    const before = (await current().expect(200)).body as { version: string; events: number };
    await post(events(3, 22, 'second'));
    const accepted = await f.t.http().post('/v1/journey-models:retrain').set('Authorization', `Bearer ${f.admin}`);
    expect(accepted.status).toBe(202);
    expect(accepted.body.jobId).toBe('journeys.retrain:retrain');
    let now = before;
    for (let i = 0; i < 300 && now.version === before.version; i++) {
      await new Promise((r) => setTimeout(r, 100));
      now = (await current().expect(200)).body;
    }
    expect(now.version).not.toBe(before.version);
    expect(now.events).toBeGreaterThan(before.events);
  }, 60_000);

  it('a retrain asked after the last one finished is queued and run again, not answered with the finished job', async () => {
    const retrain = async () =>
      (await f.t.http().post('/v1/journey-models:retrain').set('Authorization', `Bearer ${f.admin}`).expect(202)).body
        .jobId as string;
    const newVersion = async (before: string) => {
      let version = before;
      for (let i = 0; i < 300 && version === before; i++) {
        await new Promise((r) => setTimeout(r, 100));
        version = ((await current().expect(200)).body as { version: string }).version;
      }
      return version;
    };
    await post(events(2, 23, 'third'));
    const start = ((await current().expect(200)).body as { version: string }).version;
    await retrain();
    const trained = await newVersion(start);
    expect(trained).not.toBe(start);
    await post(events(2, 24, 'fourth'));
    // Asked twice at once: one job.
    const [first, second] = await Promise.all([retrain(), retrain()]);
    expect(second).toBe(first);
    expect(await newVersion(trained)).not.toBe(trained);
  }, 90_000);

  it('`journeys retrain` without --wait queues the job and prints its id', async () => {
    const { code, stdout } = await journeycast(['journeys', 'retrain'], cliEnv());
    expect(code).toBe(0);
    expect(stdout.trim()).toBe('journeys.retrain:retrain');
  }, 60_000);

  it("`journeys retrain` without the deployment's Redis queues nothing and says so, instead of a job no worker sees", async () => {
    // Only meaningful where nothing answers on the default port, which the CLI would take for the deployment's.
    if (await probeRedis('127.0.0.1', 6379)) return;
    const dataDir = await mkdtemp(join(tmpdir(), 'retrain-no-redis-'));
    try {
      for (const args of [
        ['journeys', 'retrain'],
        ['journeys', 'retrain', '--wait'],
      ]) {
        const { code, stdout, stderr } = await journeycast(args, {
          MONGODB_URI: `${f.servers.mongoUri}${DATABASE}`,
          MONGO_DATA_DIR: dataDir,
          // As in development, where an unset REDIS_URL may start a private redis-server.
          REDIS_AUTOSTART: 'true',
        });
        expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
        expect(stderr).toContain("Set REDIS_URL to the deployment's Redis");
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
