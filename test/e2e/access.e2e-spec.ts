import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { buildEvent } from '../factories/event.factory';
import { TestApp, TestServers, createTestApp, startTestServers } from './support/test-app';

/** One request with exactly these header lines (a name may repeat), to the app's own listener. */
async function withHeaderLines(
  t: TestApp,
  path: string,
  headers: Array<[string, string]>,
): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const server = t.app.getHttpServer() as { address(): AddressInfo | null; listening: boolean };
  if (!server.listening) await t.app.listen(0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  const body = JSON.stringify({ events: [buildEvent()] });
  const lines = [
    ['Host', `127.0.0.1:${port}`],
    ...headers,
    ['Content-Type', 'application/json'],
    ['Content-Length', String(Buffer.byteLength(body))],
  ];
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path, headers: lines.flat() }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : {}) as Record<string, unknown>, text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

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
    ['no header', undefined, 'Send an API key'],
    ['a malformed header', 'Token abc', 'holds no Journeycast API key'],
    ['a key cut short', `Bearer jc_000000000000_${'A'.repeat(40)}`, 'holds no Journeycast API key'],
    ['an unknown key', `Bearer jc_000000000000_${'A'.repeat(43)}`, 'Unknown, revoked or expired API key'],
  ])('answers %s with a JSON 401 that says what is wrong', async (_case, authorization, message) => {
    const res = await postEvent(a, authorization).expect(401);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toMatchObject({ statusCode: 401, message: expect.stringContaining(message) });
  });

  describe('the Authorization header', () => {
    it.each([
      ['a lowercase scheme', (key: string) => `bearer ${key}`],
      ['an uppercase scheme', (key: string) => `BEARER ${key}`],
      ['spaces around and within', (key: string) => `  Bearer    ${key}  `],
      ['a tab after the scheme', (key: string) => `Bearer\t${key}`],
    ])('accepts %s', async (_case, header) => {
      await postEvent(a, header(admin)).expect(200);
    });

    it.each([
      ['the key without a scheme', (key: string) => key],
      ['another scheme', (key: string) => `Basic ${key}`],
      ['the key twice', (key: string) => `Bearer ${key} ${key}`],
      ['the key with more after it', (key: string) => `Bearer ${key}x`],
      ['the scheme glued to the key', (key: string) => `Bearer${key}`],
      ['a key of 8,000 characters', (key: string) => `Bearer ${key}${'A'.repeat(8000)}`],
      ['8,000 spaces before the key', (key: string) => `Bearer ${' '.repeat(8000)}x ${key}`],
    ])('refuses %s with a 401 that does not repeat it', async (_case, header) => {
      const res = await postEvent(a, header(admin)).expect(401);
      expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
      expect(res.text).not.toContain(admin.slice(16));
    });

    it('refuses request headers over 16 KB with an empty 431 from the HTTP server', async () => {
      const res = await withHeaderLines(a, '/v1/events', [['Authorization', `Bearer ${admin}${'A'.repeat(20_000)}`]]);
      expect(res.status).toBe(431);
      expect(res.text).toBe('');
    });

    it('answers a key whose secret is wrong as it answers an unknown key', async () => {
      const wrongSecret = `${admin.slice(0, 16)}${'A'.repeat(43)}`;
      const unknown = `jc_000000000000_${'A'.repeat(43)}`;
      const [wrong, none] = await Promise.all(
        [wrongSecret, unknown].map((k) => postEvent(b, `Bearer ${k}`).expect(401)),
      );
      expect(wrong.body).toEqual(none.body);
    });

    it.each([
      ['a valid key then an unknown one', () => [admin, `jc_000000000000_${'A'.repeat(43)}`]],
      ['an unknown key then a valid one', () => [`jc_000000000000_${'A'.repeat(43)}`, admin]],
      ['the same valid key twice', () => [admin, admin]],
    ])('refuses two Authorization headers (%s) with a 401', async (_case, keys) => {
      const res = await withHeaderLines(
        a,
        '/v1/events',
        keys().map((key) => ['Authorization', `Bearer ${key}`]),
      );
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'Send one Authorization header, not several',
      });
      expect(res.text).not.toContain(admin.slice(16));
    });

    it.each(['api_key', 'access_token', 'key', 'token'])(
      'refuses a key in the query string (?%s=), with or without a key in the header, and never repeats it',
      async (name) => {
        const query = `/v1/events?${name}=${admin}`;
        const alone = await a
          .http()
          .post(query)
          .send({ events: [buildEvent()] })
          .expect(401);
        expect(alone.body.message).toContain('Send an API key as "Authorization: Bearer jc_..."');
        expect(alone.text).not.toContain(admin.slice(16));
        const ingest = await a.createKey('ingest');
        const withHeader = await a
          .http()
          .post(query)
          .set('Authorization', `Bearer ${ingest}`)
          .send({ events: [buildEvent()] })
          .expect(400);
        expect(withHeader.body.errors).toEqual([
          { field: name, message: `query parameter ${name} is not accepted here` },
        ]);
        expect(withHeader.text).not.toContain(admin.slice(16));
      },
    );
  });

  describe('revoking', () => {
    const revoke = (t: TestApp, keyId: string) =>
      t.http().delete(`/v1/keys/${keyId}`).set('Authorization', `Bearer ${admin}`);

    it('stops a key on every process with the next request, whichever process revoked it', async () => {
      const token = await a.createKey('ingest');
      const keyId = token.split('_')[1];
      for (const app of [a, b]) await postEvent(app, `Bearer ${token}`).expect(200);
      await revoke(b, keyId).expect(204);
      for (const app of [a, b]) {
        const res = await postEvent(app, `Bearer ${token}`).expect(401);
        expect(res.body).toEqual({
          statusCode: 401,
          error: 'Unauthorized',
          message: 'Unknown, revoked or expired API key',
        });
      }
    });

    it('answers a second revocation and an unknown id with a 404 that names the id, and changes nothing', async () => {
      const token = await a.createKey('ingest');
      const keyId = token.split('_')[1];
      await revoke(a, keyId).expect(204);
      const revokedAt = (await a.db().collection('api_keys').findOne({ keyId }))?.revokedAt as Date;
      for (const [app, id] of [
        [b, keyId],
        [a, 'nosuchkey000'],
      ] as const) {
        const res = await revoke(app, id).expect(404);
        expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: `no active API key ${id}` });
      }
      expect((await a.db().collection('api_keys').findOne({ keyId }))?.revokedAt).toEqual(revokedAt);
    });

    it.each([
      ['the whole key', (token: string) => token],
      ['an id in capitals', (token: string) => token.split('_')[1].toUpperCase()],
      ['an id too long', (token: string) => `${token.split('_')[1]}0`],
    ])(
      'answers %s in place of a key id with a 400 naming keyId that does not repeat it, and revokes nothing',
      async (_case, id) => {
        const token = await a.createKey('ingest');
        const res = await revoke(a, id(token)).expect(400);
        expect(res.body.errors).toEqual([
          { field: 'keyId', message: 'keyId must be the 12 lower-case letters and digits after jc_ in a key' },
        ]);
        expect(res.text).not.toContain(token.slice(16));
        await postEvent(b, `Bearer ${token}`).expect(200);
      },
    );
  });

  it('never logs a key, nor puts one in an error or in /metrics', async () => {
    const records: string[] = [];
    const capture = (message: unknown, ...rest: unknown[]) => records.push([message, ...rest].map(String).join(' '));
    const logged = await createTestApp(servers, {
      database: 'access',
      logger: { log: capture, error: capture, warn: capture, debug: capture, verbose: capture },
    });
    try {
      const created = await logged
        .http()
        .post('/v1/keys')
        .set('Authorization', `Bearer ${admin}`)
        .send({ name: 'logged', scope: 'ingest', rateLimit: 1 })
        .expect(201);
      const token = created.body.token as string;
      const texts: string[] = [];
      const send = async (authorization: string) => texts.push((await postEvent(logged, authorization)).text);
      await send(`Bearer ${token}`);
      await send(`Bearer ${token}`); // over its limit: 429
      await send(`Bearer ${token.slice(0, -1)}A`);
      await send(`Bearer ${token}x`);
      texts.push((await logged.http().get('/v1/keys').set('Authorization', `Bearer ${token}`)).text);
      await logged.http().delete(`/v1/keys/${created.body.keyId}`).set('Authorization', `Bearer ${admin}`).expect(204);
      await send(`Bearer ${token}`);
      texts.push((await logged.http().get('/v1/keys').set('Authorization', `Bearer ${admin}`).expect(200)).text);
      texts.push((await logged.http().get('/metrics').expect(200)).text);
      expect(records.join('\n')).toContain(`created API key ${created.body.keyId}`);
      for (const secret of [token, admin].map((t) => t.slice(16))) {
        expect(records.join('\n')).not.toContain(secret);
        expect(texts.join('\n')).not.toContain(secret);
      }
    } finally {
      await logged.close();
    }
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
    expect(JSON.stringify(stored)).not.toContain(token.slice(16));

    const list = await a.http().get('/v1/keys').set('Authorization', `Bearer ${admin}`).expect(200);
    const listed = (list.body as Array<Record<string, unknown>>).find((k) => k.keyId === keyId);
    expect(listed).toMatchObject({ name: 'backend', scopes: ['ingest'] });
    expect(listed?.token).toBeUndefined();

    await postEvent(b, `Bearer ${token}`).expect(200);
    await a.http().delete(`/v1/keys/${keyId}`).set('Authorization', `Bearer ${admin}`).expect(204);
    const revoked = await postEvent(b, `Bearer ${token}`).expect(401);
    expect(revoked.body.message).toContain('revoked');
    await a.http().delete(`/v1/keys/${keyId}`).set('Authorization', `Bearer ${admin}`).expect(404);
  });

  describe('listing', () => {
    const list = (query: string) => a.http().get(`/v1/keys${query}`).set('Authorization', `Bearer ${admin}`);

    it('lists keys a page at a time, in the order of the whole list, with limit and after', async () => {
      for (let i = 0; i < 3; i++) await a.createKey('ingest');
      const all = ((await list('').expect(200)).body as Array<{ keyId: string }>).map((k) => k.keyId);
      expect(all.length).toBeGreaterThan(3);
      const paged: string[] = [];
      for (let after = ''; ;) {
        const page = (await list(`?limit=2${after && `&after=${after}`}`).expect(200)).body as Array<{ keyId: string }>;
        expect(page.length).toBeLessThanOrEqual(2);
        if (page.length === 0) break;
        paged.push(...page.map((k) => k.keyId));
        after = page[page.length - 1].keyId;
      }
      expect(paged).toEqual(all);
    });

    it.each([
      ['?limit=0', 'limit'],
      ['?limit=1001', 'limit'],
      ['?limit=two', 'limit'],
      ['?after=nosuchkey000', 'after'],
      ['?after=JC_KEY', 'after'],
    ])('refuses %s with a 400 naming %s', async (query, field) => {
      const res = await list(query).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    });
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

  it.each([
    ['get', '/v1/users/%FF%FE', 'userId'],
    ['delete', '/v1/keys/%FF', 'keyId'],
    ['get', '/v1/campaign-runs/run-1/users/caf%E9', 'userId'],
    ['get', '/v1/campaign-runs/%C3%28/users/u1', 'runId'],
    ['post', '/v1/campaigns/%FF:activate', 'campaignId'],
    ['get', '/v1/nowhere/%FF', 'path'],
  ] as const)(
    'answers %s %s, whose %s is not percent-encoded UTF-8, with a 400 naming it',
    async (method, path, field) => {
      for (const authorization of [`Bearer ${admin}`, undefined]) {
        const req = a.http()[method](path);
        if (authorization) void req.set('Authorization', authorization);
        const res = await req.expect(400);
        expect(res.headers['content-type']).toMatch(/application\/json/);
        expect(res.body).toEqual({
          statusCode: 400,
          error: 'Bad Request',
          message: `Invalid request: ${field}`,
          errors: [{ field, message: `${field} is not valid percent-encoded UTF-8` }],
          errorCount: 1,
        });
      }
    },
  );

  it('still decodes valid percent-escapes in path parameters', async () => {
    const res = await a.http().get('/v1/users/caf%C3%A9').set('Authorization', `Bearer ${admin}`).expect(404);
    expect(JSON.stringify(res.body)).not.toContain('percent-encoded');
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

  it('counts requests a key lacks the scope for against its limit, with the rate-limit headers on the 403', async () => {
    const ingest = `Bearer ${await a.createKey('ingest', 2)}`;
    const refused = await a.http().get('/v1/keys').set('Authorization', ingest).expect(403);
    expect(refused.headers['ratelimit-limit']).toBe('2');
    expect(refused.headers['ratelimit-remaining']).toBe('1');
    await postEvent(b, ingest).expect(200);
    const over = await a.http().get('/v1/keys').set('Authorization', ingest).expect(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    await postEvent(b, ingest).expect(429);
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

  describe('key lifetime', () => {
    const create = (body: object) => a.http().post('/v1/keys').set('Authorization', `Bearer ${admin}`).send(body);
    const listed = async (keyId: string) =>
      (
        (await a.http().get('/v1/keys').set('Authorization', `Bearer ${admin}`).expect(200)).body as Array<
          Record<string, unknown>
        >
      ).find((k) => k.keyId === keyId);

    it('creates keys that expire after a duration or at an instant', async () => {
      const inDays = await create({ name: 'temp', scope: 'ingest', expiresIn: '30d' }).expect(201);
      const days = (Date.parse(inDays.body.expiresAt as string) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29.9);
      expect(days).toBeLessThanOrEqual(30);
      expect(inDays.body.status).toBe('active');
      await postEvent(b, `Bearer ${inDays.body.token}`).expect(200);
      const year = new Date().getUTCFullYear() + 1;
      const atInstant = await create({ name: 'until', scope: 'ingest', expiresAt: `${year}-06-01T00:00:00+01:00` });
      expect(atInstant.body.expiresAt).toBe(`${year}-05-31T23:00:00.000Z`);
    });

    it.each([
      [{ expiresIn: 'forever' }, 'expiresIn'],
      [{ expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt'],
      [{ expiresAt: '2099-02-30T00:00:00Z' }, 'expiresAt'],
      [{ expiresIn: '1d', expiresAt: '2099-01-01T00:00:00Z' }, 'expiresAt'],
    ])('refuses the expiry %j naming %s', async (expiry, field) => {
      const res = await create({ name: 'bad', scope: 'ingest', ...expiry }).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    });

    it.each([
      [{ expiresIn: null }, 'expiresIn', 'expiresIn must be a string'],
      [{ expiresAt: null }, 'expiresAt', 'expiresAt must be a string'],
      [{ rateLimit: null }, 'rateLimit', 'rateLimit must be an integer number'],
      [{ name: '   ' }, 'name', 'name must not be blank'],
    ])('refuses %j with a 400 naming %s, and stores no key', async (fields, field, message) => {
      const before = await a.db().collection('api_keys').countDocuments();
      const res = await create({ name: 'nullish', scope: 'ingest', ...fields }).expect(400);
      expect(res.body.errors).toEqual([{ field, message }]);
      expect(await a.db().collection('api_keys').countDocuments()).toBe(before);
    });

    it('stops authenticating an expired key and lists it as expired', async () => {
      const created = await create({ name: 'expiring', scope: 'ingest', expiresIn: '1h' }).expect(201);
      await postEvent(a, `Bearer ${created.body.token}`).expect(200);
      const past = new Date(Date.now() - 1000);
      await a
        .db()
        .collection('api_keys')
        .updateOne({ keyId: created.body.keyId }, { $set: { expiresAt: past } });
      const res = await postEvent(b, `Bearer ${created.body.token}`).expect(401);
      expect(res.body.message).toMatch(/expired/);
      expect(await listed(created.body.keyId as string)).toMatchObject({ status: 'expired' });
    });

    it('shows the last use, written at most once a minute', async () => {
      const created = await create({ name: 'tracked', scope: 'ingest' }).expect(201);
      const keyId = created.body.keyId as string;
      expect((await listed(keyId))?.lastUsedAt).toBeUndefined();
      const stored = async () => (await a.db().collection('api_keys').findOne({ keyId }))?.lastUsedAt as Date;
      await postEvent(a, `Bearer ${created.body.token}`).expect(200);
      const first = await stored();
      expect((await listed(keyId))?.lastUsedAt).toBe(first.toISOString());
      for (const app of [a, b, a]) await postEvent(app, `Bearer ${created.body.token}`).expect(200);
      expect(await stored()).toEqual(first);
      const earlier = new Date(first.getTime() - 120_000);
      await a
        .db()
        .collection('api_keys')
        .updateOne({ keyId }, { $set: { lastUsedAt: earlier } });
      await postEvent(b, `Bearer ${created.body.token}`).expect(200);
      expect((await stored()).getTime()).toBeGreaterThan(earlier.getTime());
    });
  });
});
