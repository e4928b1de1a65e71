import { generatePopulation } from '../../src/lib/synthetic/population';
import { journeycast } from './support/cli';
import { TestApp, TestServers, createTestApp, startTestServers } from './support/test-app';

describe('journeycast journeys rebuild', () => {
  let servers: TestServers;
  let t: TestApp;

  beforeAll(async () => {
    servers = await startTestServers();
    // The API role only: the run is built by the CLI's own worker (--local), not by this app.
    t = await createTestApp(servers, { database: 'journeys_cli', env: { APP_ROLE: 'api' } });
    const { events } = generatePopulation({
      seed: 12,
      users: 8,
      now: new Date(Date.now() - 60_000),
      eventsPerUser: 40,
    });
    const ingest = await t.createKey('ingest');
    await t.http().post('/v1/events').set('Authorization', `Bearer ${ingest}`).send({ events }).expect(200);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await servers?.stop();
  }, 30_000);

  it('queues a full run with --all and, with --local, builds it to completion', async () => {
    const env = {
      MONGODB_URI: `${servers.mongoUri}journeys_cli`,
      REDIS_URL: servers.redis.url,
      REDIS_PREFIX: 'journeys_cli',
    };
    const { code, stdout, stderr } = await journeycast(['journeys', 'rebuild', '--all', '--local'], env);
    expect(code).toBe(0);
    const runId = stdout.trim();
    expect(runId).toMatch(/^full-/);
    expect(stderr).toContain(`run ${runId}: completed, shards 1/1, selected 8, built 8, skipped 0, failed 0`);
    const admin = await t.createKey('admin');
    const run = await t.http().get(`/v1/journey-runs/${runId}`).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(run.body).toMatchObject({ status: 'completed', trigger: 'manual', counts: { built: 8 } });
  }, 60_000);
});
