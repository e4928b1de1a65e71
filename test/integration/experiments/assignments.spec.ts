import { buildCampaign } from '../../factories/campaign.factory';
import { ExperimentAssignments } from '../../../src/modules/experiments/experiment-ports';
import { ExperimentReportsService } from '../../../src/modules/experiments/experiment-reports.service';
import { ExperimentStatisticsRepository } from '../../../src/modules/experiments/experiment-statistics.repository';
import { ExperimentsContext, startExperimentsContext } from './experiments-harness';

const NOW = new Date('2026-03-02T18:00:00Z');
const DAY = 86_400_000;
const users = (n: number, prefix = 'u') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('experiment assignment through the service', () => {
  let ctx: ExperimentsContext;
  let assignments: ExperimentAssignments;
  let reports: ExperimentReportsService;
  const collection = (name: string) => ctx.db().collection(name);

  beforeAll(async () => {
    ctx = await startExperimentsContext('experiments_assign');
    assignments = ctx.app.get(ExperimentAssignments);
    reports = ctx.app.get(ExperimentReportsService);
  });
  afterAll(() => ctx?.close());

  it('records each decision once, before eligibility, and answers the same arm on every later run', async () => {
    const campaign = buildCampaign({ id: 'sticky' });
    const first = [];
    for (const userId of users(300)) first.push(await assignments.assign({ campaign, runId: 'r1', userId, now: NOW }));
    expect(new Set(first.map((d) => d.experimentId))).toEqual(new Set(['sticky.v1']));
    const arms = first.map((d) => d.armId);
    expect(new Set(arms)).toEqual(new Set(['interest', 'journey', 'holdout']));
    for (const d of first) {
      if (d.armId === 'holdout') expect(d).toEqual({ experimentId: 'sticky.v1', armId: 'holdout', receives: false });
      else expect(d.variant).toEqual({ id: d.armId, copy: d.armId === 'journey' ? 'journey-llm' : 'interest' });
    }
    const later = new Date(NOW.getTime() + 7 * DAY);
    const again = await Promise.all(
      users(300).map((userId) => assignments.assign({ campaign, runId: 'r2', userId, now: later })),
    );
    expect(again.map((d) => d.armId)).toEqual(arms);
    expect(await collection('experiment_assignments').countDocuments({ experimentId: 'sticky.v1' })).toBe(300);
    const stored = await collection('experiment_assignments').findOne({ experimentId: 'sticky.v1', userId: 'u7' });
    expect(stored).toMatchObject({ runId: 'r1', day: '2026-03-02', exposures: [NOW, later], seed: 'sticky.v1' });
    const report = await reports.report('sticky.v1', later);
    const counted = Object.fromEntries(report.arms.map((a) => [a.key, a.assigned]));
    const expected = Object.fromEntries(
      ['interest', 'journey', 'holdout'].map((a) => [a, arms.filter((x) => x === a).length]),
    );
    expect(counted).toEqual(expected);
  });

  it('counts concurrent first decisions for one user once', async () => {
    const campaign = buildCampaign({ id: 'race' });
    const decisions = await Promise.all(
      Array.from({ length: 12 }, (_, i) => assignments.assign({ campaign, runId: `r${i}`, userId: 'same', now: NOW })),
    );
    expect(new Set(decisions.map((d) => d.armId)).size).toBe(1);
    expect(await collection('experiment_assignments').countDocuments({ experimentId: 'race.v1' })).toBe(1);
    const report = await reports.report('race.v1', NOW);
    expect(report.arms.reduce((s, a) => s + a.assigned, 0)).toBe(1);
  });

  it('counts a user whose count in the arm failed to be written when the decision is made again', async () => {
    const campaign = buildCampaign({ id: 'recount' });
    const lost = jest
      .spyOn(ctx.app.get(ExperimentStatisticsRepository), 'addAssigned')
      .mockRejectedValueOnce(new Error('connection lost'));
    await expect(assignments.assign({ campaign, runId: 'r1', userId: 'kim', now: NOW })).rejects.toThrow(
      'connection lost',
    );
    lost.mockRestore();
    // The run's retry decides again: the user keeps the arm and is counted in it, once.
    const decision = await assignments.assign({ campaign, runId: 'r1', userId: 'kim', now: NOW });
    await assignments.assign({ campaign, runId: 'r2', userId: 'kim', now: NOW });
    const report = await reports.report('recount.v1', undefined, NOW);
    expect(report.arms.map((a) => [a.key, a.assigned])).toEqual(
      report.arms.map((a) => [a.key, a.key === decision.armId ? 1 : 0]),
    );
  });

  it('keeps assigned users in their arm when the weights change, and records the new allocation', async () => {
    const even = buildCampaign({ id: 'reweigh' });
    const before = await Promise.all(
      users(400).map((userId) => assignments.assign({ campaign: even, runId: 'r1', userId, now: NOW })),
    );
    const skewed = buildCampaign(
      { id: 'reweigh' },
      {
        variants: [
          { id: 'interest', weight: 1, copy: 'interest' },
          { id: 'journey', weight: 9, copy: 'journey-llm' },
        ],
        holdout: 0.2,
      },
    );
    const next = new Date(NOW.getTime() + DAY);
    const after = await Promise.all(
      users(400).map((userId) => assignments.assign({ campaign: skewed, runId: 'r2', userId, now: next })),
    );
    expect(after.map((d) => d.armId)).toEqual(before.map((d) => d.armId));
    const newcomers = await Promise.all(
      users(400, 'new').map((userId) => assignments.assign({ campaign: skewed, runId: 'r2', userId, now: next })),
    );
    const share = (arm: string) => newcomers.filter((d) => d.armId === arm).length / 400;
    expect(share('journey')).toBeGreaterThan(0.6);
    expect(share('holdout')).toBeGreaterThan(0.12);
    const experiment = await collection('experiments').findOne({ experimentId: 'reweigh.v1' });
    expect(experiment?.allocations).toEqual([
      { from: '2026-03-02', weights: { interest: 1, journey: 1 }, holdoutShare: 0.05 },
      { from: '2026-03-03', weights: { interest: 1, journey: 9 }, holdoutShare: 0.2 },
    ]);
    const report = await reports.report('reweigh.v1', next);
    expect(report.srm.status).not.toBe('warning');
    expect(report.notes.join(' ')).toContain('Weights changed');
  });

  it('expects the users of the day of a mid-day holdout change by the split each was drawn under, and still catches a loss that day', async () => {
    // A 30% holdout until noon, none after: the day's users are 30% held out in the morning and 0% after.
    const morning = new Date('2026-03-02T09:00:00Z');
    const afternoon = new Date('2026-03-02T15:00:00Z');
    const held = buildCampaign({ id: 'midday' }, { holdout: 0.3 });
    const open = buildCampaign({ id: 'midday' }, { holdout: 0 });
    for (const userId of users(600, 'am')) {
      await assignments.assign({ campaign: held, runId: 'r1', userId, now: morning });
    }
    for (const userId of users(600, 'pm')) {
      await assignments.assign({ campaign: open, runId: 'r2', userId, now: afternoon });
    }
    const records = collection('experiment_assignments');
    const [am, pm] = await Promise.all([
      records.findOne({ experimentId: 'midday.v1', userId: 'am0' }),
      records.findOne({ experimentId: 'midday.v1', userId: 'pm0' }),
    ]);
    expect(am?.split).toMatch(/^s[0-9a-f]{8}$/);
    expect(pm?.split).not.toBe(am?.split);

    const later = new Date('2026-03-03T12:00:00Z');
    const live = await reports.report('midday.v1', undefined, later);
    const past = await reports.report('midday.v1', later);
    for (const report of [live, past]) {
      // The day is checked, all 1,200 users, not left out; the allocation of the whole day would expect 0 held out.
      expect(report.srm.observed.reduce((a, b) => a + b, 0)).toBe(1200);
      const heldOut = report.arms.find((a) => a.key === 'holdout')!;
      expect(report.srm.expected[report.arms.indexOf(heldOut)]).toBeCloseTo(180, 6);
      expect(report.srm.status).toBe('ok');
    }

    // A bug loses 150 of the afternoon's journey users (their records and counts never written): a mismatch.
    const lost = (
      await records
        .find({ experimentId: 'midday.v1', arm: 'journey', day: '2026-03-02', split: pm!.split })
        .limit(150)
        .toArray()
    ).map((r) => r._id);
    expect(lost).toHaveLength(150);
    await records.deleteMany({ _id: { $in: lost } });
    await collection('experiment_statistics').updateOne(
      { experimentId: 'midday.v1', arm: 'journey', day: '2026-03-02' },
      { $inc: { assigned: -150, [`splits.${pm!.split}`]: -150 } },
    );
    for (const report of [
      await reports.report('midday.v1', undefined, later),
      await reports.report('midday.v1', later),
    ]) {
      expect(report.srm.status).toBe('warning');
    }
  });

  it('reads a past instant with the definition in force then, and notes what changed since', async () => {
    const before = buildCampaign({ id: 'redefined' });
    const after = buildCampaign(
      { id: 'redefined' },
      {
        metrics: { primary: 'click-rate', secondary: ['push-open-rate'], guardrails: ['unsubscribe-rate'] },
        attributionWindowHours: 24,
        analysis: { alpha: 0.1 },
      },
    );
    for (const userId of users(40, 'rd')) {
      await assignments.assign({ campaign: before, runId: 'r1', userId, now: NOW });
    }
    const changedAt = new Date(NOW.getTime() + DAY);
    await assignments.assign({ campaign: after, runId: 'r2', userId: 'rd-late', now: changedAt });

    const primaryOf = (report: { metrics: Array<{ id: string; role: string }> }) =>
      report.metrics.find((m) => m.role === 'primary')?.id;
    const then = await reports.report('redefined.v1', new Date(NOW.getTime() + DAY / 2), changedAt);
    expect(primaryOf(then)).toBe('push-open-rate');
    expect(then.experiment.attributionWindowHours).toBe(72);
    expect(then.settings.alpha).toBe(0.05);
    expect(then.notes.join(' ')).not.toContain('changed');

    const now = await reports.report('redefined.v1', undefined, changedAt);
    expect(primaryOf(now)).toBe('click-rate');
    expect(now.settings.alpha).toBe(0.1);
    const notes = now.notes.join('\n');
    expect(notes).toContain('The primary metric changed from push-open-rate to click-rate on 2026-03-03 18:00 UTC');
    expect(notes).toContain('The attribution window changed from 72 h to 24 h');
    expect(notes).toContain('alpha 0.05 → 0.1');
    const stored = await collection('experiments').findOne({ experimentId: 'redefined.v1' });
    expect(stored?.revisions.map((r: { from: Date }) => r.from)).toEqual([NOW, changedAt]);
  });

  it('keeps the definition it replaces as the first revision of an experiment registered without revisions', async () => {
    const before = buildCampaign({ id: 'legacy' });
    await assignments.assign({ campaign: before, runId: 'r1', userId: 'lg0', now: NOW });
    // As stored before revisions were kept.
    await collection('experiments').updateOne({ experimentId: 'legacy.v1' }, { $unset: { revisions: 1 } });
    const after = buildCampaign(
      { id: 'legacy' },
      { metrics: { primary: 'click-rate', secondary: [], guardrails: ['unsubscribe-rate'] } },
    );
    const changedAt = new Date(NOW.getTime() + DAY);
    await assignments.assign({ campaign: after, runId: 'r2', userId: 'lg1', now: changedAt });
    const stored = await collection('experiments').findOne({ experimentId: 'legacy.v1' });
    expect(
      stored?.revisions.map((r: { definition: { metrics: { primary: string } } }) => r.definition.metrics.primary),
    ).toEqual(['push-open-rate', 'click-rate']);
    const then = await reports.report('legacy.v1', new Date(NOW.getTime() + DAY / 2), changedAt);
    expect(then.metrics.find((m) => m.role === 'primary')?.id).toBe('push-open-rate');
  });

  it('starts a new experiment, re-randomized, when the version is bumped', async () => {
    const v1 = buildCampaign({ id: 'phases' });
    const v2 = buildCampaign({ id: 'phases' }, { version: 2 });
    const first = await Promise.all(
      users(200).map((userId) => assignments.assign({ campaign: v1, runId: 'a', userId, now: NOW })),
    );
    const second = await Promise.all(
      users(200).map((userId) => assignments.assign({ campaign: v2, runId: 'b', userId, now: NOW })),
    );
    expect(new Set(second.map((d) => d.experimentId))).toEqual(new Set(['phases.v2']));
    const moved = first.filter((d, i) => d.armId !== second[i].armId).length;
    expect(moved).toBeGreaterThan(50);
    expect((await reports.list()).map((e) => e.experimentId)).toEqual(
      expect.arrayContaining(['phases.v1', 'phases.v2']),
    );
  });

  it('sends nothing to the global control group, the same users for every campaign', async () => {
    const gc = await startExperimentsContext('experiments_global', { EXPERIMENTS_GLOBAL_CONTROL_SHARE: '0.2' });
    try {
      const service = gc.app.get(ExperimentAssignments);
      const withExperiment = buildCampaign({ id: 'gc-a' });
      const plain = buildCampaign({ id: 'gc-b' }, null);
      const a = await Promise.all(
        users(300).map((userId) => service.assign({ campaign: withExperiment, runId: 'r', userId, now: NOW })),
      );
      const b = await Promise.all(
        users(300).map((userId) => service.assign({ campaign: plain, runId: 'r', userId, now: NOW })),
      );
      const inGroupA = a.map((d) => d.armId === 'global-control');
      expect(b.map((d) => d.armId === 'global-control')).toEqual(inGroupA);
      expect(inGroupA.filter(Boolean).length / 300).toBeCloseTo(0.2, 1);
      for (const d of [...a, ...b]) if (d.armId === 'global-control') expect(d.receives).toBe(false);
      expect(b.filter((d) => d.armId !== 'global-control').every((d) => d.receives && !d.experimentId)).toBe(true);
      const report = await gc.app.get(ExperimentReportsService).report('gc-a.v1', NOW);
      expect(report.arms.reduce((s, x) => s + x.assigned, 0)).toBe(300 - inGroupA.filter(Boolean).length);
      expect(report.notes[0]).toMatch(/global control group/);
    } finally {
      await gc.close();
    }
  });
});
