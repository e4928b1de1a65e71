import { buildEvent, buildEvents } from '../factories/event.factory';
import { buildUserProfile } from '../factories/user.factory';
import { rawRequest } from './support/raw-http';
import { useTestApp } from './support/test-app';

type Errors = Array<{ field: string; message: string }>;

/** Hostile field names and values in free-form objects, timestamps and numbers: 400s naming the field. */
describe('hostile fields', () => {
  const app = useTestApp({ database: 'hostile' });

  /** Raw JSON text, so keys such as __proto__ and numbers such as 1e999 reach the server as written. */
  const send = (method: string, path: string, json: string) =>
    rawRequest(app.t.app, {
      method,
      path,
      body: json,
      headers: { Authorization: `Bearer ${app.ingest}`, 'Content-Type': 'application/json' },
    });
  const putUser = (userId: string, json: string) => send('PUT', `/v1/users/${userId}`, json);
  const postEvents = (json: string) => send('POST', '/v1/events', json);
  const getUser = async (userId: string) =>
    (await app.t.http().get(`/v1/users/${userId}`).set('Authorization', `Bearer ${app.admin}`)).body as Record<
      string,
      unknown
    >;
  const eventCount = () => app.t.db().collection('events').countDocuments();
  const profileJson = (attributes: string) =>
    JSON.stringify(buildUserProfile({ attributes: {} })).replace('"attributes":{}', `"attributes":${attributes}`);
  const eventsJson = (properties: string, count = 3) =>
    JSON.stringify({ events: buildEvents(count, { properties: {} }) }).replace(
      /"properties":\{\}/,
      `"properties":${properties}`,
    );

  it('stores attribute names that are Object.prototype members as data', async () => {
    const attributes = { toString: 'a', hasOwnProperty: 'b', valueOf: 1, isPrototypeOf: true, plan: 'pro' };
    const res = await putUser('u-proto', profileJson(JSON.stringify(attributes)));
    expect(res.status).toBe(201);
    expect(res.body.attributes).toEqual(attributes);
    expect((await getUser('u-proto')).attributes).toEqual(attributes);
  });

  it.each([
    ['__proto__ at the top level', '{"__proto__":{"email":"x@example.com"},"locale":"en"}', '__proto__'],
    ['__proto__ in attributes', profileJson('{"__proto__":{"admin":true}}'), 'attributes.__proto__'],
    ['constructor in attributes', profileJson('{"constructor":"x"}'), 'attributes.constructor'],
    [
      'prototype in consent',
      JSON.stringify(buildUserProfile()).replace('"consent":{', '"consent":{"prototype":1,'),
      'consent.prototype',
    ],
    ['a NUL in an attribute name', profileJson('{"pl\\u0000an":"pro"}'), 'attributes["pl\\u0000an"]'],
    ['a $ attribute name', profileJson('{"$where":"1"}'), 'attributes.$where'],
    ['an attribute name with a dot', profileJson('{"a.b":"1"}'), 'attributes["a.b"]'],
    ['1e999 in attributes', profileJson('{"score":1e999}'), 'attributes.score'],
    ['-1e999 in attributes', profileJson('{"score":-1e999}'), 'attributes.score'],
    ['_bsontype in attributes', profileJson('{"_bsontype":"ObjectId","id":"x"}'), 'attributes._bsontype'],
  ])('refuses %s with 400 naming the field and stores nothing', async (_case, json, field) => {
    const res = await putUser('u-refused', json);
    expect(res.status).toBe(400);
    expect((res.body.errors as Errors).map((e) => e.field)).toContain(field);
    expect(await app.t.db().collection('users').countDocuments({ userId: 'u-refused' })).toBe(0);
  });

  it.each([
    ['a NUL in a property name', '{"ok":1,"bad\\u0000key":2}', 'events[0].properties["bad\\u0000key"]'],
    ['a $ property name, nested', '{"a":{"$set":1}}', 'events[0].properties.a.$set'],
    ['a property name with a dot', '{"a.b":1}', 'events[0].properties["a.b"]'],
    ['__proto__ in properties', '{"__proto__":{"x":1}}', 'events[0].properties.__proto__'],
    ['constructor deep in properties', '{"a":[{"constructor":1}]}', 'events[0].properties.a[0].constructor'],
    ['1e999 in properties', '{"big":1e999}', 'events[0].properties.big'],
    ['_bsontype deep in properties', '{"a":[{"_bsontype":"Code","code":"1"}]}', 'events[0].properties.a[0]._bsontype'],
    ['nesting deeper than MongoDB allows', `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`, 'events[0].properties'],
  ])('refuses %s in a batch with 400 naming the field; nothing of the batch is stored', async (_c, props, field) => {
    const res = await postEvents(eventsJson(props));
    expect(res.status).toBe(400);
    expect((res.body.errors as Errors).map((e) => e.field)).toContain(field);
    expect(await eventCount()).toBe(0);
  });

  it('stores properties nested as deep as MongoDB allows', async () => {
    const res = await postEvents(eventsJson(`${'{"a":'.repeat(99)}1${'}'.repeat(99)}`, 1));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 1, duplicates: 0 });
    await app.t.db().collection('events').deleteMany({});
  });

  it('counts empty arrays and objects in properties against their size, so 1 MiB of them is a 400', async () => {
    // Each counts as a value (8); without that, 200,000 of them stored 3 MB under the 65,536-character bound.
    const empties = JSON.stringify(Array.from({ length: 10_000 }, (_, i) => (i % 2 ? [] : {})));
    const res = await postEvents(eventsJson(`{"list":${empties}}`, 1));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'events[0].properties', message: 'properties must hold at most 65536 characters of keys and values' },
    ]);
    expect(await eventCount()).toBe(0);
  });

  it.each([
    ['February 30th', '2026-02-30T12:00:00Z'],
    ['hour 24', '2026-01-10T24:00:00Z'],
    ['year 0000', '0000-01-10T12:00:00Z'],
    ['minute 60', '2026-01-10T12:60:00Z'],
    ['an offset of +25:00', '2026-01-10T12:00:00+25:00'],
    ['April 31st', '2025-04-31T00:00:00Z'],
  ])('refuses an impossible occurredAt (%s) with 400 instead of shifting it', async (_case, occurredAt) => {
    const res = await postEvents(JSON.stringify({ events: [buildEvent({ occurredAt })] }));
    expect(res.status).toBe(400);
    expect((res.body.errors as Errors).map((e) => e.field)).toEqual(['events[0].occurredAt']);
    expect(await eventCount()).toBe(0);
  });

  it('accepts leap days and offsets', async () => {
    const events = [
      buildEvent({ occurredAt: '2024-02-29T23:59:59.999Z' }),
      buildEvent({ occurredAt: '2025-12-31T23:30:00-05:30' }),
    ];
    const res = await postEvents(JSON.stringify({ events }));
    expect(res.status).toBe(200);
    await app.t.db().collection('events').deleteMany({});
  });

  it('caps the errors listed for 1,000 invalid events and counts them all', async () => {
    const events = buildEvents(1000, { type: 'like' });
    const res = await postEvents(JSON.stringify({ events }));
    expect(res.status).toBe(400);
    expect(res.text.length).toBeLessThan(20_000);
    expect((res.body.errors as Errors).length).toBe(100);
    expect(res.body.errorCount).toBe(1000);
    expect((res.body.errors as Errors)[0]).toEqual({
      field: 'events[0].type',
      message: expect.stringContaining('type must be one of') as string,
    });
    expect(res.body.message).toMatch(/^Invalid request: events\[0\]\.type, .* and 99\d more$/);
  });

  it.each([
    ['email', '{"$gt":""}', 'email must be a string'],
    ['locale', '["en"]', 'locale must be a string'],
    ['timeZone', '42', 'timeZone must be a string'],
    ['pushTokens', '{"0":{"platform":"fcm","token":"t"}}', 'pushTokens must be an array'],
    ['consent', '"yes"', 'consent must be an object'],
  ])('says the type of %s is wrong before anything else', async (field, value, message) => {
    const res = await putUser('u-types', JSON.stringify(buildUserProfile({ [field]: JSON.parse(value) })));
    expect(res.status).toBe(400);
    const errors = (res.body.errors as Errors).filter((e) => e.field === field);
    expect(errors).toEqual([{ field, message }]);
  });
});
