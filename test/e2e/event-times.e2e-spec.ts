import { buildEvent } from '../factories/event.factory';
import { useTestApp } from './support/test-app';

/** `occurredAt` is read as ISO 8601 with a time zone, and nothing else `Date.parse` would take. */
describe('POST /v1/events occurredAt forms', () => {
  const app = useTestApp({ database: 'event_times' });
  const t = { http: () => app.t.http(), db: () => app.t.db() };

  const post = (events: object[]) =>
    t.http().post('/v1/events').set('Authorization', `Bearer ${app.ingest}`).send({ events });

  afterEach(() => t.db().collection('events').deleteMany({}));

  it.each([
    ['2026-03-01T10:00:00+05', '2026-03-01T05:00:00.000Z'],
    ['2026-03-01T10:00:00-03', '2026-03-01T13:00:00.000Z'],
    ['2026-03-01T10:00:00+0530', '2026-03-01T04:30:00.000Z'],
    ['2026-03-01T10:00:00.123456789Z', '2026-03-01T10:00:00.123Z'],
  ])('stores %s as %s', async (occurredAt, instant) => {
    const event = buildEvent({ occurredAt });
    await post([event]).expect(200);
    const stored = await t.db().collection('events').findOne({ id: event.id });
    expect((stored?.occurredAt as Date).toISOString()).toBe(instant);
  });

  it.each([
    // RFC 3339 allows lower case; ISO 8601, which the API reads, does not.
    '2026-03-01t10:00:00z',
    '2026-03-01T10:00:00z',
    // A leap second: no Date holds it, and rolling it over would move the event to the next day.
    '2026-12-31T23:59:60Z',
    '0000-03-01T10:00:00Z',
    '10000-03-01T10:00:00Z',
    '2026-03-01',
    '2026-03-01T10:00:00',
    '2026-03-01 10:00:00Z',
    '2026-03-01T10:00:00.1234567891Z',
    '2026-03-01T10:00:00+05:',
    // Read by Date.parse, but no ISO 8601.
    'Sun, 01 Mar 2026 10:00:00 GMT',
    '2026/03/01 10:00:00 UTC',
    'March 1, 2026 10:00 GMT+0000',
  ])('refuses %s naming events[1].occurredAt and stores nothing', async (occurredAt) => {
    const res = await post([buildEvent(), buildEvent({ occurredAt })]).expect(400);
    expect(res.body.errors).toEqual([
      { field: 'events[1].occurredAt', message: 'occurredAt must be a valid ISO-8601 timestamp with a time zone' },
    ]);
    expect(await t.db().collection('events').countDocuments()).toBe(0);
  });
});
