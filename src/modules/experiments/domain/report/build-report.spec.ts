import { ExperimentError } from '../experiments.errors';
import {
  clickCohortsInput,
  conversionsInput,
  pushExperiment,
  simulateReportInput,
  variantAddedInSecondWeek,
} from '../testing/report.fixture';
import { buildExperimentReport } from './build-report';
import { MetricArmDaySplit, ReportInput } from './report-model';
import { splitKey } from './splits';

const sum = (rows: Array<{ count: number }>) => rows.reduce((a, r) => a + r.count, 0);

/** A second week of users, from 2026-03-09, split 20/80 (10% holdout). */
const secondWeekAt2080 = (seed: number) =>
  simulateReportInput({
    days: 7,
    seed,
    firstDay: '2026-03-09',
    definition: pushExperiment({
      variants: [
        { key: 'interest', weight: 20 },
        { key: 'journey-llm', weight: 80 },
      ],
    }),
  });

describe(buildExperimentReport.name, () => {
  const input = simulateReportInput({ lift: 0.25 });
  const report = buildExperimentReport(input);
  const primary = report.metrics[0];

  it('counts every assigned user in its arm (intent to treat) next to the delivered count', () => {
    for (const arm of report.arms) {
      expect(arm.assigned).toBe(sum(input.assigned.filter((r) => r.arm === arm.key)));
      expect(arm.delivered).toBe(sum(input.delivered.filter((r) => r.arm === arm.key)));
    }
    // Rates use every assigned user as their denominator, delivered or not.
    for (const value of primary.arms) expect(value.n).toBe(report.arms.find((a) => a.key === value.arm)!.assigned);
    expect(report.arms.find((a) => a.key === 'holdout')).toMatchObject({ delivered: 0, deliveryRate: null });
  });

  it('recovers the planted lift inside the interval and says so in plain language', () => {
    const c = primary.comparisons[0];
    expect(c.relative!.lower! < 0.25 && 0.25 < c.relative!.upper!).toBe(true);
    expect(c.verdict.status).toBe('win');
    expect(c.verdict.text).toMatch(/^Journey LLM beats Interest on click rate: \+\d+\.\d% \[\+\d+\.\d%, \+\d+\.\d%\]$/);
    expect(report.headline).toEqual([c.verdict.text]);
    expect(report.srm.status).toBe('ok');
  });

  it('derives every number from one canonical test per comparison', () => {
    for (const m of report.metrics) {
      for (const c of m.comparisons) {
        const p = c.adjustedPValue ?? c.pValue!;
        const excludesZero = c.absolute!.lower! > 0 || c.absolute!.upper! < 0;
        expect(excludesZero).toBe(p < report.settings.alpha);
        if (c.relative?.lower != null) expect(c.relative.lower > 0 || c.relative.upper! < 0).toBe(excludesZero);
      }
    }
  });

  it('corrects secondary metrics together and leaves guardrails alone', () => {
    const secondary = report.metrics.filter((m) => m.role === 'secondary').map((m) => m.comparisons[0]);
    expect(secondary.every((c) => c.adjustedPValue! >= c.pValue!)).toBe(true);
    expect(secondary.some((c) => c.adjustedPValue! > c.pValue!)).toBe(true);
    const guardrail = report.metrics.find((m) => m.role === 'guardrail')!;
    expect(guardrail.comparisons[0].adjustedPValue).toBeNull();
  });

  it('says the secondary metrics were corrected only when they were', () => {
    // An A/B test with one secondary metric: each family holds one comparison, so nothing is adjusted or widened.
    const declared = ['click-rate', 'push-open-rate', 'unsubscribe-rate'];
    const single = buildExperimentReport({
      ...input,
      definition: pushExperiment({
        metrics: { primary: 'click-rate', secondary: ['push-open-rate'], guardrails: ['unsubscribe-rate'] },
      }),
      metrics: input.metrics.filter((m) => declared.includes(m.metric)),
    });
    expect(single.metrics.flatMap((m) => m.comparisons).map((c) => c.adjustedPValue)).toEqual([null, null, null]);
    expect(single.notes.join(' ')).not.toMatch(/widened|corrected by/);
    expect(single.notes).toContain(
      'No p-value or interval is corrected for multiple comparisons: the primary metric and the secondary metrics each have one comparison tested (Holm corrects a family of several). Guardrails are not corrected.',
    );
    expect(report.notes).toContain(
      'Secondary metrics are corrected by Holm; their intervals are widened to agree with the adjusted p-values. Guardrails are not corrected.',
    );
  });

  it('writes a lift of a push-sized audience with the digits its interval needs to exclude 0', () => {
    // 3 billion users per arm, 0.5 against 0.5001 conversions per user (Σy² 2.7e9 each): variances 0.65 and 0.6499,
    // standard error √(1.2999/3e9) = 2.0816e-5, t = 1e-4/2.0816e-5 = 4.80, lift 1e-4/0.5 = +0.020% with the half-width
    // 1.96 × 2.0816e-5/0.5 = 0.0082%: [+0.012%, +0.028%], which at one decimal read 0.0% [0.0%, 0.0%].
    const users = 3_000_000_000;
    const big = buildExperimentReport(
      conversionsInput({
        interest: { n: users, sum: 1_500_000_000, sumSquares: 2.7e9 },
        'journey-llm': { n: users, sum: 1_500_300_000, sumSquares: 2.7e9 },
      }),
    );
    const c = big.metrics[0].comparisons[0];
    expect(c.test!.statistic).toBeCloseTo(4.804, 3);
    expect(c.verdict).toEqual({
      status: 'win',
      text: 'Journey LLM beats Interest on conversions per user: +0.02% [+0.01%, +0.03%]',
    });
    // One decimal stays where it tells the bounds apart.
    expect(primary.comparisons[0].verdict.text).toMatch(/: \+\d+\.\d% \[\+\d+\.\d%, \+\d+\.\d%\]$/);
  });

  it('draws the cumulative lift per day, ending on the final comparison', () => {
    const c = primary.comparisons[0];
    expect(c.timeline.map((p) => p.day)).toEqual(expect.arrayContaining(['2026-03-02', '2026-03-15']));
    expect(c.timeline).toHaveLength(report.period!.days);
    expect(c.timeline.at(-1)!.estimate).toBeCloseTo(c.relative!.estimate, 12);
    expect(c.timeline.at(-1)!.lower).toBeCloseTo(c.relative!.lower!, 12);
  });

  it('raises the SRM banner when assignments of one arm go missing', () => {
    const broken = buildExperimentReport(simulateReportInput({ lostTreatmentShare: 0.1 }));
    expect(broken.srm.status).toBe('warning');
    expect(broken.headline[0]).toMatch(
      /^Sample ratio mismatch \(expected 45\.0% \/ 45\.0% \/ 10\.0%, observed .*\): fix the assignment/,
    );
    expect(broken.metrics[0].comparisons[0].verdict.text).toMatch(/\(unreliable: sample ratio mismatch\)$/);
  });

  it('follows weight changes through the allocation history instead of crying SRM', () => {
    const before = simulateReportInput({ days: 7, seed: 1 });
    const after = secondWeekAt2080(2);
    const merged: ReportInput = {
      ...after,
      assigned: [...before.assigned, ...after.assigned],
      delivered: [...before.delivered, ...after.delivered],
      metrics: [...before.metrics, ...after.metrics],
    };
    expect(buildExperimentReport(merged).srm.status).toBe('warning');
    const withHistory = buildExperimentReport({
      ...merged,
      allocations: [
        { from: '2026-03-02', weights: { interest: 50, 'journey-llm': 50 }, holdoutShare: 0.1 },
        { from: '2026-03-09', weights: { interest: 20, 'journey-llm': 80 }, holdoutShare: 0.1 },
      ],
    });
    expect(withHistory.srm.status).toBe('ok');
    expect(withHistory.notes.join(' ')).toMatch(/Weights changed during the experiment/);
  });

  it('expects the users of the day the weights changed by the split each was drawn under', () => {
    const allocations = [
      { from: '2026-03-08', weights: { interest: 50, 'journey-llm': 50 }, holdoutShare: 0.1 },
      { from: '2026-03-09', weights: { interest: 20, 'journey-llm': 80 }, holdoutShare: 0.1 },
    ];
    const rows = (day: string, interest: number, journey: number, holdout: number, split?: number) =>
      (
        [
          ['interest', interest],
          ['journey-llm', journey],
          ['holdout', holdout],
        ] as const
      ).map(([arm, count]) => ({ day, arm, count, split: splitKey(allocations[split ?? 0]) }));
    // The change was made at noon on 03-09: its morning's users were drawn 50/50, its afternoon's 20/80.
    const input = (afternoonJourney: number): ReportInput => {
      const drawn = [
        ...rows('2026-03-08', 1_800, 1_800, 400),
        ...rows('2026-03-09', 1_800, 1_800, 400),
        ...rows('2026-03-09', 810, afternoonJourney, 450, 1),
      ];
      return {
        definition: secondWeekAt2080(1).definition,
        asOf: '2026-03-20T00:00:00Z',
        assigned: drawn.map(({ split: _, ...row }) => row),
        assignedBySplit: drawn,
        delivered: [],
        metrics: [],
        allocations,
      };
    };
    const report = buildExperimentReport(input(3_240));
    // Each user by their split: 3,600 + 810, 3,600 + 3,240 and 800 + 450. The 20/80 of the whole of 03-09 would
    // expect 1,530 / 6,120 / 850 that day, and leaving the day out would check 4,000 users of 12,500.
    expect(report.srm.expected).toEqual([4_410, 6_840, 1_250].map((e) => expect.closeTo(e, 6)));
    expect(report.srm.observed).toEqual([4_410, 6_840, 1_250]);
    expect(report.srm.status).toBe('ok');
    expect(report.notes.join(' ')).not.toMatch(/leaves out/);
    // 1,000 of the afternoon's journey-llm users lost: the afternoon's 3,500 expect 630 / 2,520 / 350 against 810 /
    // 2,240 / 450, so χ² = 180²/4,230 + 280²/6,120 + 100²/1,150 = 29.2, p = 5e−7.
    const lost = buildExperimentReport(input(2_240)).srm;
    expect(lost.chiSquare).toBeCloseTo(180 ** 2 / 4_230 + 280 ** 2 / 6_120 + 100 ** 2 / 1_150, 9);
    expect(lost.status).toBe('warning');
  });

  it("leaves out of the SRM check the day the weights changed when its users' splits were not recorded", () => {
    const before = simulateReportInput({ days: 7, seed: 3 });
    const after = secondWeekAt2080(4);
    // The change was made at noon: the morning's users of that day were split 50/50, as before it.
    const morning = [
      { day: '2026-03-09', arm: 'interest', count: 1_800 },
      { day: '2026-03-09', arm: 'journey-llm', count: 1_800 },
      { day: '2026-03-09', arm: 'holdout', count: 400 },
    ];
    const allocations = [
      { from: '2026-03-02', weights: { interest: 50, 'journey-llm': 50 }, holdoutShare: 0.1 },
      { from: '2026-03-09', weights: { interest: 20, 'journey-llm': 80 }, holdoutShare: 0.1 },
    ];
    const report = buildExperimentReport({
      ...after,
      assigned: [...before.assigned, ...morning, ...after.assigned],
      delivered: [...before.delivered, ...after.delivered],
      metrics: [...before.metrics, ...after.metrics],
      allocations,
    });
    expect(report.srm.status).toBe('ok');
    expect(report.notes.join(' ')).toMatch(/2026-03-09/);
    // The day left out of the check still counts in its arms, next to its deliveries.
    const assigned = [...before.assigned, ...morning, ...after.assigned];
    for (const arm of report.arms) {
      expect(arm.assigned).toBe(sum(assigned.filter((r) => r.arm === arm.key)));
      if (arm.deliveryRate !== null) expect(arm.deliveryRate).toBeCloseTo(arm.delivered / arm.assigned, 12);
    }
    // A real loss on the other days is still caught.
    const lost = buildExperimentReport({
      ...after,
      assigned: [...before.assigned, ...morning, ...after.assigned].map((r) =>
        r.arm === 'journey-llm' && r.day > '2026-03-09' ? { ...r, count: Math.round(r.count * 0.8) } : r,
      ),
      delivered: [...before.delivered, ...after.delivered],
      metrics: [...before.metrics, ...after.metrics],
      allocations,
    });
    expect(lost.srm.status).toBe('warning');
  });

  // No variant makes any difference; only the cohorts differ: 12% of the first week's users clicked, 8% of the
  // second's. An arm that got more of its users in the first week must not look better for it.
  it.each([
    [
      'a variant added in the second week',
      { interest: 1, 'journey-llm': 1 },
      { interest: 1, 'journey-llm': 1, 'journey-template': 1 },
      [10_000, 10_000, 0],
      [5_000, 5_000, 5_000],
    ],
    [
      'weights moved from 50/50 to 20/80',
      { interest: 1, 'journey-llm': 1, 'journey-template': 1 },
      { interest: 1, 'journey-llm': 4, 'journey-template': 1 },
      [5_000, 5_000, 5_000],
      [2_000, 8_000, 2_000],
    ],
  ])('compares arms within each allocation period: %s', (_name, firstWeights, secondWeights, first, second) => {
    const keys = ['interest', 'journey-llm', 'journey-template'];
    const rows = (day: string, users: number[], rate: number) =>
      keys.map((arm, i) => ({ arm, day, n: users[i], clicks: users[i] * rate })).filter((r) => r.n > 0);
    const cohorts = [...rows('2026-03-02', first, 0.12), ...rows('2026-03-09', second, 0.08)];
    const report = buildExperimentReport(
      clickCohortsInput(keys, cohorts, [
        { from: '2026-03-02', weights: firstWeights, holdoutShare: 0 },
        { from: '2026-03-09', weights: secondWeights, holdoutShare: 0 },
      ]),
    );
    expect(report.srm.status).toBe('ok');
    for (const c of report.metrics[0].comparisons) {
      expect(c.absolute!.estimate).toBeCloseTo(0, 12);
      expect(c.verdict.status).toBe('inconclusive');
      expect(c.timeline.at(-1)!.estimate).toBeCloseTo(0, 12);
    }
  });

  describe('shows next to each comparison the two values it compared, apart from the pooled value of each arm', () => {
    const close = (x: number) => expect.closeTo(x, 12);
    /** Each comparison's difference and lift are those of the values it shows. */
    const expectConsistent = (report: ReturnType<typeof buildExperimentReport>) => {
      for (const c of report.metrics[0].comparisons) {
        const { control, treatment } = c.comparedValues!;
        expect(c.absolute!.estimate).toBeCloseTo(treatment - control, 12);
        expect(c.relative!.estimate).toBeCloseTo((treatment - control) / control, 12);
      }
    };

    it('a variant added in the second week is compared with the control users of that week only', () => {
      const report = buildExperimentReport(variantAddedInSecondWeek());
      const [metric] = report.metrics;
      // Pooled over both weeks, interest clicked 1,600/15,000 = 10.67% and journey-template 450/5,000 = 9.00%.
      expect(metric.arms.map((a) => a.value)).toEqual([close(1_600 / 15_000), close(1_600 / 15_000), close(0.09)]);
      const [llm, template] = metric.comparisons;
      // Journey-template has no users in the first week, so its comparison is of the second week's users: 8.00%
      // vs 9.00%, +1.00 point and +12.5%, where the pooled values read 1.67 points the other way.
      expect(template.comparedValues).toEqual({ control: close(0.08), treatment: close(0.09) });
      expect(template.absolute!.estimate).toBeCloseTo(0.01, 12);
      expect(template.relative!.estimate).toBeCloseTo(0.125, 12);
      // Journey-llm is compared over both weeks, weighted by their 20,000 and 10,000 users: 2/3 · 12% + 1/3 · 8%.
      expect(llm.comparedValues).toEqual({ control: close(0.32 / 3), treatment: close(0.32 / 3) });
      expectConsistent(report);
    });

    it('weights moved from 50/50 to 20/80 weigh each week by its users in the two arms', () => {
      // Week 1: 5,000 users per arm, 12% vs 13%; week 2: 2,000 vs 8,000 users, 8% vs 9%. Each week holds 10,000 of
      // the two arms' users, so the compared values are ½ · 12% + ½ · 8% = 10% and ½ · 13% + ½ · 9% = 11%, +1 point;
      // pooled, interest is 760/7,000 = 10.86% and journey-llm 1,370/13,000 = 10.54%, 0.32 points the other way.
      const report = buildExperimentReport(
        clickCohortsInput(
          ['interest', 'journey-llm'],
          [
            { arm: 'interest', day: '2026-03-02', n: 5_000, clicks: 600 },
            { arm: 'journey-llm', day: '2026-03-02', n: 5_000, clicks: 650 },
            { arm: 'interest', day: '2026-03-09', n: 2_000, clicks: 160 },
            { arm: 'journey-llm', day: '2026-03-09', n: 8_000, clicks: 720 },
          ],
          [
            { from: '2026-03-02', weights: { interest: 1, 'journey-llm': 1 }, holdoutShare: 0 },
            { from: '2026-03-09', weights: { interest: 1, 'journey-llm': 4 }, holdoutShare: 0 },
          ],
        ),
      );
      const [metric] = report.metrics;
      expect(metric.arms.map((a) => a.value)).toEqual([close(760 / 7_000), close(1_370 / 13_000)]);
      expect(metric.comparisons[0].comparedValues).toEqual({ control: close(0.1), treatment: close(0.11) });
      expect(metric.comparisons[0].absolute!.estimate).toBeCloseTo(0.01, 12);
      expectConsistent(report);
      expect(report.notes.join(' ')).toMatch(/pooled/);
    });

    it('without a change of split, the compared values are the pooled ones', () => {
      for (const metric of [...report.metrics, ...report.holdout]) {
        const value = (arm: string) => metric.arms.find((a) => a.arm === arm)!.value;
        for (const c of metric.comparisons) {
          expect(c.comparedValues).toEqual({
            control: close(value(c.control)!),
            treatment: close(value(c.treatment)!),
          });
        }
      }
      expect(report.notes.join(' ')).not.toMatch(/pooled/);
    });
  });

  describe('on the day of a change at noon from 50/50 to 90/10', () => {
    const day = '2026-03-09';
    const allocations = [
      { from: '2026-03-02', weights: { interest: 50, 'journey-llm': 50 }, holdoutShare: 0 },
      { from: day, weights: { interest: 90, 'journey-llm': 10 }, holdoutShare: 0 },
    ];
    const [morning, afternoon] = allocations.map(splitKey);
    // The morning's users click more than the afternoon's, and journey-llm adds 5 points in both halves: 20% vs
    // 25% of 1,000 and 1,000 drawn 50/50, then 10% vs 15% of 1,800 and 200 drawn 90/10.
    const halves = [
      { split: morning, arm: 'interest', n: 1_000, clicks: 200 },
      { split: morning, arm: 'journey-llm', n: 1_000, clicks: 250 },
      { split: afternoon, arm: 'interest', n: 1_800, clicks: 180 },
      { split: afternoon, arm: 'journey-llm', n: 200, clicks: 30 },
    ];
    type Cell = (typeof halves)[number];
    const bySplit = (cells: readonly Cell[]): MetricArmDaySplit[] =>
      cells.map(({ split, arm, n, clicks }) => ({
        metric: 'click-rate',
        arm,
        day,
        split,
        n,
        sum: clicks,
        sumSquares: clicks,
      }));
    /** The day's rows from its cells, with the click sums by split or (as counted before they were kept) without. */
    const input = (cells: readonly Cell[], clicksBySplit: boolean): ReportInput => {
      const arms = ['interest', 'journey-llm'].map((arm) => {
        const own = cells.filter((c) => c.arm === arm);
        return { arm, n: own.reduce((s, c) => s + c.n, 0), clicks: own.reduce((s, c) => s + c.clicks, 0) };
      });
      return {
        definition: pushExperiment({
          holdoutShare: 0,
          variants: [
            { key: 'interest', name: 'Interest', weight: 90, copyVariant: 'interest' },
            { key: 'journey-llm', name: 'Journey LLM', weight: 10, copyVariant: 'journey-llm' },
          ],
          metrics: { primary: 'click-rate' },
        }),
        asOf: '2026-03-20T00:00:00Z',
        assigned: arms.map(({ arm, n }) => ({ arm, day, count: n })),
        assignedBySplit: cells.map(({ split, arm, n }) => ({ arm, day, split, count: n })),
        delivered: [],
        metrics: arms.map(({ arm, n, clicks }) => ({
          metric: 'click-rate',
          arm,
          day,
          n,
          sum: clicks,
          sumSquares: clicks,
        })),
        ...(clicksBySplit && { metricsBySplit: bySplit(cells) }),
        allocations,
      };
    };
    const comparison = (report: ReturnType<typeof buildExperimentReport>) => report.metrics[0].comparisons[0];

    it('compares the users drawn under each split among themselves', () => {
      const report = buildExperimentReport(input(halves, true));
      const c = comparison(report);
      // Each split holds 2,000 of the day's users: (25% − 20%) / 2 + (15% − 10%) / 2 = 5 points, with variance
      // ¼ (0.2·0.8/1,000 + 0.25·0.75/1,000) + ¼ (0.1·0.9/1,800 + 0.15·0.85/200) = 0.00025875.
      const se = Math.sqrt(0.00025875);
      expect(c.test!.method).toBe('z');
      expect(c.absolute!.estimate).toBeCloseTo(0.05, 12);
      expect(c.absolute!.standardError).toBeCloseTo(se, 12);
      expect(c.test!.statistic).toBeCloseTo(0.05 / se, 9);
      expect(c.timeline.at(-1)!.estimate).toBeCloseTo(c.relative!.estimate, 12);
      expect(report.srm.status).toBe('ok');
      expect(report.notes.join(' ')).toMatch(/compared among the users drawn under the same split/);
      expect(report.notes.join(' ')).not.toMatch(/not recorded/);
    });

    it("conditions Fisher's exact test on each split when the clicks are few", () => {
      // No clicks among the morning's 10 + 10 users; 0 of the afternoon's 90 interest users and 2 of its 10
      // journey-llm users. Within the afternoon's split, journey-llm holds both of its 2 clicks with probability
      // C(10, 2)/C(100, 2) = 45/4,950 = 1/110, the least likely outcome, so p = 1/110; the day as one table
      // (0/100 vs 2/20) gives C(20, 2)/C(120, 2) = 190/7,140 instead.
      const few = [
        { split: morning, arm: 'interest', n: 10, clicks: 0 },
        { split: morning, arm: 'journey-llm', n: 10, clicks: 0 },
        { split: afternoon, arm: 'interest', n: 90, clicks: 0 },
        { split: afternoon, arm: 'journey-llm', n: 10, clicks: 2 },
      ];
      const bySplit = comparison(buildExperimentReport(input(few, true)));
      expect(bySplit.test!.method).toBe('fisher-exact');
      expect(bySplit.pValue).toBeCloseTo(1 / 110, 12);
      const byDay = comparison(buildExperimentReport(input(few, false)));
      expect(byDay.test!.method).toBe('fisher-exact');
      expect(byDay.pValue).toBeCloseTo(190 / 7_140, 12);
    });

    it('puts the whole day in the new period when its outcomes were not recorded by split, and says so', () => {
      const report = buildExperimentReport(input(halves, false));
      const c = comparison(report);
      // The day's users pooled: 280/1,200 − 380/2,800 = 9.8 points, nearly twice the effect, as journey-llm got
      // most of its users in the morning, when everyone clicked more.
      const [p, q] = [380 / 2_800, 280 / 1_200];
      expect(c.absolute!.estimate).toBeCloseTo(q - p, 12);
      expect(c.absolute!.standardError).toBeCloseTo(Math.sqrt((p * (1 - p)) / 2_800 + (q * (1 - q)) / 1_200), 12);
      // The SRM check still reads the day by split, as its users' splits were recorded.
      expect(report.srm.status).toBe('ok');
      const note = report.notes.find((n) => n.startsWith('Weights changed'))!;
      expect(note).toContain(`The comparisons take the users of ${day}, the day of a change whose users or outcomes`);
      expect(note).not.toMatch(/leaves out/);
    });
  });

  it('keeps the split quiet when a variant is removed mid-experiment next to a holdout', () => {
    // Day 1: a, b, c at 1:1:1 with a 10% holdout; c (9,000 users, left out of the report) is removed on day 2.
    // Without c, day 1's users split holdout 0.1 / 0.7, a and b 0.3 / 0.7 each: exactly what was observed.
    const day = (d: string, a: number, b: number, holdout: number) => [
      { arm: 'interest', day: d, count: a },
      { arm: 'journey-llm', day: d, count: b },
      { arm: 'holdout', day: d, count: holdout },
    ];
    const removed = buildExperimentReport({
      definition: pushExperiment(),
      asOf: '2026-03-10T00:00:00Z',
      assigned: [...day('2026-03-02', 9_000, 9_000, 3_000), ...day('2026-03-03', 4_500, 4_500, 1_000)],
      delivered: [],
      metrics: [],
      allocations: [
        { from: '2026-03-02', weights: { interest: 1, 'journey-llm': 1, c: 1 }, holdoutShare: 0.1 },
        { from: '2026-03-03', weights: { interest: 1, 'journey-llm': 1 }, holdoutShare: 0.1 },
      ],
    });
    // Day 2, when c was removed, is left out: its users may have come under either split.
    expect(removed.srm.expected).toEqual([9_000, 9_000, 3_000].map((e) => expect.closeTo(e, 6)));
    expect(removed.srm.chiSquare).toBeCloseTo(0, 9);
    expect(removed.srm.status).toBe('ok');
  });

  it('flags a mismatch of the other arms on the day a variant is added before it has users', () => {
    // Interest and Journey LLM 1:1 with a 10% holdout; "third" is added on the day of the report, with no users
    // yet. Expected 999.9 / 999.9 / 222.2 against 1,085 / 915 / 222: χ² = (85.1² + 84.9²) / 999.9 + 0.2² / 222.2
    // = 14.4516 over three arms, 2 df, p = 0.000727554. Counting the empty arm's degree of freedom, p = 0.0024.
    const added = buildExperimentReport({
      definition: pushExperiment({
        variants: [
          { key: 'interest', weight: 1 },
          { key: 'journey-llm', weight: 1 },
          { key: 'third', weight: 1 },
        ],
      }),
      asOf: '2026-03-20T12:00:00Z',
      assigned: [
        { arm: 'interest', day: '2026-03-02', count: 1085 },
        { arm: 'journey-llm', day: '2026-03-02', count: 915 },
        { arm: 'holdout', day: '2026-03-02', count: 222 },
      ],
      delivered: [],
      metrics: [],
      allocations: [
        { from: '2026-03-02', weights: { interest: 1, 'journey-llm': 1 }, holdoutShare: 0.1 },
        { from: '2026-03-20', weights: { interest: 1, 'journey-llm': 1, third: 1 }, holdoutShare: 0.1 },
      ],
    });
    expect(added.srm).toMatchObject({ observed: [1085, 915, 0, 222], degreesOfFreedom: 2, status: 'warning' });
    expect(added.srm.chiSquare).toBeCloseTo(14.4516452, 6);
    expect(added.srm.pValue).toBeCloseTo(0.000727554, 9);
  });

  it('withholds verdicts until the minimum sample and shows days to a decision', () => {
    const early = buildExperimentReport(
      simulateReportInput({ days: 1, usersPerDay: 300, asOf: '2026-03-03T12:00:00Z' }),
    );
    const c = early.metrics[0].comparisons[0];
    expect(c.verdict).toEqual({
      status: 'not-enough-data',
      text: expect.stringMatching(
        /^Not enough data yet on click rate \(Journey LLM vs Interest\): \d+ of 200 users in the smaller arm$/,
      ),
    });
    expect(c.power.daysToDecision).toBeGreaterThan(0);
    expect(early.notes[0]).toMatch(/^Outcomes are still arriving/);
  });

  it('says a single user per arm is too few users, even with a minimum sample of 1', () => {
    const day = '2026-03-02';
    const one = buildExperimentReport({
      definition: pushExperiment({ minimumSample: 1, analysis: { minimumEvents: 0 } }),
      asOf: '2026-03-10T00:00:00Z',
      assigned: ['interest', 'journey-llm'].map((arm) => ({ arm, day, count: 1 })),
      delivered: [],
      metrics: [
        { metric: 'click-rate', arm: 'interest', day, n: 1, sum: 1, sumSquares: 1 },
        { metric: 'click-rate', arm: 'journey-llm', day, n: 1, sum: 0, sumSquares: 0 },
      ],
    });
    expect(one.metrics[0].comparisons[0].verdict).toEqual({
      status: 'not-enough-data',
      text: 'Not enough data yet on click rate (Journey LLM vs Interest): 1 of 2 users in the smaller arm',
    });
  });

  it('withholds a verdict on conversions per user until the conversions reach the minimum, as on the conversion rate', () => {
    // 1,000 users per variant (220 held out); 5 users of Journey LLM converted once, no one else. Welch's t reads
    // +0.005 per user, p = 0.025; the same users as a conversion rate are 5 of 25 events, and Fisher's exact
    // p is 0.062.
    const day = '2026-03-02';
    const arms: Array<[string, number, number]> = [
      ['interest', 1000, 0],
      ['journey-llm', 1000, 5],
      ['holdout', 220, 0],
    ];
    const metrics = ['conversions-per-user', 'conversion-rate'] as const;
    const few = buildExperimentReport({
      definition: pushExperiment({ metrics: { primary: 'conversions-per-user', secondary: ['conversion-rate'] } }),
      asOf: '2026-03-10T00:00:00Z',
      assigned: arms.map(([arm, n]) => ({ arm, day, count: n })),
      delivered: [],
      metrics: arms.flatMap(([arm, n, s]) => metrics.map((metric) => ({ metric, arm, day, n, sum: s, sumSquares: s }))),
    });
    const verdicts = [...few.metrics, ...few.holdout].flatMap((m) => m.comparisons.map((c) => [m.id, c.verdict]));
    expect(verdicts).toContainEqual([
      'conversions-per-user',
      {
        status: 'not-enough-data',
        text: 'Not enough data yet on conversions per user (Journey LLM vs Interest): 5 of 25 conversions in the two arms',
      },
    ]);
    expect(verdicts.every(([, v]) => typeof v === 'object' && v.status === 'not-enough-data')).toBe(true);
    expect(few.headline).toEqual([
      'Not enough data yet on conversions per user (Journey LLM vs Interest): 5 of 25 conversions in the two arms',
    ]);
  });

  it('counts days to a decision at the pace of the last seven calendar days, and not at all once assignment stopped', () => {
    // A weekly campaign: 500 users per arm on each Monday, 2,000 per arm after four weeks.
    const mondays = ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23'];
    const arms = ['interest', 'journey-llm'];
    const weekly = (asOf: string) =>
      buildExperimentReport({
        definition: pushExperiment({ holdoutShare: 0, metrics: { primary: 'click-rate' } }),
        asOf,
        assigned: mondays.flatMap((day) => arms.map((arm) => ({ arm, day, count: 500 }))),
        delivered: [],
        metrics: mondays.flatMap((day) =>
          arms.map((arm) => ({ metric: 'click-rate' as const, arm, day, n: 500, sum: 25, sumSquares: 25 })),
        ),
      }).metrics[0].comparisons[0].power;
    const running = weekly('2026-03-24T12:00:00Z');
    const missing = running.neededPerArm!.control - 2_000;
    expect(missing).toBeGreaterThan(0);
    expect(running.daysToDecision).toBe(Math.ceil(missing / (500 / 7)));
    expect(weekly('2026-05-01T12:00:00Z').daysToDecision).toBeNull();
  });

  it('reports a breached guardrail and uneven delivery', () => {
    const harmful = buildExperimentReport(
      simulateReportInput({ unsubscribeFactor: 4, undeliveredTreatmentShare: 0.1, usersPerDay: 2000 }),
    );
    const guardrail = harmful.metrics.find((m) => m.role === 'guardrail')!.comparisons[0];
    expect(guardrail.verdict.status).toBe('loss');
    expect(guardrail.verdict.text).toMatch(
      /^Guardrail breached: Journey LLM is worse than Interest on unsubscribe rate: \+/,
    );
    expect(harmful.deliveryBalance!.status).toBe('warning');
    expect(harmful.notes.join(' ')).toMatch(/Delivery rates differ between variants/);
  });

  it('reports a guardrail breach already significant before the minimum sample, and puts it in the headline', () => {
    // 400 users per arm of the 1,000 the minimum asks: unsubscribes 2 against 40, z = 0.095 / √((0.005 · 0.995 +
    // 0.1 · 0.9) / 400) = 6.1652, p = erfc(6.1652 / √2) / 2 = 3.52e−10 one-sided. Clicks 40 against 44 are not
    // significant.
    const day = '2026-03-02';
    const arms: Array<[string, number, number]> = [
      ['interest', 2, 40],
      ['journey-llm', 40, 44],
    ];
    const input = (unsubscribes: [number, number]): ReportInput => ({
      definition: pushExperiment({
        holdoutShare: 0,
        minimumSample: 1000,
        metrics: { primary: 'click-rate', secondary: [], guardrails: ['unsubscribe-rate'] },
      }),
      asOf: '2026-03-10T00:00:00Z',
      assigned: arms.map(([arm]) => ({ arm, day, count: 400 })),
      delivered: [],
      metrics: arms.flatMap(([arm, , clicked], i) => [
        { metric: 'unsubscribe-rate' as const, arm, day, n: 400, sum: unsubscribes[i], sumSquares: unsubscribes[i] },
        { metric: 'click-rate' as const, arm, day, n: 400, sum: clicked, sumSquares: clicked },
      ]),
    });
    const early = buildExperimentReport(input([2, 40]));
    const guardrail = early.metrics.find((m) => m.role === 'guardrail')!.comparisons[0];
    expect(guardrail.test!.statistic).toBeCloseTo(6.165225, 5);
    expect(guardrail.pValue! / 3.51914345e-10).toBeCloseTo(1, 5);
    expect(guardrail.oneSided).toBe('greater');
    expect(guardrail.gate).toEqual({ ready: false, reason: 'sample', have: 400, need: 1000 });
    expect(guardrail.verdict.status).toBe('loss');
    // 0.095 − 1.644854 · 0.015409, a lower bound alone: the absolute difference, as the control's rate cannot be told
    // from 0 (the always-valid interval stays two-sided). Read before the
    // gate, the breach is judged by the always-valid interval tuned to the gate's 2,000 users: ρ² = (5.99146 +
    // ln 6.99146) / 2,000, r = 800 ρ² = 3.17446, c = √(2 · 4.17446 / 3.17446 · ln(√4.17446 / 0.05)) = 3.12378, so
    // 0.095 ± 3.12378 · 0.015409 = [+4.69 pp, +14.31 pp], p = √4.17446 · e^(−3.17446 · 6.1652² / 8.34892) = 1.08e−6.
    expect(guardrail.verdict.text).toBe(
      'Guardrail breached: Journey LLM is worse than Interest on unsubscribe rate: +9.50 pp, at least +6.97 pp (early: 400 of 1,000 users in the smaller arm; it holds at every look: +9.50 pp [+4.69 pp, +14.31 pp] always valid)',
    );
    const primary = early.metrics[0].comparisons[0];
    expect(primary.verdict.status).toBe('not-enough-data');
    expect(early.headline).toEqual([primary.verdict.text, guardrail.verdict.text]);

    // Before the minimum events as well: 0 against 40 unsubscribes is far past what a daily read could reach by chance.
    const fewEvents = buildExperimentReport(input([0, 40])).metrics.find((m) => m.role === 'guardrail')!.comparisons[0];
    expect(fewEvents.verdict.status).toBe('loss');
    expect(fewEvents.verdict.text).toMatch(/\(early: 400 of 1,000 users in the smaller arm; it holds at every look: /);

    // 0 against 8 (4 expected per arm) is significant read once, p = C(400, 8) / C(800, 8) exactly, but not at
    // every look: pooled, z = 0.02 / √(0.01 · 0.99 · 2 / 400) = 2.8427, and the always-valid p is
    // √4.17446 · e^(−3.17446 · 2.8427² / 8.34892) = 0.0946. It waits for the gate.
    const peek = buildExperimentReport(input([0, 8])).metrics.find((m) => m.role === 'guardrail')!.comparisons[0];
    expect(peek.test!.method).toBe('fisher-exact');
    expect(peek.pValue! / 3.77064505e-3).toBeCloseTo(1, 5);
    expect(peek.verdict.status).toBe('not-enough-data');

    // A guardrail that improves significantly as early is no verdict yet: only harm skips the minimum.
    const improved = buildExperimentReport(input([40, 2]));
    expect(improved.metrics.find((m) => m.role === 'guardrail')!.comparisons[0].verdict.status).toBe('not-enough-data');
    expect(improved.headline).toHaveLength(1);
  });

  it('calls a guardrail breached before the gate only when the always-valid interval holds it, read daily', () => {
    // 10 against 24 unsubscribes among 400 users per arm: z = 0.035 / √((0.025 · 0.975 + 0.06 · 0.94) / 400) = 2.46297,
    // p = 0.0069 read once (one-sided); the always-valid p (N* = 2,000, r = 3.17446) is √4.17446 · e^(−3.17446 · 2.46297² /
    // 8.34892) = 0.2035, and its interval 0.035 ± 3.12378 · 0.014211 = [−0.94 pp, +7.94 pp] holds 0.
    const day = '2026-03-02';
    const counts: Array<[string, number]> = [
      ['interest', 10],
      ['journey-llm', 24],
    ];
    const read = (sequential: { tuning: number } | undefined) =>
      buildExperimentReport({
        definition: pushExperiment({
          holdoutShare: 0,
          minimumSample: 1000,
          metrics: { primary: 'unsubscribe-rate', secondary: [], guardrails: ['unsubscribe-rate'] },
          ...(sequential && { analysis: { sequential } }),
        }),
        asOf: '2026-03-10T00:00:00Z',
        assigned: counts.map(([arm]) => ({ arm, day, count: 400 })),
        delivered: [],
        metrics: counts.map(([arm, s]) => ({
          metric: 'unsubscribe-rate' as const,
          arm,
          day,
          n: 400,
          sum: s,
          sumSquares: s,
        })),
      }).metrics.find((m) => m.role === 'guardrail')!.comparisons[0];
    const fixed = read(undefined);
    expect(fixed.pValue!).toBeCloseTo(0.0068895, 6);
    expect(fixed.verdict.status).toBe('not-enough-data');
    expect(fixed.verdict.text).toBe(
      'Not enough data yet on unsubscribe rate (Journey LLM vs Interest): 400 of 1,000 users in the smaller arm',
    );
    // With sequential testing on, the p-value shown is the always-valid one already (here tuned to 2,000 as well).
    const sequential = read({ tuning: 2000 });
    expect(sequential.pValue! / 0.203511).toBeCloseTo(1, 5);
    expect(sequential.verdict.status).toBe('not-enough-data');
  });

  it('does not take a count of a few conversions for a guardrail breach: the minimum events still hold', () => {
    // Conversions per user as a guardrail: 5 conversions among 1,000 control users and none among 1,000 treated.
    // The test reads p < 0.05; as a conversion rate the same users are Fisher's 5 events among 2,000, one-sided
    // p = C(1000, 5) / C(2000, 5) = 0.0311.
    const day = '2026-03-02';
    const arms: Array<[string, number]> = [
      ['interest', 5],
      ['journey-llm', 0],
    ];
    const few = buildExperimentReport({
      definition: pushExperiment({
        holdoutShare: 0,
        metrics: { primary: 'click-rate', secondary: [], guardrails: ['conversions-per-user', 'conversion-rate'] },
      }),
      asOf: '2026-03-10T00:00:00Z',
      assigned: arms.map(([arm]) => ({ arm, day, count: 1000 })),
      delivered: [],
      metrics: arms.flatMap(([arm, s]) =>
        (['conversions-per-user', 'conversion-rate', 'click-rate'] as const).map((metric) => ({
          metric,
          arm,
          day,
          n: 1000,
          sum: metric === 'click-rate' ? 100 : s,
          sumSquares: metric === 'click-rate' ? 100 : s,
        })),
      ),
    });
    const [count, rate] = few.metrics.filter((m) => m.role === 'guardrail').map((m) => m.comparisons[0]);
    expect(count.pValue!).toBeLessThan(0.05);
    expect(rate.test!.method).toBe('fisher-exact');
    expect(rate.pValue!).toBeCloseTo(0.0311, 4);
    expect(count.verdict.text).toBe(
      'Not enough data yet on conversions per user (Journey LLM vs Interest): 5 of 25 conversions in the two arms',
    );
    expect(rate.verdict.status).toBe('not-enough-data');
    expect(few.headline).toHaveLength(1);
  });

  it('compares sending with the holdout on conversion metrics only', () => {
    expect(report.holdout.map((m) => m.id)).toEqual(['conversion-rate', 'conversions-per-user']);
    expect(report.holdout[0].comparisons.map((c) => [c.control, c.treatment])).toEqual([
      ['holdout', 'interest'],
      ['holdout', 'journey-llm'],
    ]);
  });

  it('plans the holdout comparisons for the holdout split: 45% of users per variant against 10% held out', () => {
    const conversion = report.holdout[0];
    const held = conversion.arms.find((a) => a.arm === 'holdout')!;
    const p = held.sum / held.n;
    const q = p * 1.1;
    // n_holdout = (z_.975 + z_.8)² (p(1 − p) + q(1 − q) / k) / (0.1 p)² with k = 0.45 / 0.1 variant users per held-out user.
    const k = 4.5;
    const holdoutUsers =
      ((1.959963984540054 + 0.8416212335729143) ** 2 * (p * (1 - p) + (q * (1 - q)) / k)) / (0.1 * p) ** 2;
    for (const c of conversion.comparisons) {
      expect(c.power.neededPerArm!.control).toBe(Math.ceil(holdoutUsers));
      expect(c.power.neededPerArm!.treatment).toBe(Math.ceil(holdoutUsers * k));
    }
  });

  it('is plain JSON: it survives a round trip unchanged', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('rejects impossible statistics, naming each field', () => {
    const bad: ReportInput = {
      ...input,
      assigned: [{ arm: 'nobody', day: '2026-03-02', count: 3 }],
      metrics: [
        { metric: 'click-rate', arm: 'interest', day: '2026-03-02', n: 10, sum: 12, sumSquares: 12 },
        { metric: 'conversions-per-user', arm: 'interest', day: '2026-03-02', n: 4, sum: 10, sumSquares: 5 },
      ],
      metricsBySplit: [
        { metric: 'click-rate', arm: 'interest', day: '2026-03-02', split: '', n: 2, sum: 1, sumSquares: 1 },
        { metric: 'click-rate', arm: 'interest', day: '2026-03-02', split: 's1', n: 2, sum: 3, sumSquares: 3 },
      ],
    };
    expect(() => buildExperimentReport(bad)).toThrow(ExperimentError);
    try {
      buildExperimentReport(bad);
    } catch (error) {
      expect((error as ExperimentError).problems.map((p) => p.field)).toEqual([
        'assigned[0].arm',
        'metrics[0].sum',
        'metrics[1].sumSquares',
        'metricsBySplit[0].split',
        'metricsBySplit[1].sum',
      ]);
    }
  });
});
