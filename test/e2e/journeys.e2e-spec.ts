import { generatePopulation } from '../../src/lib/synthetic/population';
import { TestApp, TestServers, createTestApp, startTestServers } from './support/test-app';

const DAY = 86_400_000;

/** A user who researches one health condition for weeks: a journey that must be flagged sensitive. */
function healthEvents(userId: string) {
  const queries = ['diabetes meal plan', 'diabetes friendly recipes', 'diabetes meal prep', 'type 2 diabetes diet'];
  return Array.from({ length: 16 }, (_, i) => ({
    id: `${userId}-${i}`,
    userId,
    type: 'search',
    occurredAt: new Date(Date.now() - (16 - i) * DAY + (i % 3) * 60_000).toISOString(),
    query: queries[i % queries.length],
  }));
}

describe('journeys API', () => {
  let servers: TestServers;
  let t: TestApp;
  let admin: string;
  let ingest: string;
  const { events } = generatePopulation({ seed: 5, users: 20, now: new Date(Date.now() - 60_000), eventsPerUser: 40 });
  const userId = events[0].userId;

  beforeAll(async () => {
    servers = await startTestServers();
    t = await createTestApp(servers, {
      database: 'journeys_api',
      env: { JOURNEYS_SCHEDULE_ENABLED: 'false', JOURNEYS_SHARD_SIZE: '8' },
    });
    [admin, ingest] = await Promise.all([t.createKey('admin'), t.createKey('ingest')]);
    const all = [...events, ...healthEvents('u-health')];
    for (let i = 0; i < all.length; i += 500) {
      await t
        .http()
        .post('/v1/events')
        .set('Authorization', `Bearer ${ingest}`)
        .send({ events: all.slice(i, i + 500) })
        .expect(200);
    }
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await servers?.stop();
  }, 30_000);

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('requires an admin key', async () => {
    await t.http().get(`/v1/users/${userId}/journeys`).expect(401);
    await t.http().get(`/v1/users/${userId}/journeys`).set(as(ingest)).expect(403);
    await t.http().post(`/v1/users/${userId}/journeys:rebuild`).set(as(ingest)).expect(403);
    await t.http().post('/v1/journey-runs').set(as(ingest)).send({ kind: 'full' }).expect(403);
  });

  it('answers 404 before a user is built, then rebuilds synchronously and serves ranked journeys', async () => {
    await t.http().get(`/v1/users/${userId}/journeys`).set(as(admin)).expect(404);
    const rebuilt = await t.http().post(`/v1/users/${userId}/journeys:rebuild`).set(as(admin)).expect(200);
    expect(rebuilt.body).toMatchObject({
      userId,
      buildCount: 1,
      modelVersion: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    const journeys = rebuilt.body.journeys as Array<Record<string, unknown>>;
    expect(journeys.length).toBeGreaterThan(0);
    expect(journeys.map((j) => j.rank)).toEqual(journeys.map((_, i) => i + 1));
    for (const j of journeys) {
      expect(j).toMatchObject({
        namedBy: 'keyword',
        sensitive: false,
        notifiable: true,
        stage: expect.stringMatching(/^(ongoing|ended)$/),
      });
      expect(j.type).toMatch(/^(situational|evergreen)$/);
      expect((j.keywords as unknown[]).length).toBeGreaterThan(0);
      expect(j.confidence).toBeGreaterThan(0);
    }
    // Without an LLM, expansions come from the platform embedder and never repeat the journey's own keywords.
    const expanded = journeys.filter((j) => j.expansion);
    expect(expanded.length).toBeGreaterThan(0);
    for (const j of expanded) {
      const expansion = j.expansion as { related: string[]; source: string };
      expect(expansion.source).toBe('embedder');
      const own = new Set((j.keywords as Array<{ text: string }>).map((k) => k.text.toLowerCase()));
      expect(expansion.related.some((r) => own.has(r.toLowerCase()))).toBe(false);
    }
    const read = await t.http().get(`/v1/users/${userId}/journeys`).set(as(admin)).expect(200);
    expect(read.body).toEqual(rebuilt.body);
  });

  it('answers 404 to a rebuild of a user without events', async () => {
    const res = await t.http().post('/v1/users/nobody/journeys:rebuild').set(as(admin)).expect(404);
    expect(res.body.message).toBe('user nobody has no events to build journeys from');
  });

  it('flags a health journey as sensitive and keeps it visible', async () => {
    const res = await t.http().post('/v1/users/u-health/journeys:rebuild').set(as(admin)).expect(200);
    const diabetes = (
      res.body.journeys as Array<{
        name: string;
        sensitive: boolean;
        sensitiveCategories: string[];
        notifiable: boolean;
      }>
    ).find((j) => /diabetes/i.test(j.name));
    expect(diabetes).toMatchObject({ sensitive: true, sensitiveCategories: ['health'], notifiable: false });
  });

  it('starts a full run over HTTP and reports its status until it completes', async () => {
    const created = await t.http().post('/v1/journey-runs').set(as(admin)).send({ kind: 'full' }).expect(202);
    expect(created.body).toMatchObject({ kind: 'full', trigger: 'manual', status: 'pending' });
    let status: Record<string, unknown> = created.body as Record<string, unknown>;
    for (let i = 0; i < 200 && status.status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await t.http().get(`/v1/journey-runs/${created.body.runId}`).set(as(admin)).expect(200)).body as Record<
        string,
        unknown
      >;
    }
    expect(status).toMatchObject({
      status: 'completed',
      shardCount: 3,
      doneShards: 3,
      counts: { selected: 21, built: 21, failed: 0 },
    });
    const user = await t.http().get(`/v1/users/${userId}/journeys`).set(as(admin)).expect(200);
    expect(user.body).toMatchObject({ buildRunId: created.body.runId, buildCount: 2 });
  });

  it('rejects an unknown run kind naming the field, and an unknown run with 404', async () => {
    const res = await t.http().post('/v1/journey-runs').set(as(admin)).send({ kind: 'everything' }).expect(400);
    expect(JSON.stringify(res.body)).toMatch(/kind/);
    await t.http().get('/v1/journey-runs/no-such-run').set(as(admin)).expect(404);
  });

  it('answers 404 saying so to a rebuild of a user being erased, and stores nothing for them', async () => {
    await t.http().put('/v1/users/u-erasing').set(as(ingest)).send({ locale: 'en-US' }).expect(201);
    await t
      .http()
      .post('/v1/events')
      .set(as(ingest))
      .send({ events: healthEvents('u-erasing') })
      .expect(200);
    // The erasure has begun (its later steps remove the events and the profile).
    await t
      .db()
      .collection('users')
      .updateOne({ userId: 'u-erasing' }, { $set: { erasingSince: new Date() } });
    const res = await t.http().post('/v1/users/u-erasing/journeys:rebuild').set(as(admin)).expect(404);
    expect(res.body.message).toBe('user u-erasing is being erased: no journeys are built for them');
    expect(await t.db().collection('user_journeys').countDocuments({ userId: 'u-erasing' })).toBe(0);
    expect(await t.db().collection('journey_names').countDocuments({ userId: 'u-erasing' })).toBe(0);
    await t.http().get('/v1/users/u-erasing/journeys').set(as(admin)).expect(404);
  });

  it('serves no journeys of a user whose erasure has begun, before it reaches them', async () => {
    await t.http().put('/v1/users/u-leaving').set(as(ingest)).send({ locale: 'en-US' }).expect(201);
    await t
      .http()
      .post('/v1/events')
      .set(as(ingest))
      .send({ events: healthEvents('u-leaving') })
      .expect(200);
    await t.http().post('/v1/users/u-leaving/journeys:rebuild').set(as(admin)).expect(200);
    // The erasure has begun; its journeys step has not run yet.
    await t
      .db()
      .collection('users')
      .updateOne({ userId: 'u-leaving' }, { $set: { erasingSince: new Date() } });
    const res = await t.http().get('/v1/users/u-leaving/journeys').set(as(admin)).expect(404);
    expect(res.body.message).toBe('user u-leaving is being erased: their journeys are not served');
  });

  it("erases a user's journeys with the user", async () => {
    const res = await t.http().delete(`/v1/users/${userId}`).set(as(admin)).expect(200);
    expect(res.body.erased.journeys).toBeGreaterThanOrEqual(2);
    await t.http().get(`/v1/users/${userId}/journeys`).set(as(admin)).expect(404);
    expect(await t.db().collection('journey_build_ledger').countDocuments({ userId })).toBe(0);
  });

  it('answers a run request retried with its Idempotency-Key with the same run, back to back and at once', async () => {
    const since = new Date();
    const request = (key: string, kind = 'incremental') =>
      t.http().post('/v1/journey-runs').set(as(admin)).set('Idempotency-Key', key).send({ kind });
    const first = await request('build-1').expect(202);
    expect((await request('build-1').expect(202)).body.runId).toBe(first.body.runId);
    const answers = await Promise.all([request('build-2'), request('build-2'), request('build-2')]);
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(new Set(answers.map((a) => a.body.runId)).size).toBe(1);
    expect(answers[0].body.runId).not.toBe(first.body.runId);
    const other = await request('build-1', 'full').expect(409);
    expect(other.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    const runs = await t
      .db()
      .collection('journey_build_runs')
      .countDocuments({ createdAt: { $gte: since } });
    expect(runs).toBe(2);
  });
});
