import { RecipientPreferences } from '../../src/modules/tracking/notification-tracking';
import { useTestApp } from './support/test-app';

/** A user's unsubscribes as the product's own preference center sets them: what every send reads next. */
describe("a user's unsubscribes through the API", () => {
  const app = useTestApp({ database: 'user_unsubscribes' });
  const http = () => app.t.http();
  const key = () => ({ Authorization: `Bearer ${app.ingest}` });
  const leftFor = (userId: string, category: string) =>
    app.t.app.get(RecipientPreferences).isUnsubscribed(userId, category);

  it('leaves a category, lists it, and comes back to it for the next message', async () => {
    const put = await http().put('/v1/users/ana/unsubscribes/weekly-digest').set(key()).send({});
    expect(put.status).toBe(201);
    expect(put.body).toEqual({ userId: 'ana', category: 'weekly-digest', unsubscribed: true });
    await http().put('/v1/users/ana/unsubscribes/weekly-digest').set(key()).send({}).expect(200);
    expect(await leftFor('ana', 'weekly-digest')).toBe(true);
    expect(await leftFor('ana', 'promotions')).toBe(false);

    const list = await http().get('/v1/users/ana/unsubscribes').set(key()).expect(200);
    expect(list.body).toEqual({
      userId: 'ana',
      unsubscribes: [{ category: 'weekly-digest', at: expect.any(String), source: 'api' }],
    });

    await http().delete('/v1/users/ana/unsubscribes/weekly-digest').set(key()).expect(204);
    expect(await leftFor('ana', 'weekly-digest')).toBe(false);
    const again = await http().delete('/v1/users/ana/unsubscribes/weekly-digest').set(key()).expect(404);
    expect(again.body.message).toBe('user ana has not left category weekly-digest');
    expect((await http().get('/v1/users/ana/unsubscribes').set(key()).expect(200)).body.unsubscribes).toEqual([]);
  });

  it('leaves everything with *, and coming back from everything keeps a category left on its own', async () => {
    await http().put('/v1/users/ben/unsubscribes/promotions').set(key()).send({}).expect(201);
    await http().put('/v1/users/ben/unsubscribes/*').set(key()).send({}).expect(201);
    expect(await leftFor('ben', 'weekly-digest')).toBe(true);
    await http().delete('/v1/users/ben/unsubscribes/*').set(key()).expect(204);
    expect(await leftFor('ben', 'weekly-digest')).toBe(false);
    expect(await leftFor('ben', 'promotions')).toBe(true);
  });

  it('refuses a bad category or body with a 400 naming it, and records nothing', async () => {
    const spaced = await http().put('/v1/users/cara/unsubscribes/two%20words').set(key()).send({}).expect(400);
    expect(spaced.body.errors[0].field).toBe('category');
    // No category has a control character: the user would be told they left one no message is ever sent in.
    for (const category of ['news%01', '%7Fnews']) {
      const control = await http().put(`/v1/users/cara/unsubscribes/${category}`).set(key()).send({}).expect(400);
      expect(control.body.errors[0].field).toBe('category');
    }
    expect((await http().get('/v1/users/cara/unsubscribes').set(key()).expect(200)).body.unsubscribes).toEqual([]);
    const extra = await http().put('/v1/users/cara/unsubscribes/news').set(key()).send({ when: 'now' }).expect(400);
    expect(extra.body.errors[0].field).toBe('when');
    expect(await leftFor('cara', 'news')).toBe(false);
  });

  it('needs an ingest key', async () => {
    await http().put('/v1/users/dan/unsubscribes/news').send({}).expect(401);
    await http().get('/v1/users/dan/unsubscribes').expect(401);
    expect(await leftFor('dan', 'news')).toBe(false);
  });
});
