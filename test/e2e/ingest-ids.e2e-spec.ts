import { buildEvent } from '../factories/event.factory';
import { useTestApp } from './support/test-app';

/** Ids a console row, a CSV cell or a log line would show broken or blank are refused, and nothing is stored. */
describe('ids with control characters, line breaks or nothing visible', () => {
  const app = useTestApp({ database: 'ingest_ids' });
  const t = { http: () => app.t.http(), db: () => app.t.db() };

  const post = (events: object[]) =>
    t.http().post('/v1/events').set('Authorization', `Bearer ${app.ingest}`).send({ events });
  const fields = (body: { errors: Array<{ field: string }> }) => body.errors.map((e) => e.field);

  afterEach(async () => {
    await t.db().collection('events').deleteMany({});
    await t.db().collection('users').deleteMany({});
  });

  const CONTROL = 'must not contain control characters';
  const BLANK = 'must not be blank';
  it.each([
    ['userId', 'NEL', 'u\u0085x', CONTROL],
    ['userId', 'a C1 control', 'u\u009bx', CONTROL],
    ['userId', 'the line separator', 'u\u2028x', CONTROL],
    ['userId', 'the paragraph separator', 'u\u2029x', CONTROL],
    ['id', 'NUL', 'e\u0000x', CONTROL],
    ['id', 'BEL', 'e\u0007x', CONTROL],
    ['id', 'a line feed', 'e\nx', CONTROL],
    ['id', 'the line separator', 'e\u2028x', CONTROL],
    ['id', 'only a zero-width space', '\u200b', BLANK],
    ['id', 'only white space', ' \t', BLANK],
  ])('an event %s with %s is a 400 naming it', async (field, _name, value, problem) => {
    const res = await post([buildEvent(), buildEvent({ [field]: value })]).expect(400);
    expect(fields(res.body)).toEqual([`events[1].${field}`]);
    expect(res.body.errors[0].message).toMatch(new RegExp(`^${field} ${problem}`));
    expect(await t.db().collection('events').countDocuments()).toBe(0);
  });

  it.each(['u\u0085x', 'u\u2028x'])('PUT /v1/users/%j is a 400 naming userId', async (userId) => {
    const res = await t
      .http()
      .put(`/v1/users/${encodeURIComponent(userId)}`)
      .set('Authorization', `Bearer ${app.ingest}`)
      .send({})
      .expect(400);
    expect(fields(res.body)).toEqual(['userId']);
    expect(await t.db().collection('users').countDocuments()).toBe(0);
  });

  it('a profile stored under a line separator by an earlier version can still be read and erased', async () => {
    const userId = 'u\u2028old';
    const now = new Date();
    await t
      .db()
      .collection('users')
      .insertOne({ userId, pushTokens: [], attributes: {}, consent: {}, createdAt: now, updatedAt: now });
    const path = `/v1/users/${encodeURIComponent(userId)}`;
    await t.http().get(path).set('Authorization', `Bearer ${app.admin}`).expect(200);
    const erased = await t.http().delete(path).set('Authorization', `Bearer ${app.admin}`).expect(200);
    expect(erased.body.erased.users).toBe(1);
  });
});
