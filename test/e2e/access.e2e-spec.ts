import { buildEvent } from '../factories/event.factory';
import { TestApp, TestServers, createTestApp, startTestServers } from './support/test-app';

describe('API keys, scopes and rate limits', () => {
  let servers: TestServers;
  let a: TestApp;
  let b: TestApp;
  let admin: string;

  beforeAll(async () => {
    servers = await startTestServers();
    // Two replicas sharing one MongoDB database and one Redis.
    a = await createTestApp(servers, { database: 'access' });
    b = await createTestApp(servers, { database: 'access' });
    admin = await a.createKey('admin');
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await servers?.stop();
  });

  const postEvent = (t: TestApp, authorization?: string) => {
    const req = t.http().post('/v1/events');
    if (authorization) void req.set('Authorization', authorization);
    return req.send({ events: [buildEvent()] });
  };

  it.each([
    ['no header', undefined],
    ['a malformed header', 'Token abc'],
    ['an unknown key', `Bearer jc_000000000000_${'A'.repeat(43)}`],
  ])('answers %s with a JSON 401', async (_case, authorization) => {
    const res = await postEvent(a, authorization).expect(401);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toMatchObject({ statusCode: 401 });
  });

  it('lets an ingest key ingest but not manage keys (403)', async () => {
    const ingest = await a.createKey('ingest');
    await postEvent(a, `Bearer ${ingest}`).expect(200);
    const res = await a.http().get('/v1/keys').set('Authorization', `Bearer ${ingest}`).expect(403);
    expect(res.body.message).toContain('admin');
  });

  it('creates, lists and revokes keys with an admin key; the secret is shown once and stored hashed', async () => {
    const created = await a
      .http()
      .post('/v1/keys')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: 'backend', scope: 'ingest' })
      .expect(201);
    const { token, keyId } = created.body as { token: string; keyId: string };
    expect(token).toMatch(/^jc_/);
    const stored = await a.db().collection('api_keys').findOne({ keyId });
    expect(JSON.stringify(stored)).not.toContain(token.split('_')[2]);

    const list = await a.http().get('/v1/keys').set('Authorization', `Bearer ${admin}`).expect(200);
    const listed = (list.body as Array<Record<string, unknown>>).find((k) => k.keyId === keyId);
    expect(listed).toMatchObject({ name: 'backend', scopes: ['ingest'] });
    expect(listed?.token).toBeUndefined();

    await postEvent(b, `Bearer ${token}`).expect(200);
    await a.http().delete(`/v1/keys/${keyId}`).set('Authorization', `Bearer ${admin}`).expect(204);
    await postEvent(b, `Bearer ${token}`).expect(401);
    await a.http().delete(`/v1/keys/${keyId}`).set('Authorization', `Bearer ${admin}`).expect(404);
  });

  it('rejects a bad key request by field', async () => {
    const res = await a
      .http()
      .post('/v1/keys')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: 'x', scope: 'root' })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['scope']);
  });

  it('holds one rate limit per key across two app instances sharing Redis, with Retry-After', async () => {
    const limited = `Bearer ${await a.createKey('ingest', 4)}`;
    const statuses: number[] = [];
    for (const app of [a, b, a, b, a, b]) statuses.push((await postEvent(app, limited)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    const res = await postEvent(b, limited).expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(res.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    // Another key is not affected.
    await postEvent(b, `Bearer ${admin}`).expect(200);
  });

  it('starts a new window once the old one expires', async () => {
    const short = await createTestApp(servers, { database: 'access', env: { RATE_LIMIT_WINDOW_MS: '300' } });
    try {
      const key = `Bearer ${await short.createKey('ingest', 1)}`;
      await postEvent(short, key).expect(200);
      await postEvent(short, key).expect(429);
      await new Promise((resolve) => setTimeout(resolve, 400));
      await postEvent(short, key).expect(200);
    } finally {
      await short.close();
    }
  });
});
