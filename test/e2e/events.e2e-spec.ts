import { buildEvent, buildEvents } from '../factories/event.factory';
import { TestApp, TestServers, createTestApp, startTestServers } from './support/test-app';

describe('POST /v1/events', () => {
  let servers: TestServers;
  let t: TestApp;
  let token: string;
  const count = () => t.db().collection('events').countDocuments();

  beforeAll(async () => {
    servers = await startTestServers();
    t = await createTestApp(servers, { database: 'events' });
    token = await t.createKey('ingest');
  });
  afterAll(async () => {
    await t?.close();
    await servers?.stop();
  });
  beforeEach(async () => {
    await t.db().collection('events').deleteMany({});
  });

  const post = (body: unknown) =>
    t
      .http()
      .post('/v1/events')
      .set('Authorization', `Bearer ${token}`)
      .send(body as object);

  it('stores a batch and reports it accepted', async () => {
    const events = buildEvents(30);
    const res = await post({ events }).expect(200);
    expect(res.body).toEqual({ accepted: 30, duplicates: 0 });
    expect(await count()).toBe(30);
    const stored = await t.db().collection('events').findOne({ id: events[1].id });
    expect(stored).toMatchObject({ userId: 'user-1', type: 'save', item: { title: events[1].item?.title } });
    expect(stored?.occurredAt).toBeInstanceOf(Date);
  });

  it('is idempotent on id: a replay is reported as duplicates and stored once', async () => {
    const events = buildEvents(20);
    await post({ events }).expect(200);
    const replay = await post({ events: [...events.slice(0, 10), ...buildEvents(5)] }).expect(200);
    expect(replay.body).toEqual({ accepted: 5, duplicates: 10 });
    expect(await count()).toBe(25);
  });

  it('counts an id repeated inside one batch as a duplicate', async () => {
    const event = buildEvent();
    const res = await post({ events: [event, event, buildEvent()] }).expect(200);
    expect(res.body).toEqual({ accepted: 2, duplicates: 1 });
  });

  it('rejects the whole batch when one event is bad, naming index and field', async () => {
    const events = buildEvents(6);
    events[3] = { ...events[3], item: { id: 'i', title: 'x'.repeat(513) } };
    events[5] = { ...events[5], occurredAt: 'yesterday' };
    const res = await post({ events }).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'events[3].item.title',
      'events[5].occurredAt',
    ]);
    expect(res.body.message).toContain('events[3].item.title');
    expect(await count()).toBe(0);
  });

  it('accepts 1000 events and rejects 1001', async () => {
    await post({ events: buildEvents(1000) }).expect(200);
    const res = await post({ events: buildEvents(1001) }).expect(400);
    expect(res.body.errors[0].field).toBe('events');
    expect(await count()).toBe(1000);
  });

  it('answers a body over 1 MiB with a JSON 413 and stores nothing', async () => {
    const big = buildEvents(900, { properties: { note: 'y'.repeat(1200) } });
    const res = await post({ events: big }).expect(413);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    expect(await count()).toBe(0);
  });

  it('answers malformed JSON with a JSON 400', async () => {
    const res = await t
      .http()
      .post('/v1/events')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send('{"events": [')
      .expect(400);
    expect(res.body.statusCode).toBe(400);
  });
});
