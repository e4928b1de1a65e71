import { buildCampaign } from '../../factories/campaign.factory';
import {
  ArmDecision,
  ExperimentAssignments,
  ExperimentOutcomes,
} from '../../../src/modules/experiments/experiment-ports';
import { ExperimentReport } from '../../../src/modules/experiments/domain';
import { ExperimentReportsService } from '../../../src/modules/experiments/experiment-reports.service';
import { ExperimentStatisticsRepository } from '../../../src/modules/experiments/experiment-statistics.repository';
import { ExperimentsContext, startExperimentsContext } from './experiments-harness';

const NOW = new Date('2026-03-02T18:00:00Z');
const HOUR = 3_600_000;
const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR);

describe('experiment outcomes through the service', () => {
  let ctx: ExperimentsContext;
  let assignments: ExperimentAssignments;
  let outcomes: ExperimentOutcomes;
  let reports: ExperimentReportsService;
  const stats = async (experimentId: string) =>
    ctx.db().collection('experiment_statistics').find({ experimentId }).toArray();
  const metricOf = async (experimentId: string, metric: string, arm: string) => {
    const report = await reports.report(experimentId, at(200));
    const all = [...report.metrics, ...report.holdout];
    return all.find((m) => m.id === metric)!.arms.find((a) => a.arm === arm)!;
  };

  beforeAll(async () => {
    ctx = await startExperimentsContext('experiments_outcomes');
    assignments = ctx.app.get(ExperimentAssignments);
    outcomes = ctx.app.get(ExperimentOutcomes);
    reports = ctx.app.get(ExperimentReportsService);
  });
  afterAll(() => ctx?.close());

  /** Assigns one user in the default test campaign with the given id (the arm is whatever the hash says). */
  function assignUser(campaignId: string, userId: string): Promise<ArmDecision> {
    return assignments.assign({ campaign: buildCampaign({ id: campaignId }), runId: 'r1', userId, now: NOW });
  }

  it('counts a user once in a rate however often they open, and a retried report once', async () => {
    const d = await assignUser('opens', 'ana');
    await assignments.recordDelivered({
      experimentId: d.experimentId!,
      armId: d.armId!,
      userId: 'ana',
      notificationId: 'n1',
      at: at(0.1),
    });
    const open = { kind: 'open' as const, userId: 'ana', campaignId: 'opens', notificationId: 'n1', at: at(1) };
    await outcomes.record(open);
    await outcomes.record(open);
    await outcomes.record({ ...open, at: at(5) });
    await Promise.all([outcomes.record({ ...open, at: at(6) }), outcomes.record({ ...open, at: at(7) })]);
    expect(await metricOf('opens.v1', 'push-open-rate', d.armId!)).toMatchObject({ n: 1, sum: 1 });
    const logged = await ctx.db().collection('experiment_outcomes').find({ userId: 'ana' }).toArray();
    expect(logged).toHaveLength(4);
    expect(logged.filter((o) => o.attributions[0].moved.length > 0)).toHaveLength(1);
  });

  it('attributes outcomes within the window of an exposure, and logs the rest without counting them', async () => {
    const d = await assignUser('window', 'ben');
    await outcomes.record({ kind: 'click', userId: 'ben', campaignId: 'window', at: at(73) });
    await outcomes.record({ kind: 'click', userId: 'ben', campaignId: 'window', at: at(-1) });
    expect(await metricOf('window.v1', 'click-rate', d.armId!)).toMatchObject({ n: 1, sum: 0 });
    const skipped = await ctx.db().collection('experiment_outcomes').find({ userId: 'ben' }).toArray();
    expect(skipped.map((o) => o.attributions[0].skipped)).toEqual(['outside-window', 'outside-window']);
    // A delivery the next day opens a new window.
    await assignments.recordDelivered({
      experimentId: 'window.v1',
      armId: d.armId!,
      userId: 'ben',
      notificationId: 'n2',
      at: at(30),
    });
    await outcomes.record({ kind: 'click', userId: 'ben', campaignId: 'window', at: at(101) });
    expect(await metricOf('window.v1', 'click-rate', d.armId!)).toMatchObject({ n: 1, sum: 1 });
  });

  it('counts an engagement with a notification only in the experiment the notification was sent under', async () => {
    // A new version is a new phase: the user is assigned in both, with exposures in both windows.
    const metrics = { primary: 'push-open-rate', secondary: ['click-rate', 'conversions-per-user'], guardrails: [] };
    const phases = [1, 2].map((version) => buildCampaign({ id: 'phases' }, { version, holdout: 0, metrics }));
    const decisions = [];
    for (const [i, campaign] of phases.entries()) {
      const d = await assignments.assign({ campaign, runId: `r${i}`, userId: 'pia', now: NOW });
      await assignments.recordDelivered({
        experimentId: d.experimentId!,
        armId: d.armId!,
        userId: 'pia',
        notificationId: `phase-${i + 1}`,
        at: at(i + 0.1),
      });
      decisions.push(d);
    }
    const [v1, v2] = decisions;
    expect([v1.experimentId, v2.experimentId]).toEqual(['phases.v1', 'phases.v2']);
    const open = { kind: 'open' as const, userId: 'pia', campaignId: 'phases', at: at(2) };
    await outcomes.record({ ...open, notificationId: 'phase-2', experimentId: 'phases.v2' });
    await outcomes.record({ ...open, kind: 'click', notificationId: 'phase-2', experimentId: 'phases.v2' });
    expect(await metricOf('phases.v2', 'push-open-rate', v2.armId!)).toMatchObject({ n: 1, sum: 1 });
    expect(await metricOf('phases.v2', 'click-rate', v2.armId!)).toMatchObject({ n: 1, sum: 1 });
    expect(await metricOf('phases.v1', 'push-open-rate', v1.armId!)).toMatchObject({ n: 1, sum: 0 });
    expect(await metricOf('phases.v1', 'click-rate', v1.armId!)).toMatchObject({ n: 1, sum: 0 });
    // A message the campaign sent under no experiment moves neither phase; a conversion moves both.
    await outcomes.record({ ...open, at: at(3), notificationId: 'plain', experimentId: null });
    expect(await metricOf('phases.v1', 'push-open-rate', v1.armId!)).toMatchObject({ n: 1, sum: 0 });
    await outcomes.record({ kind: 'conversion', userId: 'pia', campaignId: 'phases', at: at(3), conversionId: 'o1' });
    for (const experimentId of ['phases.v1', 'phases.v2']) {
      const arm = experimentId === 'phases.v1' ? v1.armId! : v2.armId!;
      expect(await metricOf(experimentId, 'conversions-per-user', arm)).toMatchObject({ n: 1, sum: 1 });
    }
  });

  it('counts two conversions of a user at the same instant twice, and each retried report once', async () => {
    const campaign = buildCampaign(
      { id: 'basket' },
      { metrics: { primary: 'conversion-rate', secondary: ['conversions-per-user'], guardrails: [] }, holdout: 0 },
    );
    const d = await assignments.assign({ campaign, runId: 'r', userId: 'quinn', now: NOW });
    const conversion = { kind: 'conversion' as const, userId: 'quinn', campaignId: 'basket', at: at(1), value: 10 };
    for (const conversionId of ['order-a', 'order-b', 'order-a', 'order-b']) {
      await outcomes.record({ ...conversion, conversionId });
    }
    expect(await metricOf('basket.v1', 'conversions-per-user', d.armId!)).toMatchObject({ n: 1, sum: 2 });
  });

  it('gives a conversion the same window in every arm: from the decision, not from a later delivery', async () => {
    const campaign = buildCampaign(
      { id: 'late-send' },
      { holdout: 0.5, metrics: { primary: 'conversion-rate', secondary: [], guardrails: [] } },
    );
    // Users of both kinds: held out, and sent a message 20 hours after the decision (quiet hours).
    const decisions = await Promise.all(
      Array.from({ length: 16 }, (_, i) => assignments.assign({ campaign, runId: 'r', userId: `late-${i}`, now: NOW })),
    );
    expect(new Set(decisions.map((d) => d.receives))).toEqual(new Set([true, false]));
    for (const [i, d] of decisions.entries()) {
      if (!d.receives) continue;
      const delivery = { experimentId: d.experimentId!, armId: d.armId!, userId: `late-${i}` };
      await assignments.recordDelivered({ ...delivery, notificationId: `late-n${i}`, at: at(20) });
    }
    // Every user converts 80 hours after the decision: past the 72-hour window in every arm alike.
    for (const i of decisions.keys()) {
      await outcomes.record({ kind: 'conversion', userId: `late-${i}`, campaignId: 'late-send', at: at(80) });
    }
    const report = await reports.report('late-send.v1', at(200));
    const converted = [...report.metrics, ...report.holdout].filter((m) => m.id === 'conversion-rate');
    for (const metric of converted) for (const arm of metric.arms) expect(arm.sum).toBe(0);
    // An open of the message 80 hours after the decision is within 72 hours of its delivery.
    const sent = decisions.findIndex((d) => d.receives);
    await outcomes.record({
      kind: 'open',
      userId: `late-${sent}`,
      campaignId: 'late-send',
      notificationId: `late-n${sent}`,
      experimentId: 'late-send.v1',
      at: at(80),
    });
    const logged = await ctx
      .db()
      .collection('experiment_outcomes')
      .findOne({ userId: `late-${sent}`, kind: 'open' });
    expect(logged!.attributions[0]).toMatchObject({ moved: ['push-open-rate'] });
  });

  it('judges an outcome reported after the window changed by the window in force when it happened', async () => {
    const campaign = (attributionWindowHours: number) =>
      buildCampaign(
        { id: 'window-change' },
        { holdout: 0, attributionWindowHours, metrics: { primary: 'conversion-rate', secondary: [], guardrails: [] } },
      );
    const [shrunk, grown] = [0, 1].map((i) => `window-change-${i}`);
    const first = await assignments.assign({ campaign: campaign(72), runId: 'r1', userId: shrunk, now: NOW });
    // 50 hours in, the window shrinks to 24 hours; 100 hours in, it grows to 72 hours again.
    await assignments.assign({ campaign: campaign(24), runId: 'r2', userId: grown, now: at(50) });
    // Converted 40 hours after the decision, under the 72-hour window, and reported at 60 hours (a late report):
    // counted, though the window is 24 hours by the time it is reported.
    await outcomes.record({
      kind: 'conversion',
      userId: shrunk,
      campaignId: 'window-change',
      at: at(40),
      conversionId: 'c1',
    });
    // Converted 80 hours after the decision (30 after their own), under the 24-hour window, and reported once it
    // has grown back: not counted.
    await assignments.assign({ campaign: campaign(72), runId: 'r3', userId: 'window-change-2', now: at(100) });
    await outcomes.record({
      kind: 'conversion',
      userId: grown,
      campaignId: 'window-change',
      at: at(80),
      conversionId: 'c2',
    });
    const logged = await ctx
      .db()
      .collection('experiment_outcomes')
      .find({ campaignId: 'window-change' }, { sort: { at: 1 } })
      .toArray();
    expect(logged.map((o) => [o.userId, o.attributions[0].skipped ?? null])).toEqual([
      [shrunk, null],
      [grown, 'outside-window'],
    ]);
    const report = await reports.report('window-change.v1', at(200));
    const arm = report.metrics[0].arms.find((a) => a.arm === first.armId)!;
    expect(report.metrics[0].arms.reduce((sum, a) => sum + a.sum, 0)).toBe(1);
    expect(arm.sum).toBe(1);
    expect(report.notes.join(' ')).toMatch(/The attribution window changed from 72 h to 24 h on 2026-03-04 20:00 UTC/);
  });

  it('keeps Σy and Σy² of conversions per user exact as a user converts again', async () => {
    const campaign = buildCampaign(
      { id: 'convert' },
      { metrics: { primary: 'conversion-rate', secondary: ['conversions-per-user'], guardrails: [] }, holdout: 0 },
    );
    const decisions = await Promise.all(
      ['c1', 'c2', 'c3'].map((userId) => assignments.assign({ campaign, runId: 'r', userId, now: NOW })),
    );
    const conversions: Record<string, number> = { c1: 3, c2: 1, c3: 0 };
    for (const [userId, count] of Object.entries(conversions)) {
      for (let i = 0; i < count; i++) {
        await outcomes.record({ kind: 'conversion', userId, campaignId: 'convert', at: at(i + 1), value: 20 });
      }
    }
    // The same conversion reported twice (a retry) and one after the window move nothing.
    await outcomes.record({ kind: 'conversion', userId: 'c1', campaignId: 'convert', at: at(1), value: 20 });
    await outcomes.record({ kind: 'conversion', userId: 'c2', campaignId: 'convert', at: at(80), value: 20 });
    const byArm = new Map<string, number[]>();
    decisions.forEach((d, i) => byArm.set(d.armId!, [...(byArm.get(d.armId!) ?? []), Object.values(conversions)[i]]));
    for (const [arm, values] of byArm) {
      const perUser = await metricOf('convert.v1', 'conversions-per-user', arm);
      expect(perUser).toMatchObject({ n: values.length, sum: values.reduce((a, b) => a + b, 0) });
      const rate = await metricOf('convert.v1', 'conversion-rate', arm);
      expect(rate).toMatchObject({ n: values.length, sum: values.filter((v) => v > 0).length });
    }
    const rows = await stats('convert.v1');
    const sumSquares = rows.reduce((s, r) => s + (r.sums['conversions-per-user']?.sumSquares ?? 0), 0);
    expect(sumSquares).toBe(3 * 3 + 1 * 1);
  });

  it('counts machine opens in the email open rate and not in the human open rate', async () => {
    const campaign = buildCampaign(
      { id: 'digest', channel: 'email', template: 'email/weekly-digest' },
      { metrics: { primary: 'email-open-rate', secondary: ['email-open-rate-human'], guardrails: [] } },
    );
    const [a, b] = await Promise.all(
      ['ema', 'emb'].map((userId) => assignments.assign({ campaign, runId: 'r', userId, now: NOW })),
    );
    await outcomes.record({ kind: 'open', machine: true, userId: 'ema', campaignId: 'digest', at: at(0.2) });
    await outcomes.record({ kind: 'open', userId: 'emb', campaignId: 'digest', at: at(2) });
    await outcomes.record({ kind: 'open', machine: true, userId: 'emb', campaignId: 'digest', at: at(0.1) });
    const value = async (metric: string, arm: string) => {
      const report = await reports.report('digest.v1', at(200));
      return report.metrics.find((m) => m.id === metric)!.arms.find((x) => x.arm === arm)!.sum;
    };
    const arms = [a.armId!, b.armId!];
    const total = async (metric: string) =>
      (await Promise.all([...new Set(arms)].map((arm) => value(metric, arm)))).reduce((x, y) => x + y, 0);
    expect(await total('email-open-rate')).toBe(2);
    expect(await total('email-open-rate-human')).toBe(1);
  });

  it('shows assigned and delivered side by side: an undelivered user still counts in their arm', async () => {
    const campaign = buildCampaign({ id: 'itt' }, { holdout: 0 });
    const decisions = await Promise.all(
      Array.from({ length: 40 }, (_, i) => assignments.assign({ campaign, runId: 'r', userId: `i${i}`, now: NOW })),
    );
    // Every other user is suppressed or fails: assigned, never delivered.
    for (const [i, d] of decisions.entries()) {
      if (i % 2 === 0) {
        await assignments.recordDelivered({
          experimentId: 'itt.v1',
          armId: d.armId!,
          userId: `i${i}`,
          notificationId: `n${i}`,
          at: at(1),
        });
        await assignments.recordDelivered({
          experimentId: 'itt.v1',
          armId: d.armId!,
          userId: `i${i}`,
          notificationId: `n${i}b`,
          at: at(30),
        });
      }
    }
    const report = await reports.report('itt.v1', at(200));
    for (const arm of report.arms) {
      const inArm = decisions.map((d, i) => ({ d, i })).filter(({ d }) => d.armId === arm.key);
      expect(arm.assigned).toBe(inArm.length);
      expect(arm.delivered).toBe(inArm.filter(({ i }) => i % 2 === 0).length);
      expect(report.metrics[0].arms.find((a) => a.arm === arm.key)!.n).toBe(inArm.length);
    }
  });

  it('counts a batch of deliveries like one by one: each user once, and a batch written again adds nothing', async () => {
    const campaign = buildCampaign({ id: 'bulk' }, { holdout: 0 });
    const decisions = await Promise.all(
      Array.from({ length: 30 }, (_, i) => assignments.assign({ campaign, runId: 'r', userId: `b${i}`, now: NOW })),
    );
    const delivery = (i: number, suffix = '') => ({
      experimentId: 'bulk.v1',
      armId: decisions[i].armId!,
      userId: `b${i}`,
      notificationId: `bn${i}${suffix}`,
      at: at(1),
    });
    // Users 0-9 delivered one by one first; the batch then holds users 0-19, user 12 twice.
    for (let i = 0; i < 10; i++) await assignments.recordDelivered(delivery(i));
    const batch = [...Array.from({ length: 20 }, (_, i) => delivery(i)), delivery(12, 'b')];
    await assignments.recordDeliveredMany(batch);
    await assignments.recordDeliveredMany(batch);
    const report = await reports.report('bulk.v1', at(200));
    for (const arm of report.arms) {
      const inArm = decisions.map((d, i) => ({ d, i })).filter(({ d }) => d.armId === arm.key);
      expect(arm.assigned).toBe(inArm.length);
      expect(arm.delivered).toBe(inArm.filter(({ i }) => i < 20).length);
    }
    const twelve = await ctx
      .db()
      .collection('experiment_assignments')
      .findOne({ experimentId: 'bulk.v1', userId: 'b12' });
    expect(twelve?.notificationIds).toEqual(['bn12', 'bn12b']);
    expect(twelve?.deliveredAt).toEqual(at(1));
  });

  it('counts a delivery whose count failed to be written when the after-send records are written again', async () => {
    const campaign = buildCampaign({ id: 'redeliver' }, { holdout: 0 });
    const decisions = await Promise.all(
      ['r0', 'r1', 'r2'].map((userId) => assignments.assign({ campaign, runId: 'r', userId, now: NOW })),
    );
    const batch = decisions.map((d, i) => ({
      experimentId: 'redeliver.v1',
      armId: d.armId!,
      userId: `r${i}`,
      notificationId: `rn${i}`,
      at: at(1),
    }));
    const lost = jest
      .spyOn(ctx.app.get(ExperimentStatisticsRepository), 'addDelivered')
      .mockRejectedValueOnce(new Error('connection lost'));
    await expect(assignments.recordDeliveredMany(batch)).rejects.toThrow('connection lost');
    lost.mockRestore();
    // A job that finds the notifications sent writes their after-send records again: each user counts once.
    await assignments.recordDeliveredMany(batch);
    await assignments.recordDeliveredMany(batch);
    const live = await reports.report('redeliver.v1', undefined, at(200));
    expect(live.arms.reduce((s, a) => s + a.delivered, 0)).toBe(3);
    for (const arm of live.arms) expect(arm.delivered).toBe(arm.assigned);
  });

  it('still reads a report whose row is one user short after a process died between the assignment and its count', async () => {
    const campaign = buildCampaign({ id: 'short' }, { holdout: 0 });
    const d = await assignments.assign({ campaign, runId: 'r', userId: 'sol', now: NOW });
    await assignments.recordDelivered({
      experimentId: 'short.v1',
      armId: d.armId!,
      userId: 'sol',
      notificationId: 'sn',
      at: at(1),
    });
    await outcomes.record({ kind: 'open', userId: 'sol', campaignId: 'short', notificationId: 'sn', at: at(2) });
    await outcomes.record({ kind: 'conversion', conversionId: 'c1', userId: 'sol', campaignId: 'short', at: at(3) });
    await outcomes.record({ kind: 'conversion', conversionId: 'c2', userId: 'sol', campaignId: 'short', at: at(4) });
    // The user's record was written and the process died before the row counted them.
    await ctx
      .db()
      .collection('experiment_statistics')
      .updateOne({ experimentId: 'short.v1', arm: d.armId }, { $inc: { assigned: -1 } });
    const report = await reports.report('short.v1', undefined, at(200));
    expect(report.metrics[0].arms.find((a) => a.arm === d.armId)).toMatchObject({ sum: 1 });
  });

  it('reads a report as of a past instant from what had happened by then', async () => {
    const campaign = buildCampaign(
      { id: 'asof' },
      { holdout: 0, metrics: { primary: 'click-rate', secondary: ['conversions-per-user'], guardrails: [] } },
    );
    const assignAt = (userId: string, now: Date) => assignments.assign({ campaign, runId: 'r', userId, now });
    const decisions = new Map<string, ArmDecision>();
    const deliver = (userId: string, hours: number) =>
      assignments.recordDelivered({
        experimentId: 'asof.v1',
        armId: decisions.get(userId)!.armId!,
        userId,
        notificationId: `asof-${userId}`,
        at: at(hours),
      });
    const outcome = (kind: 'click' | 'conversion', userId: string, hours: number) =>
      outcomes.record({ kind, userId, campaignId: 'asof', at: at(hours) });
    // The first day: four users, two delivered to, one click and one conversion.
    for (const userId of ['q1', 'q2', 'q3', 'q4']) decisions.set(userId, await assignAt(userId, NOW));
    await deliver('q1', 1);
    await deliver('q2', 1);
    await outcome('click', 'q1', 2);
    await outcome('conversion', 'q2', 3);
    // Two days later: two more users, a third delivery, a second click and q2's second conversion.
    for (const userId of ['q5', 'q6']) decisions.set(userId, await assignAt(userId, at(48)));
    await deliver('q3', 49);
    await outcome('click', 'q2', 50);
    await outcome('conversion', 'q2', 51);

    const totals = async (asOf: Date) => {
      const report = await reports.report('asof.v1', asOf);
      const sum = (id: string) =>
        report.metrics
          .find((m) => m.id === id)!
          .arms.reduce((s, a) => ({ n: s.n + a.n, sum: s.sum + a.sum }), {
            n: 0,
            sum: 0,
          });
      return {
        asOf: report.asOf,
        assigned: report.arms.reduce((s, a) => s + a.assigned, 0),
        delivered: report.arms.reduce((s, a) => s + a.delivered, 0),
        clicks: sum('click-rate'),
        conversions: sum('conversions-per-user'),
        lastDay: report.period?.lastDay,
      };
    };
    // As of: hours after the first assignment, users assigned, delivered, clicked, conversions, last cohort day.
    const expected = [
      [24, 4, 2, 1, 1, '2026-03-02'],
      [200, 6, 3, 2, 2, '2026-03-04'],
    ] as const;
    for (const [hours, assigned, delivered, clicks, conversions, lastDay] of expected) {
      expect(await totals(at(hours))).toEqual({
        asOf: at(hours).toISOString(),
        assigned,
        delivered,
        clicks: { n: assigned, sum: clicks },
        conversions: { n: assigned, sum: conversions },
        lastDay,
      });
    }
    // Once everything has happened, the records say what the stored rows say, Σy² of the counts included.
    const [rebuilt, stored] = await Promise.all([reports.report('asof.v1', at(200)), reports.report('asof.v1')]);
    const numbers = (r: typeof rebuilt) => ({
      arms: r.arms,
      metrics: r.metrics.map((m) => ({ arms: m.arms, tests: m.comparisons.map((c) => [c.test, c.absolute]) })),
    });
    expect(numbers(rebuilt)).toEqual(numbers(stored));
  });

  it('reads a report as of the morning of a day whose weights changed in the afternoon as still under the old ones', async () => {
    const campaign = (weights: [number, number]) =>
      buildCampaign(
        { id: 'asof-weights' },
        {
          variants: [
            { id: 'interest', weight: weights[0], copy: 'interest' },
            { id: 'journey', weight: weights[1], copy: 'journey-llm' },
          ],
          holdout: 0,
        },
      );
    const day = (hour: number) => new Date(`2026-03-02T${String(hour).padStart(2, '0')}:00:00Z`);
    for (let i = 0; i < 20; i++) {
      await assignments.assign({ campaign: campaign([1, 1]), runId: 'am', userId: `wa${i}`, now: day(8) });
    }
    for (let i = 0; i < 20; i++) {
      await assignments.assign({ campaign: campaign([9, 1]), runId: 'pm', userId: `wp${i}`, now: day(15) });
    }
    const weightsNote = /Weights changed during the experiment/;
    expect((await reports.report('asof-weights.v1', day(16))).notes.join(' ')).toMatch(weightsNote);
    const morning = await reports.report('asof-weights.v1', day(10));
    expect(morning.arms.reduce((s, a) => s + a.assigned, 0)).toBe(20);
    expect(morning.notes.join(' ')).not.toMatch(weightsNote);
  });

  it('compares the users of the day of a mid-day change within the split each was drawn under', async () => {
    // 50/50 until noon, 90/10 after, on the same day; the morning's users convert more than the afternoon's.
    const metrics = { primary: 'conversion-rate', secondary: [], guardrails: [] };
    const variants = (interest: number, journey: number) => [
      { id: 'interest', weight: interest, copy: 'interest' },
      { id: 'journey', weight: journey, copy: 'journey-llm' },
    ];
    const halves = [
      { name: 'am', at: new Date('2026-03-02T09:00:00Z'), weights: [1, 1], every: { interest: 4, journey: 2 } },
      { name: 'pm', at: new Date('2026-03-02T15:00:00Z'), weights: [9, 1], every: { interest: 10, journey: 4 } },
    ] as const;
    // Per half and arm: users, and those who converted (every 4th interest user of the morning, every 2nd journey one…).
    const table = new Map<string, { n: number; converted: number }>();
    for (const half of halves) {
      const campaign = buildCampaign(
        { id: 'midday-rates' },
        { variants: variants(half.weights[0], half.weights[1]), holdout: 0, metrics },
      );
      for (let i = 0; i < 300; i++) {
        const userId = `${half.name}${i}`;
        const { armId } = await assignments.assign({ campaign, runId: half.name, userId, now: half.at });
        const arm = armId as 'interest' | 'journey';
        const converts = i % half.every[arm] === 0;
        if (converts) {
          await outcomes.record({ kind: 'conversion', userId, campaignId: 'midday-rates', at: at(0), value: 1 });
        }
        const cell = table.get(`${half.name}/${arm}`) ?? { n: 0, converted: 0 };
        table.set(`${half.name}/${arm}`, { n: cell.n + 1, converted: cell.converted + (converts ? 1 : 0) });
      }
    }
    const rate = (cells: Array<{ n: number; converted: number }>) =>
      cells.reduce((s, c) => s + c.converted, 0) / cells.reduce((s, c) => s + c.n, 0);
    const cell = (half: string, arm: string) => table.get(`${half}/${arm}`)!;
    // Each half's difference weighted by its users (300 each): the stratified estimate.
    const stratified = halves
      .map((h) => (rate([cell(h.name, 'journey')]) - rate([cell(h.name, 'interest')])) / 2)
      .reduce((a, b) => a + b, 0);
    // The whole day as one period (as if every user had been drawn 90/10): journey got most of its users in the
    // morning, when everyone converted more.
    const pooled = rate(halves.map((h) => cell(h.name, 'journey'))) - rate(halves.map((h) => cell(h.name, 'interest')));
    expect(pooled - stratified).toBeGreaterThan(0.05);

    const later = new Date('2026-03-06T00:00:00Z');
    const estimate = (report: ExperimentReport) => report.metrics[0].comparisons[0].absolute!.estimate;
    const live = await reports.report('midday-rates.v1', undefined, later);
    const past = await reports.report('midday-rates.v1', later);
    for (const report of [live, past]) {
      expect(estimate(report)).toBeCloseTo(stratified, 12);
      expect(report.notes.join(' ')).not.toMatch(/not all recorded by split/);
    }

    // Rows whose outcomes were counted before they were kept by split: the live report compares the day as one
    // period and says so; the one as of the same instant rebuilds the sums by split from the records.
    await ctx
      .db()
      .collection('experiment_statistics')
      .updateMany({ experimentId: 'midday-rates.v1' }, { $unset: { splitSums: '' } });
    const unsplit = await reports.report('midday-rates.v1', undefined, later);
    expect(estimate(unsplit)).toBeCloseTo(pooled, 12);
    expect(unsplit.notes.join(' ')).toContain('The comparisons take the users of 2026-03-02, the day of a change');
    expect(estimate(await reports.report('midday-rates.v1', later))).toBeCloseTo(stratified, 12);
  });

  it('ignores outcomes of users and campaigns outside any experiment', async () => {
    await outcomes.record({ kind: 'click', userId: 'nobody', campaignId: 'no-experiment', at: NOW });
    expect(await ctx.db().collection('experiment_outcomes').countDocuments({ userId: 'nobody' })).toBe(0);
  });
});
