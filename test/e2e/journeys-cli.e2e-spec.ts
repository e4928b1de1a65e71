import { generatePopulation } from '../../src/lib/synthetic/population';
import { journeycast } from './support/cli';
import { TestApp, TestServers, createTestApp, startTestServers } from './support/test-app';

describe('journeycast journeys rebuild', () => {
  let servers: TestServers;
  let t: TestApp;
  let admin: string;
  let tinyVersion: string;
  let eventCount: number;

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
    admin = await t.createKey('admin');
    // A first event and a rebuild of its user: the platform embedder is trained on that one event.
    const [first, ...rest] = events;
    await t
      .http()
      .post('/v1/events')
      .set('Authorization', `Bearer ${ingest}`)
      .send({ events: [first] })
      .expect(200);
    await t
      .http()
      .post(`/v1/users/${first.userId}/journeys:rebuild`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    const model = await t.http().get('/v1/journey-models/current').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(model.body).toMatchObject({ events: 1, clustering: 'lexical' });
    tinyVersion = model.body.version;
    await t.http().post('/v1/events').set('Authorization', `Bearer ${ingest}`).send({ events: rest }).expect(200);
    eventCount = events.length;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await servers?.stop();
  }, 30_000);

  it('gives up waiting after --timeout, exit 1, when no worker takes the run', async () => {
    // A Redis prefix no worker listens on: the run is queued where nobody looks.
    const env = {
      MONGODB_URI: `${servers.mongoUri}journeys_cli`,
      REDIS_URL: servers.redis.url,
      REDIS_PREFIX: 'journeys_cli_no_workers',
    };
    const { code, stdout, stderr } = await journeycast(['journeys', 'rebuild', '--wait', '--timeout', '2'], env);
    expect(code).toBe(1);
    const runId = stdout.trim();
    expect(stderr).toContain(`run ${runId} is still pending after 2 s (no worker has taken it`);
  }, 60_000);

  it('queues a full run with --all and, with --local, builds it to completion with a model retrained on the events', async () => {
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
    const run = await t.http().get(`/v1/journey-runs/${runId}`).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(run.body).toMatchObject({ status: 'completed', trigger: 'manual', counts: { built: 8 } });
    // The events outgrew the one-event model, so the run retrained it first, and the summary names that model.
    const model = await t.http().get('/v1/journey-models/current').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(model.body.version).not.toBe(tinyVersion);
    expect(run.body.modelVersion).toBe(model.body.version);
    expect(model.body).toMatchObject({ events: eventCount, users: 8 });
    const clustering =
      model.body.clustering === 'platform'
        ? 'clustering used it'
        : `clustering fell back to lexical, as it was ${model.body.reason}`;
    expect(stderr).toContain(`model ${model.body.version}: trained on ${eventCount} events of 8 users, ${clustering}`);
  }, 60_000);
});
