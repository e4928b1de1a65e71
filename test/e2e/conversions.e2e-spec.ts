import { UserErasureRegistry } from '../../src/common/erasure/user-erasure.registry';
import { ExperimentAssignments, ExperimentOutcomes } from '../../src/modules/experiments/experiment-ports';
import { ExperimentReportsService } from '../../src/modules/experiments/experiment-reports.service';
import { ConversionRepository } from '../../src/modules/tracking/conversion.repository';
import { TRACKING_JOBS, TrackingProducer } from '../../src/modules/tracking/jobs/tracking.queue';
import { TrackingEventRepository } from '../../src/modules/tracking/tracking-event.repository';
import { buildCampaign } from '../factories/campaign.factory';
import { duringErasure } from '../setup/erasure-probe';
import { useTestApp } from './support/test-app';
import { beforeNextCall, LINKS_BASE, pathOf, sendTracked } from './support/tracking';

const HOUR = 3_600_000;
const hoursAgo = (h: number) => new Date(Date.now() - h * HOUR);

/** Polls until `read` returns true, failing after `timeoutMs`. */
async function eventually(read: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await read())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('POST /v1/conversions', () => {
  const app = useTestApp({
    database: 'tracking_conversions',
    // The pending-conversions sweep fires every second (it takes conversions pending for 5 minutes).
    env: {
      PUBLIC_BASE_URL: LINKS_BASE,
      TRACKING_CONVERSION_WINDOW_HOURS: '24',
      TRACKING_PENDING_CONVERSIONS_CRON: '* * * * * *',
    },
  });
  const post = (body: unknown, key = app.ingest) =>
    app.t
      .http()
      .post('/v1/conversions')
      .set('Authorization', `Bearer ${key}`)
      .send(body as object);
  const stored = () => app.t.db().collection('conversions').countDocuments();

  it('needs an ingest key', async () => {
    await app.t
      .http()
      .post('/v1/conversions')
      .send({ id: 'x', userId: 'u', occurredAt: hoursAgo(0).toISOString() })
      .expect(401);
    expect(await stored()).toBe(0);
  });

  it('refuses a conversion dated before 2000 with a 400 naming occurredAt, and stores nothing', async () => {
    const res = await post({ id: 'order-ancient', userId: 'ana', occurredAt: '0001-01-01T00:00:00Z' }).expect(400);
    expect(res.body.errors).toEqual([
      { field: 'occurredAt', message: 'occurredAt must not be before 2000-01-01T00:00:00Z' },
    ]);
    expect(await stored()).toBe(0);
  });

  it("attributes to the user's last notification sent within the window, once per id", async () => {
    const campaign = buildCampaign({ id: 'digest' });
    await app.t.app.get(ExperimentAssignments).assign({ campaign, runId: 'r1', userId: 'ana', now: hoursAgo(12) });
    // Issued before notifications carried their tracking: attributed alongside the ones that do.
    await sendTracked(
      app.t.app,
      { notificationId: 'old-1', userId: 'ana', campaignId: 'promo' },
      hoursAgo(10),
      'own-record',
    );
    await sendTracked(app.t.app, { notificationId: 'last-1', userId: 'ana' }, hoursAgo(5));
    const body = { id: 'order-1', userId: 'ana', occurredAt: hoursAgo(1).toISOString(), value: 42.5 };
    const res = await post(body).expect(201);
    expect(res.body).toEqual({
      id: 'order-1',
      attributed: true,
      notificationId: 'last-1',
      campaignId: 'digest',
      duplicate: false,
    });
    expect((await post(body).expect(200)).body).toMatchObject({ duplicate: true, notificationId: 'last-1' });
    const changed = await post({ ...body, value: 99 }).expect(409);
    expect(changed.body.message).toContain('order-1');
    const events = await app.t.db().collection('tracking_events').find({ kind: 'conversion' }).toArray();
    expect(events).toMatchObject([{ notificationId: 'last-1', conversionId: 'order-1', value: 42.5, repeat: false }]);

    const outcomes = await app.t.db().collection('experiment_outcomes').find({ userId: 'ana' }).toArray();
    // Reported for no campaign: it counts in every experiment ana is assigned in, within its window.
    expect(outcomes).toMatchObject([
      {
        kind: 'conversion',
        notificationId: 'last-1',
        value: 42.5,
        attributions: [expect.objectContaining({ experimentId: 'digest.v1' })],
      },
    ]);
    expect(outcomes[0].campaignId).toBeUndefined();

    const named = await post({
      id: 'order-2',
      userId: 'ana',
      occurredAt: hoursAgo(1).toISOString(),
      campaignId: 'promo',
    });
    expect(named.body).toMatchObject({ attributed: true, notificationId: 'old-1', campaignId: 'promo' });
  });

  it("counts in the experiment every assigned user's conversion, sent anything or not", async () => {
    const campaign = buildCampaign(
      { id: 'held' },
      { holdout: 0.5, metrics: { primary: 'conversion-rate', secondary: [], guardrails: [] } },
    );
    const users = Array.from({ length: 8 }, (_, i) => `held-${i}`);
    const assignments = app.t.app.get(ExperimentAssignments);
    const arms = await Promise.all(
      users.map(
        async (userId) => (await assignments.assign({ campaign, runId: 'r1', userId, now: hoursAgo(12) })).armId!,
      ),
    );
    expect(arms).toContain('holdout');
    // Held-out users are sent nothing by design, the others nothing yet (suppressed by a cap, say); one of
    // them was sent another campaign's message since, which takes the conversion's attribution.
    await sendTracked(app.t.app, { notificationId: 'other-1', userId: users[0], campaignId: 'promo' }, hoursAgo(3));
    for (const userId of users) {
      await post({ id: `order-${userId}`, userId, occurredAt: hoursAgo(1).toISOString() }).expect(201);
    }
    // A conversion the product reports for another campaign is that campaign's.
    await post({ id: 'order-named', userId: users[1], occurredAt: hoursAgo(1).toISOString(), campaignId: 'promo' });

    const report = await app.t.app.get(ExperimentReportsService).report('held.v1');
    const converted = report.holdout.find((m) => m.id === 'conversion-rate')!.arms;
    for (const { arm, n, sum } of converted) {
      const assigned = arms.filter((a) => a === arm).length;
      expect({ arm, n, sum }).toEqual({ arm, n: assigned, sum: assigned });
    }
  });

  it('counts two conversions of one user at the same instant and value as two in the experiment', async () => {
    const campaign = buildCampaign(
      { id: 'daily' },
      { holdout: 0, metrics: { primary: 'conversion-rate', secondary: ['conversions-per-user'], guardrails: [] } },
    );
    const { armId } = await app.t.app.get(ExperimentAssignments).assign({
      campaign,
      runId: 'r1',
      userId: 'dee',
      now: hoursAgo(12),
    });
    // A backend that reports each day's orders at the day's start, without a value: two orders, one instant.
    const occurredAt = hoursAgo(2).toISOString();
    await post({ id: 'order-dee-1', userId: 'dee', occurredAt }).expect(201);
    await post({ id: 'order-dee-2', userId: 'dee', occurredAt }).expect(201);
    await post({ id: 'order-dee-1', userId: 'dee', occurredAt }).expect(200);

    const report = await app.t.app.get(ExperimentReportsService).report('daily.v1');
    const perUser = [...report.metrics, ...report.holdout].find((m) => m.id === 'conversions-per-user')!;
    expect(perUser.arms.find((a) => a.arm === armId)).toMatchObject({ n: 1, sum: 2 });
    expect(await app.t.db().collection('experiment_outcomes').countDocuments({ userId: 'dee' })).toBe(2);
  });

  it('stores a conversion reported several times at once exactly once', async () => {
    await sendTracked(app.t.app, { notificationId: 'race-1', userId: 'dan' }, hoursAgo(2));
    const body = { id: 'order-race', userId: 'dan', occurredAt: hoursAgo(1).toISOString() };
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(body)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    const db = app.t.db();
    expect(await db.collection('conversions').countDocuments({ conversionId: 'order-race' })).toBe(1);
    expect(await db.collection('tracking_events').countDocuments({ conversionId: 'order-race' })).toBe(1);
  });

  it('finishes on the retry a report that failed after storing the conversion, and counts it once', async () => {
    const campaign = buildCampaign({ id: 'retried' });
    await app.t.app.get(ExperimentAssignments).assign({ campaign, runId: 'r1', userId: 'eli', now: hoursAgo(12) });
    await sendTracked(app.t.app, { notificationId: 'retried-1', userId: 'eli', campaignId: 'retried' }, hoursAgo(5));
    const body = { id: 'order-retried', userId: 'eli', occurredAt: hoursAgo(1).toISOString(), value: 12 };
    const lost = jest
      .spyOn(TrackingEventRepository.prototype, 'append')
      .mockRejectedValueOnce(new Error('connection lost'));
    await post(body).expect(500);
    lost.mockRestore();
    const db = app.t.db();
    expect(await db.collection('conversions').countDocuments({ conversionId: 'order-retried' })).toBe(1);

    // The backend retries: the answer is the stored conversion, and what the failure left undone is done.
    for (let retry = 0; retry < 2; retry++) {
      const res = await post(body).expect(200);
      expect(res.body).toMatchObject({ attributed: true, notificationId: 'retried-1', duplicate: true });
      expect(await db.collection('tracking_events').countDocuments({ conversionId: 'order-retried' })).toBe(1);
      expect(await db.collection('experiment_outcomes').countDocuments({ userId: 'eli', kind: 'conversion' })).toBe(1);
    }
  });

  it('keeps a conversion whose experiment count failed to be written pending, and counts it on the retry', async () => {
    const campaign = buildCampaign({ id: 'uncounted' });
    await app.t.app.get(ExperimentAssignments).assign({ campaign, runId: 'r1', userId: 'fay', now: hoursAgo(12) });
    const body = {
      id: 'order-uncounted',
      userId: 'fay',
      occurredAt: hoursAgo(1).toISOString(),
      campaignId: 'uncounted',
    };
    const outcomes = () =>
      app.t.db().collection('experiment_outcomes').countDocuments({ userId: 'fay', kind: 'conversion' });
    const lost = jest
      .spyOn(app.t.app.get(ExperimentOutcomes), 'record')
      .mockRejectedValueOnce(new Error('connection lost'));
    await post(body).expect(500);
    lost.mockRestore();
    expect(await app.t.db().collection('conversions').findOne({ conversionId: 'order-uncounted' })).toMatchObject({
      pending: true,
    });
    expect(await outcomes()).toBe(0);

    const res = await post(body).expect(200);
    expect(res.body).toMatchObject({ duplicate: true });
    expect(await outcomes()).toBe(1);
    await post(body).expect(200);
    expect(await outcomes()).toBe(1);
  });

  it('finishes on the scheduled sweep a conversion whose experiment count failed, without a retry, counting it once', async () => {
    const campaign = buildCampaign(
      { id: 'swept' },
      { holdout: 0, metrics: { primary: 'conversion-rate', secondary: ['conversions-per-user'], guardrails: [] } },
    );
    const assignedAt = hoursAgo(12);
    const { armId } = await app.t.app
      .get(ExperimentAssignments)
      .assign({ campaign, runId: 'r1', userId: 'gus', now: assignedAt });
    const db = app.t.db();
    const row = { experimentId: 'swept.v1', arm: armId, day: assignedAt.toISOString().slice(0, 10) };
    const statistics = db.collection('experiment_statistics');
    // The arm's conversions-per-user sums cannot be written (a field of another type): the conversion rate is
    // counted, then the count's write fails after the user's own count moved.
    await statistics.updateOne(row, { $set: { 'sums.conversions-per-user': 'unwritable' } });
    const body = { id: 'order-swept', userId: 'gus', occurredAt: hoursAgo(1).toISOString() };
    await post(body).expect(500);
    await statistics.updateOne(row, { $unset: { 'sums.conversions-per-user': 1 } });
    const conversion = () => db.collection('conversions').findOne({ conversionId: 'order-swept' });
    expect(await conversion()).toMatchObject({ pending: true });

    // The backend never retries. Pending past the grace period, the conversion is finished by the sweep.
    expect(await app.t.app.get(TrackingProducer).listSchedules()).toEqual([
      { name: TRACKING_JOBS.settlePendingConversions, cron: '* * * * * *' },
    ]);
    await db
      .collection('conversions')
      .updateOne({ conversionId: 'order-swept' }, { $set: { receivedAt: new Date(Date.now() - 6 * 60_000) } });
    await eventually(async () => (await conversion())?.pending === undefined);
    // Later sweeps find nothing to do: each metric counts the conversion once.
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await statistics.findOne(row))?.sums).toEqual({
      'conversion-rate': { sum: 1, sumSquares: 1 },
      'conversions-per-user': { sum: 1, sumSquares: 1 },
    });
    expect(await db.collection('experiment_outcomes').countDocuments({ userId: 'gus', kind: 'conversion' })).toBe(1);
  });

  it('keeps a conversion outside the window unattributed', async () => {
    await sendTracked(app.t.app, { notificationId: 'stale-1', userId: 'ben' }, hoursAgo(30));
    const late = await post({ id: 'order-3', userId: 'ben', occurredAt: hoursAgo(1).toISOString() }).expect(201);
    expect(late.body).toEqual({ id: 'order-3', attributed: false, duplicate: false });
    // Before the send is not after it either.
    const early = await post({ id: 'order-4', userId: 'ben', occurredAt: hoursAgo(31).toISOString() }).expect(201);
    expect(early.body.attributed).toBe(false);
  });

  it.each([
    ['id', { userId: 'u', occurredAt: '2026-01-01T00:00:00Z' }],
    ['userId', { id: 'c', userId: '', occurredAt: '2026-01-01T00:00:00Z' }],
    // As in events: no profile could match an id with a line break.
    ['userId', { id: 'c', userId: 'ana\n', occurredAt: '2026-01-01T00:00:00Z' }],
    ['userId', { id: 'c', userId: 'a\u0000b', occurredAt: '2026-01-01T00:00:00Z' }],
    ['userId', { id: 'c', userId: '\u200b\u200c', occurredAt: '2026-01-01T00:00:00Z' }],
    ['occurredAt', { id: 'c', userId: 'u', occurredAt: '2026-01-01' }],
    ['occurredAt', { id: 'c', userId: 'u', occurredAt: new Date(Date.now() + 3_600_000).toISOString() }],
    ['value', { id: 'c', userId: 'u', occurredAt: '2026-01-01T00:00:00Z', value: '12' }],
    ['campaignId', { id: 'c', userId: 'u', occurredAt: '2026-01-01T00:00:00Z', campaignId: 'Bad Id' }],
    ['amount', { id: 'c', userId: 'u', occurredAt: '2026-01-01T00:00:00Z', amount: 3 }],
  ])('400 naming %s, nothing stored', async (field, body) => {
    const before = await stored();
    const res = await post(body).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await stored()).toBe(before);
  });

  it.each([
    ['campaignId', 'campaignId must be a string'],
    ['value', 'value must be a number between -1e12 and 1e12'],
  ])(
    'refuses %s sent as null with a 400 naming it, as other optional fields of the API are',
    async (field, message) => {
      const before = await stored();
      const body = { id: `order-null-${field}`, userId: 'u', occurredAt: hoursAgo(1).toISOString(), [field]: null };
      const res = await post(body).expect(400);
      expect(res.body.errors).toEqual([{ field, message }]);
      expect(await stored()).toBe(before);
    },
  );

  it("erases the user's tracking data with the user, and keeps the link inert afterwards", async () => {
    const { issued } = await sendTracked(app.t.app, { notificationId: 'erase-1', userId: 'cleo' }, hoursAgo(2));
    await app.t
      .http()
      .get(pathOf(issued.openPixelUrl!))
      .set('User-Agent', 'Mozilla/5.0 (X11; Linux x86_64)')
      .expect(200);
    await post({ id: 'order-9', userId: 'cleo', occurredAt: hoursAgo(1).toISOString() }).expect(201);
    const res = await app.t.http().delete('/v1/users/cleo').set('Authorization', `Bearer ${app.admin}`).expect(200);
    // The notification (with the tracking it carries), its open and conversion events, and the conversion.
    expect(res.body.erased).toMatchObject({ notifications: 1, tracking: 3 });
    const db = app.t.db();
    for (const name of ['notifications', 'tracked_notifications', 'tracking_events', 'conversions']) {
      expect(await db.collection(name).countDocuments({ userId: 'cleo' })).toBe(0);
    }
    await app.t.http().get(pathOf(issued.openPixelUrl!)).expect(200);
    expect(await db.collection('tracking_events').countDocuments({ userId: 'cleo' })).toBe(0);
  });

  it('answers 200 as erased, and keeps nothing of, a conversion reported while its user is being erased', async () => {
    await app.t.http().put('/v1/users/dora').set('Authorization', `Bearer ${app.ingest}`).send({}).expect(201);
    let during: { status: number; body: unknown } | undefined;
    // Reported after the erasure's conversions and the rest it erases, before the profile goes.
    duringErasure(app.t.app.get(UserErasureRegistry), 'dora', async () => {
      during = await post({ id: 'order-dora', userId: 'dora', occurredAt: hoursAgo(1).toISOString() });
    });
    await app.t.http().delete('/v1/users/dora').set('Authorization', `Bearer ${app.admin}`).expect(200);
    expect(during).toMatchObject({
      status: 200,
      body: { id: 'order-dora', attributed: false, duplicate: false, erased: true },
    });
    expect(await app.t.db().collection('conversions').countDocuments({ userId: 'dora' })).toBe(0);
    // Once the erasure answered, the same report is a new user's, kept unattributed.
    const after = await post({ id: 'order-dora', userId: 'dora', occurredAt: hoursAgo(1).toISOString() }).expect(201);
    expect(after.body).toEqual({ id: 'order-dora', attributed: false, duplicate: false });
  });

  it.each([
    ['the conversion is stored', () => app.t.app.get(ConversionRepository), 'add'],
    ['its event is written', () => app.t.app.get(TrackingEventRepository), 'append'],
  ] as const)(
    'answers 200 as erased a conversion its report took back, its user erased before %s',
    async (_write, target, method) => {
      const userId = `erased-before-${method}`;
      await app.t.http().put(`/v1/users/${userId}`).set('Authorization', `Bearer ${app.ingest}`).send({}).expect(201);
      await sendTracked(app.t.app, { notificationId: `sent-${userId}`, userId }, hoursAgo(2));
      // The report found the notification; the whole erasure answers before this write.
      const write = beforeNextCall(target(), method as never, () =>
        app.t.http().delete(`/v1/users/${userId}`).set('Authorization', `Bearer ${app.admin}`).expect(200),
      );
      const res = await post({ id: `order-${userId}`, userId, occurredAt: hoursAgo(1).toISOString() });
      expect(write).toHaveBeenCalled();
      expect({ status: res.status, body: res.body }).toEqual({
        status: 200,
        body: {
          id: `order-${userId}`,
          attributed: true,
          notificationId: `sent-${userId}`,
          campaignId: expect.any(String),
          duplicate: false,
          erased: true,
        },
      });
      const db = app.t.db();
      for (const name of ['conversions', 'tracking_events', 'experiment_outcomes']) {
        expect({ name, left: await db.collection(name).countDocuments({ userId }) }).toEqual({ name, left: 0 });
      }
    },
  );

  it("keeps counted in the experiment's report a conversion taken back from a user erased meanwhile, as an erasure leaves any", async () => {
    const campaign = buildCampaign(
      { id: 'kept' },
      { holdout: 0, metrics: { primary: 'conversion-rate', secondary: ['conversions-per-user'], guardrails: [] } },
    );
    const assignments = app.t.app.get(ExperimentAssignments);
    const users = ['kept-after', 'kept-meanwhile'];
    for (const userId of users) {
      await app.t.http().put(`/v1/users/${userId}`).set('Authorization', `Bearer ${app.ingest}`).send({}).expect(201);
      await assignments.assign({ campaign, runId: 'r1', userId, now: hoursAgo(12) });
    }
    const erase = (userId: string) =>
      app.t.http().delete(`/v1/users/${userId}`).set('Authorization', `Bearer ${app.admin}`).expect(200);
    const reports = app.t.app.get(ExperimentReportsService);
    /** Each arm's users and Σy of a metric, as the report reads them. */
    const counted = async (metric: string, asOf?: Date) => {
      const report = await reports.report('kept.v1', asOf);
      const compared = [...report.metrics, ...report.holdout].filter((m) => m.id === metric);
      return Object.fromEntries(compared.flatMap((m) => m.arms.map(({ arm, n, sum }) => [arm, { n, sum }])));
    };
    const totals = async (metric: string, asOf?: Date) => {
      const byArm = Object.values(await counted(metric, asOf));
      return { metric, users: byArm.reduce((t, a) => t + a.n, 0), sum: byArm.reduce((t, a) => t + a.sum, 0) };
    };

    // One user erased after their conversion was stored and counted: the arms' sums stay (they are anonymous).
    await post({ id: 'order-kept-after', userId: 'kept-after', occurredAt: hoursAgo(1).toISOString() }).expect(201);
    await erase('kept-after');
    // The other erased once their conversion is counted, before its report marks it settled: it is taken back.
    let before: Record<string, unknown> = {};
    beforeNextCall(app.t.app.get(ConversionRepository), 'markSettled', async () => {
      before = { rate: await counted('conversion-rate'), perUser: await counted('conversions-per-user') };
      await erase('kept-meanwhile');
    });
    const res = await post({
      id: 'order-kept-meanwhile',
      userId: 'kept-meanwhile',
      occurredAt: hoursAgo(1).toISOString(),
    });
    expect({ status: res.status, erased: res.body.erased }).toEqual({ status: 200, erased: true });

    // The report reads the arms' sums, which the take-back leaves as the erasure of the other user left them.
    expect({ rate: await counted('conversion-rate'), perUser: await counted('conversions-per-user') }).toEqual(before);
    // Both users, and both conversions, still count in their arms.
    expect(await totals('conversion-rate')).toEqual({ metric: 'conversion-rate', users: 2, sum: 2 });
    expect(await totals('conversions-per-user')).toEqual({ metric: 'conversions-per-user', users: 2, sum: 2 });
    // A report as of a past instant is rebuilt from the assignment records and outcome log: without them.
    expect(await totals('conversion-rate', new Date(Date.now() - 1000))).toEqual({
      metric: 'conversion-rate',
      users: 0,
      sum: 0,
    });
    // What names the users goes: their conversions, assignments and logged outcomes.
    const db = app.t.db();
    const userId = { $in: users };
    for (const name of ['conversions', 'experiment_assignments', 'experiment_outcomes']) {
      expect({ name, left: await db.collection(name).countDocuments({ userId }) }).toEqual({ name, left: 0 });
    }
  });
});
