import { buildEvents } from '../factories/event.factory';
import { buildUserProfile } from '../factories/user.factory';
import { useTestApp } from './support/test-app';

describe('/v1/users', () => {
  const app = useTestApp({ database: 'users' });
  const t = { http: () => app.t.http(), db: () => app.t.db() };

  const put = (userId: string, body: object) =>
    t
      .http()
      .put(`/v1/users/${encodeURIComponent(userId)}`)
      .set('Authorization', `Bearer ${app.ingest}`)
      .send(body);
  const get = (userId: string) => t.http().get(`/v1/users/${userId}`).set('Authorization', `Bearer ${app.admin}`);

  it('creates (201), reads and replaces (200) a profile', async () => {
    const created = await put('u-create', buildUserProfile()).expect(201);
    expect(created.body).toMatchObject({
      userId: 'u-create',
      email: 'ana@example.com',
      pushTokens: [{ platform: 'fcm', token: 'fcm-token-abc123' }],
      locale: 'en-GB',
      timeZone: 'Europe/London',
      attributes: { plan: 'pro', signupYear: 2024, beta: true },
      consent: { email: true, push: false },
    });
    await put('u-create', { locale: 'fr-FR', consent: { push: true } }).expect(200);
    const read = await get('u-create').expect(200);
    expect(read.body).toMatchObject({
      userId: 'u-create',
      locale: 'fr-FR',
      pushTokens: [],
      consent: { email: false, push: true },
    });
    expect(read.body.email).toBeUndefined();
    expect(read.body.createdAt).toBe(created.body.createdAt);
  });

  it('clears a field sent as null like one left out, and keeps each device once', async () => {
    await put('u-nulls', buildUserProfile()).expect(201);
    const res = await put('u-nulls', {
      email: null,
      locale: null,
      timeZone: null,
      attributes: null,
      consent: null,
      pushTokens: [
        { platform: 'fcm', token: 'device-1' },
        { platform: 'fcm', token: 'device-1' },
        { platform: 'fcm', token: 'device-2' },
      ],
    }).expect(200);
    expect(res.body.pushTokens).toEqual([
      { platform: 'fcm', token: 'device-1' },
      { platform: 'fcm', token: 'device-2' },
    ]);
    const stored = await t.db().collection('users').findOne({ userId: 'u-nulls' });
    for (const field of ['email', 'locale', 'timeZone']) expect(stored).not.toHaveProperty(field);
    expect(stored).toMatchObject({ attributes: {}, consent: { email: false, push: false } });
  });

  it('stores a locale and a time zone in their canonical spelling, so one place reads as one everywhere', async () => {
    const res = await put('u-spelling', buildUserProfile({ locale: 'fr_fr', timeZone: 'europe/paris' })).expect(201);
    expect(res.body).toMatchObject({ locale: 'fr-FR', timeZone: 'Europe/Paris' });
    const stored = await t.db().collection('users').findOne({ userId: 'u-spelling' });
    expect(stored).toMatchObject({ locale: 'fr-FR', timeZone: 'Europe/Paris' });
    const facts = await t.db().collection('audience_facts').findOne({ userId: 'u-spelling' });
    expect(facts).toMatchObject({ locale: 'fr-FR' });
  });

  it('keeps a device once however its token is spelt: a web push endpoint, an APNs token in either case', async () => {
    const subscription = { endpoint: 'https://push.example.com/send/abc', keys: { p256dh: 'BPk1', auth: 'a2V5' } };
    const apns = 'a1b2'.repeat(16);
    const res = await put('u-devices', {
      pushTokens: [
        { platform: 'webpush', token: JSON.stringify(subscription) },
        { platform: 'webpush', token: JSON.stringify({ ...subscription, expirationTime: null }) },
        { platform: 'webpush', token: JSON.stringify({ keys: subscription.keys, endpoint: subscription.endpoint }) },
        { platform: 'apns', token: apns },
        { platform: 'apns', token: apns.toUpperCase() },
      ],
    }).expect(201);
    expect(res.body.pushTokens).toEqual([
      { platform: 'webpush', token: JSON.stringify(subscription) },
      { platform: 'apns', token: apns },
    ]);
  });

  it('answers 404 for an unknown user', async () => {
    const res = await get('nobody').expect(404);
    expect(res.body.message).toContain('nobody');
  });

  describe('validation matrix: each bad field gives 400 naming it and changes nothing', () => {
    it.each([
      ['email', { email: 'not-an-email' }],
      ['pushTokens', { pushTokens: 'fcm:abc' }],
      ['pushTokens[0].platform', { pushTokens: [{ platform: 'sms', token: 't' }] }],
      ['pushTokens[0].token', { pushTokens: [{ platform: 'apns', token: '' }] }],
      [
        'pushTokens[1].extra',
        {
          pushTokens: [
            { platform: 'fcm', token: 'a' },
            { platform: 'webpush', token: 'b', extra: 1 },
          ],
        },
      ],
      ['locale', { locale: 'not a locale!' }],
      // Tags the message formatting cannot use: a profile with one would never be sent anything.
      ['locale', { locale: 'x-private' }],
      ['locale', { locale: 'i-klingon' }],
      ['timeZone', { timeZone: 'Mars/Olympus_Mons' }],
      ['attributes.nested', { attributes: { nested: { deep: 1 } } }],
      ['attributes', { attributes: ['plan'] }],
      ['pushTokens', { pushTokens: [[{ platform: 'fcm', token: 't' }]] }],
      ['pushTokens[0].token', { pushTokens: [{ platform: 'fcm', token: 'two words' }] }],
      ['pushTokens[0].token', { pushTokens: [{ platform: 'apns', token: 'zz not hex' }] }],
      [
        'pushTokens[1].token',
        {
          pushTokens: [
            { platform: 'fcm', token: 'a' },
            { platform: 'webpush', token: 'notjson' },
          ],
        },
      ],
      ['consent', { consent: [] }],
      ['consent', { consent: [true] }],
      ['consent', { consent: [{ email: true }] }],
      ['consent.email', { consent: { email: 'yes' } }],
      ['consent.sms', { consent: { sms: true } }],
      ['nickname', { nickname: 'ana' }],
    ])('%s', async (field, patch) => {
      await put('u-matrix', buildUserProfile()).expect((r) => expect([200, 201]).toContain(r.status));
      const before = (await get('u-matrix').expect(200)).body;
      const res = await put('u-matrix', buildUserProfile(patch)).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect((await get('u-matrix').expect(200)).body).toEqual(before);
    });

    it('a body that is not an object', async () => {
      const res = await put('u-array', [buildUserProfile()]).expect(400);
      expect(res.body.statusCode).toBe(400);
      expect(await t.db().collection('users').countDocuments({ userId: 'u-array' })).toBe(0);
    });

    it.each(['null', '7', '"profile"', 'true'])('a body of %s leaves the profile as it was', async (body) => {
      await put('u-null', buildUserProfile()).expect((r) => expect([200, 201]).toContain(r.status));
      const before = (await get('u-null').expect(200)).body;
      const res = await t
        .http()
        .put('/v1/users/u-null')
        .set('Authorization', `Bearer ${app.ingest}`)
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(400);
      expect(res.body.errors[0].message).toBe('The request body must be a JSON object');
      expect((await get('u-null').expect(200)).body).toEqual(before);
    });

    it.each([' ', 'a\u0000b', 'a\nb', 'tab\there', '\u200b', '\u2060\ufeff', '\u200e \u200f'])(
      'userId %j',
      async (userId) => {
        const res = await put(userId, buildUserProfile()).expect(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('userId');
        expect(await t.db().collection('users').countDocuments({ userId })).toBe(0);
      },
    );

    it('erases what earlier versions stored under an id that is only invisible characters', async () => {
      const userId = '\u200b';
      await t
        .db()
        .collection('users')
        .insertOne({ ...buildUserProfile(), userId });
      const res = await t
        .http()
        .delete(`/v1/users/${encodeURIComponent(userId)}`)
        .set('Authorization', `Bearer ${app.admin}`)
        .expect(200);
      expect(res.body.erased).toMatchObject({ users: 1 });
      expect(await t.db().collection('users').countDocuments({ userId })).toBe(0);
    });

    it('userId longer than 256 characters', async () => {
      const res = await put('u'.repeat(257), buildUserProfile()).expect(400);
      expect(res.body.errors[0].field).toBe('userId');
      expect(
        await t
          .db()
          .collection('users')
          .countDocuments({ userId: 'u'.repeat(257) }),
      ).toBe(0);
    });

    it('userId measured as events measure it, so a profile is never stored for an id its events are refused with', async () => {
      // 129 emoji: 129 code points, 258 UTF-16 characters (what the 256 of events and conversions count).
      const userId = '\u{1F600}'.repeat(129);
      const res = await put(userId, buildUserProfile()).expect(400);
      expect(res.body.errors[0].field).toBe('userId');
      expect(await t.db().collection('users').countDocuments({ userId })).toBe(0);
      const events = await t
        .http()
        .post('/v1/events')
        .set('Authorization', `Bearer ${app.ingest}`)
        .send({ events: buildEvents(1, { userId }) })
        .expect(400);
      expect(events.body.errors[0].field).toBe('events[0].userId');
      await put('\u{1F600}'.repeat(128), buildUserProfile()).expect(201);
    });
  });

  it('erases a user and their events, reports counts, and is idempotent', async () => {
    await put('u-erase', buildUserProfile()).expect(201);
    await put('u-keep', buildUserProfile()).expect(201);
    const events = [...buildEvents(7, { userId: 'u-erase' }), ...buildEvents(3, { userId: 'u-keep' })];
    await t.http().post('/v1/events').set('Authorization', `Bearer ${app.ingest}`).send({ events }).expect(200);

    const res = await t.http().delete('/v1/users/u-erase').set('Authorization', `Bearer ${app.admin}`).expect(200);
    expect(res.body).toEqual({
      userId: 'u-erase',
      erased: {
        audienceFacts: 1,
        campaignRunLedger: 0,
        campaignRunShards: 0,
        copyCache: 0,
        events: 7,
        experimentAssignments: 0,
        experimentOutcomes: 0,
        frequencyCaps: 0,
        journeyJudgements: 0,
        journeys: 0,
        notifications: 0,
        rankingExamples: 0,
        tracking: 0,
        unsubscribes: 0,
        users: 1,
      },
    });
    await get('u-erase').expect(404);
    expect(await t.db().collection('events').countDocuments({ userId: 'u-erase' })).toBe(0);
    expect(await t.db().collection('events').countDocuments({ userId: 'u-keep' })).toBe(3);

    const again = await t.http().delete('/v1/users/u-erase').set('Authorization', `Bearer ${app.admin}`).expect(200);
    expect(again.body.erased).toEqual({
      audienceFacts: 0,
      campaignRunLedger: 0,
      campaignRunShards: 0,
      copyCache: 0,
      events: 0,
      experimentAssignments: 0,
      experimentOutcomes: 0,
      frequencyCaps: 0,
      journeyJudgements: 0,
      journeys: 0,
      notifications: 0,
      rankingExamples: 0,
      tracking: 0,
      unsubscribes: 0,
      users: 0,
    });
  });

  it('reserves reading and erasing profiles to admin keys', async () => {
    await t.http().get('/v1/users/u-keep').set('Authorization', `Bearer ${app.ingest}`).expect(403);
    await t.http().delete('/v1/users/u-keep').set('Authorization', `Bearer ${app.ingest}`).expect(403);
    await get('u-keep').expect(200);
  });

  it.each([
    ['email', { email: 'ana@example.com.' }],
    ['consent.sms', { consent: { email: true, sms: true } }],
  ])('refuses %s, storing no profile', async (field, body) => {
    const res = await put('u-refused', body).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    expect(await t.db().collection('users').countDocuments({ userId: 'u-refused' })).toBe(0);
  });

  it('keeps one FCM token listed twice once', async () => {
    const token = { platform: 'fcm', token: 'fcm-token-abc' };
    const res = await put('u-listed-twice', { pushTokens: [token, token] }).expect(201);
    expect(res.body.pushTokens).toEqual([token]);
  });

  it('creates a new user once when two profiles for it arrive together', async () => {
    for (let i = 0; i < 5; i++) {
      const userId = `u-together-${i}`;
      const answers = await Promise.all([put(userId, { locale: 'fr-FR' }), put(userId, { locale: 'de-DE' })]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
      expect(await t.db().collection('users').countDocuments({ userId })).toBe(1);
      expect(await t.db().collection('audience_facts').countDocuments({ userId })).toBe(1);
    }
  });
});
