import { UserErasureRegistry } from '../../src/common/erasure/user-erasure.registry';
import { AudienceFactsRepository } from '../../src/modules/audience/audience-facts.repository';
import { UserRepository } from '../../src/modules/ingest/user.repository';
import { RecipientPreferences } from '../../src/modules/tracking/notification-tracking';
import { RecipientPreferencesService } from '../../src/modules/tracking/recipient-preferences.service';
import { duringErasure } from '../setup/erasure-probe';
import { beforeNextCall } from './support/tracking';
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

  describe('of a user being erased', () => {
    afterEach(() => jest.restoreAllMocks());
    const erase = (userId: string) =>
      http().delete(`/v1/users/${userId}`).set('Authorization', `Bearer ${app.admin}`).expect(200);
    const stored = async (userId: string) => ({
      unsubscribes: await app.t.db().collection('unsubscribes').countDocuments({ userId }),
      audienceFacts: await app.t.db().collection('audience_facts').countDocuments({ userId }),
    });
    const profiled = (userId: string) =>
      http()
        .put(`/v1/users/${userId}`)
        .set(key())
        .send({ email: `${userId}@example.com`, consent: { email: true, push: false } })
        .expect(201);

    it('keeps nothing of a category left while the erasure runs, and says so', async () => {
      await profiled('dee');
      let answer: { status: number; body: unknown } | undefined;
      // After the erasure removed the user's unsubscribes, before the profile goes.
      const ran = duringErasure(app.t.app.get(UserErasureRegistry), 'dee', async () => {
        answer = await http().put('/v1/users/dee/unsubscribes/news').set(key()).send({});
      });
      await erase('dee');
      expect(ran()).toBe(true);
      expect(answer).toMatchObject({
        status: 200,
        body: { userId: 'dee', category: 'news', unsubscribed: true, erased: true },
      });
      expect(await stored('dee')).toEqual({ unsubscribes: 0, audienceFacts: 0 });
    });

    it('keeps nothing of a category left as the erasure ends, found with the profile gone', async () => {
      await profiled('eli');
      let put: Promise<unknown> | undefined;
      const preferences = app.t.app.get(RecipientPreferencesService);
      // Stored while the profile is still marked; looked for once the erasure is over.
      duringErasure(app.t.app.get(UserErasureRegistry), 'eli', async () => {
        const stored = new Promise<void>((resolve) => {
          const unsubscribe = preferences.unsubscribe.bind(preferences);
          jest.spyOn(preferences, 'unsubscribe').mockImplementationOnce(async (record) => {
            const added = await unsubscribe(record);
            resolve();
            return added;
          });
        });
        beforeNextCall(app.t.app.get(UserRepository), 'findErasingOrGone', () => erasure);
        put = http().put('/v1/users/eli/unsubscribes/news').set(key()).send({}).then();
        await stored;
      });
      const erasure = erase('eli').then();
      await erasure;
      await put;
      expect(await stored('eli')).toEqual({ unsubscribes: 0, audienceFacts: 0 });
    });

    it('keeps no audience facts of a category left as the whole erasure runs between its record and its facts', async () => {
      await profiled('gil');
      const facts = app.t.app.get(AudienceFactsRepository);
      const record = beforeNextCall(facts, 'recordUnsubscribe', () => erase('gil'));
      const answer = await http().put('/v1/users/gil/unsubscribes/news').set(key()).send({}).expect(200);
      expect(record).toHaveBeenCalled();
      expect(answer.body).toEqual({ userId: 'gil', category: 'news', unsubscribed: true, erased: true });
      expect(await stored('gil')).toEqual({ unsubscribes: 0, audienceFacts: 0 });
    });

    it('keeps the categories a user without a profile leaves', async () => {
      await http().put('/v1/users/fox/unsubscribes/news').set(key()).send({}).expect(201);
      expect(await stored('fox')).toEqual({ unsubscribes: 1, audienceFacts: 1 });
    });
  });
});
