import { buildEvent } from '../factories/event.factory';
import { TestApp, TestServers, createTestApp, startTestServers } from './support/test-app';

/** Every event field's bad value gives 400 naming `events[1].<field>`, and nothing of the batch is stored. */
describe('POST /v1/events validation matrix', () => {
  let servers: TestServers;
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    servers = await startTestServers();
    t = await createTestApp(servers, { database: 'validation' });
    token = await t.createKey('ingest');
  });
  afterAll(async () => {
    await t?.close();
    await servers?.stop();
  });

  const inFuture = (ms: number) => new Date(Date.now() + ms).toISOString();
  const item = (patch: object) => ({
    type: 'view',
    query: undefined,
    item: { id: 'i1', title: 'Oak table', ...patch },
  });

  it.each([
    ['id', { id: undefined }],
    ['id', { id: 42 }],
    ['userId', { userId: '' }],
    // Blank to a reader: zero-width and other invisible format characters, alone or with white space.
    ['userId', { userId: '\u200b' }],
    ['userId', { userId: '\ufeff\u200b\u2060' }],
    ['userId', { userId: ' \u200e\u00ad ' }],
    ['type', { type: 'like' }],
    ['occurredAt', { occurredAt: '2026-13-01T00:00:00Z' }],
    ['occurredAt', { occurredAt: inFuture(10 * 60_000) }],
    ['occurredAt', { occurredAt: '0001-01-01T00:00:00Z' }],
    ['occurredAt', { occurredAt: '1800-06-01T12:00:00Z' }],
    ['query', { query: 'q'.repeat(513) }],
    ['query', { query: undefined }],
    ['item', { type: 'save', query: undefined }],
    ['item.id', item({ id: undefined })],
    ['item.title', item({ title: 't'.repeat(513) })],
    ['item.annotations', item({ annotations: Array.from({ length: 51 }, (_, i) => `a${i}`) })],
    ['item.annotations[1]', item({ annotations: ['ok', 7] })],
    ['item.categories', item({ categories: 'home' })],
    ['board.name', { type: 'board', query: undefined, board: {} }],
    ['properties', { properties: ['a'] }],
    ['color', { color: 'red' }],
  ])('%s', async (field, patch) => {
    const events = [buildEvent(), buildEvent(patch), buildEvent()];
    const res = await t.http().post('/v1/events').set('Authorization', `Bearer ${token}`).send({ events }).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([`events[1].${field}`]);
    expect(await t.db().collection('events').countDocuments()).toBe(0);
  });

  it('accepts a timestamp just inside the 5-minute future skew', async () => {
    const res = await t
      .http()
      .post('/v1/events')
      .set('Authorization', `Bearer ${token}`)
      .send({ events: [buildEvent({ occurredAt: inFuture(4 * 60_000) })] })
      .expect(200);
    expect(res.body.accepted).toBe(1);
  });
});
