import { EventRepository } from '../../src/modules/ingest/event.repository';
import { buildEvent, buildEvents } from '../factories/event.factory';
import { beforeNextCall } from './support/tracking';
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

  it('answers 409 naming each event that reuses a stored id with other content, and stores nothing of the batch', async () => {
    const events = buildEvents(3);
    await post({ events }).expect(200);
    const fresh = buildEvent();
    const batch = [
      fresh,
      events[0],
      { ...events[1], userId: 'user-2' },
      { ...events[2], occurredAt: new Date(Date.now() - 120_000).toISOString(), board: { name: 'Bathroom' } },
    ];
    const res = await post({ events: batch }).expect(409);
    expect(res.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'Already used with other content: events[2].id, events[3].id',
      errors: [
        { field: 'events[2].id', message: `id ${events[1].id} is already used by a stored event with another userId` },
        {
          field: 'events[3].id',
          message: `id ${events[2].id} is already used by a stored event with another occurredAt, board`,
        },
      ],
      errorCount: 2,
    });
    expect(await count()).toBe(3);
    expect(await t.db().collection('events').findOne({ id: events[1].id })).toMatchObject({ userId: 'user-1' });
    // The same event again, its instant written another way, is still a replay.
    const replay = { ...events[0], occurredAt: events[0].occurredAt.replace('Z', '+00:00') };
    expect((await post({ events: [fresh, replay] }).expect(200)).body).toEqual({ accepted: 1, duplicates: 1 });
  });

  it('answers 409 for an id used twice in one batch with other content, and stores nothing', async () => {
    const event = buildEvent();
    const res = await post({ events: [buildEvent(), event, { ...event, query: 'large kitchen' }] }).expect(409);
    expect(res.body.errors).toEqual([
      { field: 'events[2].id', message: `id ${event.id} is already used by events[1] with another query` },
    ]);
    expect(await count()).toBe(0);
  });

  it('stores an id once when batches with other content for it arrive at once: one is refused whole', async () => {
    for (let round = 0; round < 5; round += 1) {
      const shared = buildEvent();
      const batches = ['user-a', 'user-b'].map((userId) => [...buildEvents(20, { userId }), { ...shared, userId }]);
      const answers = await Promise.all(batches.map((events) => post({ events })));
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = answers.findIndex((r) => r.status === 200);
      const stored = await t.db().collection('events').find().toArray();
      expect(stored.map((e) => e.id).sort()).toEqual(batches[winner].map((e) => e.id).sort());
      expect(stored.find((e) => e.id === shared.id)).toMatchObject({ userId: ['user-a', 'user-b'][winner] });
      await t.db().collection('events').deleteMany({});
    }
  });

  it('keeps an event a replay was told is stored when the batch that wrote it is refused afterwards', async () => {
    const kept = buildEvent();
    const contested = buildEvent({ query: 'mine' });
    const events = t.app.get(EventRepository);
    let replay: unknown;
    // Another request takes the contested id just before this batch writes: the batch stores `kept`, finds the
    // conflict only when it reads the contested id again, and takes back what it wrote. A replay of `kept` is
    // answered in between.
    beforeNextCall(events, 'insertMany', async () => {
      await post({ events: [{ ...contested, query: 'theirs' }] }).expect(200);
      beforeNextCall(events, 'findByIds', async () => {
        replay = (await post({ events: [kept] }).expect(200)).body;
      });
    });
    await post({ events: [kept, contested] }).expect(409);
    expect(replay).toEqual({ accepted: 0, duplicates: 1 });
    expect(await t.db().collection('events').countDocuments({ id: kept.id })).toBe(1);
    // Sent again, it is the same event still.
    expect((await post({ events: [kept] }).expect(200)).body).toEqual({ accepted: 0, duplicates: 1 });
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
