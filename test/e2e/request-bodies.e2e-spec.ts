import { buildEvent } from '../factories/event.factory';
import { buildUserProfile } from '../factories/user.factory';
import { RawResponse, rawRequest } from './support/raw-http';
import { useTestApp } from './support/test-app';

/** How bodies are read on every route: JSON only, after authentication, bounded in size and depth. */
describe('request bodies', () => {
  const app = useTestApp({ database: 'bodies', env: { JOURNEYS_SCHEDULE_ENABLED: 'false' } });
  beforeAll(async () => {
    await send('PUT', '/v1/users/u-body', JSON.stringify(buildUserProfile()), 'application/json');
  });

  const send = (
    method: string,
    path: string,
    body?: string | Buffer,
    contentType?: string,
    token: string | null = app.admin,
  ) =>
    rawRequest(app.t.app, {
      method,
      path,
      body,
      headers: {
        ...(token && { Authorization: `Bearer ${token}` }),
        ...(contentType !== undefined && { 'Content-Type': contentType }),
      },
    });
  const profile = async () => (await send('GET', '/v1/users/u-body')).body;
  const counts = async () => ({
    events: await app.t.db().collection('events').countDocuments(),
    keys: await app.t.db().collection('api_keys').countDocuments(),
    runs: await app.t.db().collection('journey_build_runs').countDocuments(),
  });

  /** Every route that takes a body, with a valid body for it. */
  const ROUTES: Array<[string, string, unknown]> = [
    ['PUT', '/v1/users/u-body', buildUserProfile({ email: 'changed@example.com', attributes: {} })],
    ['POST', '/v1/events', { events: [buildEvent()] }],
    ['POST', '/v1/keys', { name: 'probe', scope: 'ingest' }],
    ['POST', '/v1/journey-runs', { kind: 'full' }],
  ];

  function expectUnchanged(before: unknown, after: unknown) {
    expect(after).toEqual(before);
  }

  describe.each(ROUTES)('%s %s', (method, path, valid) => {
    const json = JSON.stringify(valid);

    it.each([
      ['text/plain', 'text/plain'],
      ['form encoding (what curl -d sends)', 'application/x-www-form-urlencoded'],
      ['no Content-Type', undefined],
      ['multipart', 'multipart/form-data; boundary=x'],
    ])('answers a JSON body sent as %s with 415 and changes nothing', async (_case, contentType) => {
      const [before, stored] = [await profile(), await counts()];
      const res = await send(method, path, json, contentType);
      expect(res.status).toBe(415);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
      expect(res.body.message).toMatch(/Content-Type must be application\/json/);
      expectUnchanged(before, await profile());
      expect(await counts()).toEqual(stored);
    });

    it('answers a missing body with 400 naming the body', async () => {
      const [before, stored] = [await profile(), await counts()];
      for (const res of [await send(method, path), await send(method, path, '', 'application/json')]) {
        expect(res.status).toBe(400);
        expect(JSON.stringify(res.body)).toMatch(/body/);
      }
      expectUnchanged(before, await profile());
      expect(await counts()).toEqual(stored);
    });

    it('answers a body that is not UTF-8 with a 400 naming the body, and changes nothing', async () => {
      // "café" in Latin-1: the é is the lone byte 0xE9, which no UTF-8 text contains.
      const body = Buffer.concat([
        Buffer.from(json.replace(/\}$/, ',"note":"caf')),
        Buffer.from([0xe9]),
        Buffer.from('"}'),
      ]);
      const [before, stored] = [await profile(), await counts()];
      const res = await send(method, path, body, 'application/json');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        message: 'Invalid request: body',
        errors: [{ field: '', message: 'The request body is not valid UTF-8' }],
      });
      expectUnchanged(before, await profile());
      expect(await counts()).toEqual(stored);
    });

    it('answers 2,500 levels of nesting with a 400 naming the field, not a 500', async () => {
      const deep = `${'{"a":'.repeat(2500)}1${'}'.repeat(2500)}`;
      const body = json.replace(/^\{/, `{"nested":${deep},`);
      const [before, stored] = [await profile(), await counts()];
      const res = await send(method, path, body, 'application/json');
      expect(res.status).toBe(400);
      expect((res.body.errors as Array<{ field: string }>)[0].field).toMatch(/^nested\.a\.a/);
      expectUnchanged(before, await profile());
      expect(await counts()).toEqual(stored);
    });

    it.each([
      ['malformed JSON', '{"a":', 'application/json'],
      ['text/plain', '{}', 'text/plain'],
      ['a body over 1 MiB', JSON.stringify({ pad: 'x'.repeat(1_100_000) }), 'application/json'],
      ['deep nesting', `${'['.repeat(3000)}${']'.repeat(3000)}`, 'application/json'],
    ])('answers %s without a key with 401, before reading the body', async (_case, body, contentType) => {
      const res = await send(method, path, body, contentType, null);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401 });
    });
  });

  it('accepts JSON with a charset and +json media types', async () => {
    const events = { events: [buildEvent()] };
    for (const type of ['application/json; charset=utf-8', 'application/vnd.journeycast+json']) {
      const res = await send('POST', '/v1/events', JSON.stringify(events), type, app.ingest);
      expect(res.status).toBe(200);
    }
  });

  it('stores no event whose text is not UTF-8, instead of replacing the bad bytes with U+FFFD', async () => {
    const event = JSON.stringify({ events: [buildEvent({ id: 'utf1', type: 'search', query: 'caf\u00e9 ideas' })] });
    const latin1 = Buffer.from(event, 'latin1');
    const res = await send('POST', '/v1/events', latin1, 'application/json', app.ingest);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: '', message: 'The request body is not valid UTF-8' }]);
    expect(await app.t.db().collection('events').countDocuments({ id: 'utf1' })).toBe(0);
    const utf8 = await send('POST', '/v1/events', Buffer.from(event, 'utf8'), 'application/json', app.ingest);
    expect(utf8.status).toBe(200);
  });

  it('refuses a \\u escape that leaves half a surrogate pair with a 400 naming the field, instead of storing U+FFFD', async () => {
    // Two ids that differ only in their lone surrogate would both be stored as "lone-\ufffd".
    const batch = (id: string, query: string) =>
      JSON.stringify({ events: [buildEvent({ id: 'ID', query: 'QUERY' })] })
        .replace('"ID"', `"${id}"`)
        .replace('"QUERY"', `"${query}"`);
    const cases: Array<[string, string, string]> = [
      ['/v1/events', batch('lone-1', 'caf\\ud800 ideas'), 'events[0].query'],
      ['/v1/events', batch('lone-\\udc00', 'caf\\u00e9 ideas'), 'events[0].id'],
      [
        '/v1/events',
        batch('lone-2', 'mug \\ud83d\\ude00').replace('"query"', '"properties":{"x\\udfff":1},"query"'),
        'events[0].properties["x\\udfff"]',
      ],
    ];
    for (const [path, body, field] of cases) {
      const res = await send('POST', path, body, 'application/json', app.ingest);
      expect(res.status).toBe(400);
      expect((res.body.errors as Array<{ field: string }>).map((e) => e.field)).toEqual([field]);
    }
    expect(
      await app.t
        .db()
        .collection('events')
        .countDocuments({ id: /^lone-/ }),
    ).toBe(0);
    const attributes = JSON.stringify(buildUserProfile({ attributes: { plan: 'PLAN' } })).replace(
      '"PLAN"',
      '"\\udfff"',
    );
    const profile = await send('PUT', '/v1/users/u-lone', attributes, 'application/json', app.ingest);
    expect(profile.status).toBe(400);
    expect((profile.body.errors as Array<{ field: string }>).map((e) => e.field)).toEqual(['attributes.plan']);
    expect(await app.t.db().collection('users').countDocuments({ userId: 'u-lone' })).toBe(0);
    // A whole pair is one character (an emoji), stored as sent and replayed as a duplicate.
    const emoji = batch('pair-1', 'mug \\ud83d\\ude00');
    expect((await send('POST', '/v1/events', emoji, 'application/json', app.ingest)).body).toEqual({
      accepted: 1,
      duplicates: 0,
    });
    expect((await send('POST', '/v1/events', emoji, 'application/json', app.ingest)).body).toEqual({
      accepted: 0,
      duplicates: 1,
    });
  });

  it('keeps the JSON 400 for malformed JSON and the JSON 413 above 1 MiB', async () => {
    const malformed = await send('POST', '/v1/events', '{"events": [', 'application/json', app.ingest);
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(malformed.body.message).toMatch(/^Malformed request body/);
    const big = JSON.stringify({ events: [buildEvent({ properties: { pad: 'x'.repeat(1_100_000) } })] });
    const tooLarge = await send('POST', '/v1/events', big, 'application/json', app.ingest);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Request body exceeds 1 MiB',
    });
  });

  it('serves routes without a body with no body and no Content-Type', async () => {
    const res: RawResponse = await send('POST', '/v1/users/nobody/journeys:rebuild');
    expect(res.status).toBe(404);
    const key = await send('POST', '/v1/keys', JSON.stringify({ name: 'temp', scope: 'ingest' }), 'application/json');
    expect((await send('DELETE', `/v1/keys/${String(key.body.keyId)}`)).status).toBe(204);
  });

  it('refuses a body on a route that takes none, naming its fields, and changes nothing', async () => {
    const key = await send('POST', '/v1/keys', JSON.stringify({ name: 'kept', scope: 'ingest' }), 'application/json');
    const keyId = String(key.body.keyId);
    const revoke = await send('DELETE', `/v1/keys/${keyId}`, JSON.stringify({ hard: true }), 'application/json');
    expect(revoke.status).toBe(400);
    expect(revoke.body.errors).toEqual([{ field: 'hard', message: 'hard: this request takes no body' }]);
    const listed = await send('GET', '/v1/keys');
    expect(
      (listed.body as unknown as Array<{ keyId: string; status: string }>).find((k) => k.keyId === keyId)?.status,
    ).toBe('active');

    const rebuild = await send('POST', '/v1/users/u-body/journeys:rebuild', '[1]', 'application/json');
    expect(rebuild.status).toBe(400);
    expect(rebuild.body.errors).toEqual([{ field: 'body', message: 'this request takes no body' }]);

    // An empty object is no body: clients that always send one still work.
    expect((await send('DELETE', `/v1/keys/${keyId}`, '{}', 'application/json')).status).toBe(204);
  });

  it('checks the scope before reading the body (403 before 400)', async () => {
    const res = await send('POST', '/v1/keys', '{"name":', 'application/json', app.ingest);
    expect(res.status).toBe(403);
  });
});
