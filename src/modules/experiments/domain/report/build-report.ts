import { HOLDOUT_ARM } from '../assignment/assign';
import { METRICS, MetricId } from '../metrics';
import { utcDay } from '../outcomes';
import { SRM_THRESHOLD, sampleRatioMismatch } from '../statistics/srm';
import { Daily, aggregate, changeDays, sharesOn, total } from './aggregate';
import { ComparisonContext } from './compare-metric';
import { SRM_TEST_NAMES, formatP } from './format';
import { balanceOfDelivery, family, headlineComparisons } from './families';
import { reportNotes } from './notes';
import { expectedBySplit } from './splits';
import { fallbackSplits, stratifiedSeries } from './strata';
import { ArmSummary, ExperimentReport, REPORT_FORMAT, ReportInput } from './report-model';
import { validateReportInput } from './validate-input';

/**
 * Builds the report model from a definition and sufficient statistics. Pure and O(arms × metrics ×
 * days): the number of users only changes the numbers inside the statistics.
 */
export function buildExperimentReport(input: ReportInput): ExperimentReport {
  validateReportInput(input);
  const { definition } = input;
  const aggregates = aggregate(input);
  const control = definition.variants[0].key;
  const treatments = definition.variants.slice(1).map((v) => v.key);
  const hasHoldout = definition.holdoutShare > 0 || total(aggregates.assigned, HOLDOUT_ARM) > 0;
  const armKeys = [...definition.variants.map((v) => v.key), ...(hasHoldout ? [HOLDOUT_ARM] : [])];

  // Expected counts follow the split each user was drawn under (or the allocation in force on each day), so a
  // mid-experiment change of weights is not an SRM.
  const { expected, checkedDays, leftOutDays } = expectedBySplit(input, aggregates, armKeys);
  const assignedOn = (k: string, day: string) => aggregates.assigned.get(k)?.get(day) ?? 0;
  const observed = armKeys.map((k) => checkedDays.reduce((sum, day) => sum + assignedOn(k, day), 0));
  const { unexpected, ...split } = sampleRatioMismatch(
    observed,
    armKeys.map((k) => expected.get(k)!),
  );
  const srm = {
    ...split,
    threshold: SRM_THRESHOLD,
    leftOutDays,
    ...(unexpected && { unexpectedArms: unexpected.map((i) => armKeys[i]) }),
  };
  const assignedTotal = observed.reduce((a, b) => a + b, 0);
  const expectedTotal = [...expected.values()].reduce((a, b) => a + b, 0);

  const names = new Map<string, string>([
    ...definition.variants.map((v) => [v.key, v.name] as const),
    [HOLDOUT_ARM, 'Holdout'],
  ]);
  // Expected and observed shares are those of the SRM check (a day it leaves out is in neither); counts, and the share
  // of assigned users, are of every user of the arm, as the metrics' denominators are.
  const everyAssigned = armKeys.reduce((sum, key) => sum + total(aggregates.assigned, key), 0);
  const arms: ArmSummary[] = armKeys.map((key, i) => {
    const assigned = total(aggregates.assigned, key);
    const delivered = total(aggregates.delivered, key);
    return {
      key,
      name: names.get(key)!,
      role: key === control ? 'control' : key === HOLDOUT_ARM ? 'holdout' : 'treatment',
      expectedShare: expectedTotal > 0 ? expected.get(key)! / expectedTotal : 0,
      observedShare: assignedTotal > 0 ? observed[i] / assignedTotal : 0,
      assigned,
      assignedShare: everyAssigned > 0 ? assigned / everyAssigned : 0,
      delivered,
      deliveryRate: key === HOLDOUT_ARM || assigned === 0 ? null : delivered / assigned,
    };
  });

  // Arms are compared within the split each user was drawn under; a day whose splits were not recorded goes by
  // its period, which only matters on the day of a change (the rest of its period's users were drawn by its split).
  const fallback = fallbackSplits(aggregates.days, input.allocations ?? [], definition);
  const stratified = [...aggregates.metrics.keys()].map((m) => [m, stratifiedSeries(aggregates, m, fallback)] as const);
  const changedOn = changeDays(input.allocations ?? []);
  const comparedByDay = [...new Set(stratified.flatMap(([, s]) => s.byDay))].filter((day) => changedOn.has(day)).sort();

  const ctx: ComparisonContext = {
    definition,
    aggregates,
    names,
    // No allocation history: the current definition's split, the one new users get.
    shares: sharesOn(definition, [], ''),
    srmWarning: srm.status === 'warning',
    test: { alpha: definition.analysis.alpha, sequential: definition.analysis.sequential },
    asOfDay: utcDay(new Date(input.asOf)),
    strata: new Map(stratified.map(([m, s]) => [m, s.byArm])),
  };
  const { primary, secondary, guardrails } = definition.metrics;
  const metrics = [
    ...family(ctx, [primary], 'primary', control, treatments),
    ...family(ctx, secondary, 'secondary', control, treatments),
    ...family(ctx, guardrails, 'guardrail', control, treatments),
  ];
  const holdoutMetrics = [...new Set<MetricId>([primary, ...secondary, ...guardrails])].filter(
    (m) => METRICS[m].holdoutComparable,
  );
  const holdout =
    hasHoldout && total(aggregates.assigned, HOLDOUT_ARM) > 0
      ? family(ctx, holdoutMetrics, 'holdout', HOLDOUT_ARM, [control, ...treatments])
      : [];
  const sending = arms.filter((a) => a.role !== 'holdout');
  const countsOn = (series: Daily<number>, day: string) => sending.map((a) => series.get(a.key)?.get(day) ?? 0);
  const deliveryBalance = balanceOfDelivery(
    sending,
    aggregates.days.map((day) => ({
      delivered: countsOn(aggregates.delivered, day),
      assigned: countsOn(aggregates.assigned, day),
    })),
  );

  const report: ExperimentReport = {
    format: REPORT_FORMAT,
    experiment: {
      id: definition.id,
      name: definition.name,
      campaignId: definition.campaignId,
      control,
      variants: definition.variants.map((v) => ({ key: v.key, name: v.name, weight: v.weight })),
      holdoutShare: definition.holdoutShare,
      attributionWindowHours: definition.attributionWindowHours,
      minimumSample: definition.minimumSample,
    },
    asOf: new Date(input.asOf).toISOString(),
    period: aggregates.days.length
      ? {
          firstDay: aggregates.days[0],
          lastDay: aggregates.days[aggregates.days.length - 1],
          days: aggregates.days.length,
        }
      : null,
    settings: definition.analysis,
    arms,
    srm,
    deliveryBalance,
    headline: [],
    metrics,
    holdout,
    notes: [],
  };
  report.headline = [
    ...(ctx.srmWarning
      ? [`Sample ratio mismatch (${srmSummary(report)}): fix the assignment before trusting these results.`]
      : []),
    ...headlineComparisons(metrics).map((c) => c.verdict.text),
  ];
  report.notes = reportNotes(report, input.allocations ?? [], { srmLeftOut: leftOutDays, comparedByDay });
  return report;
}

/**
 * "expected 50.0% / 50.0%, observed 52.1% / 47.9%, p < 0.001 (χ² test)"-style summary of the split, naming any arm that holds
 * users where none were expected ("; Holdout has 12 users where none were expected").
 */
export function srmSummary(report: Pick<ExperimentReport, 'arms' | 'srm'>): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const unexpected = report.arms
    .map((a, i) => ({ name: a.name, key: a.key, users: report.srm.observed[i] }))
    .filter((a) => report.srm.unexpectedArms?.includes(a.key))
    .map((a) => `; ${a.name} has ${a.users} user${a.users === 1 ? '' : 's'} where none were expected`);
  // p = 0 for users where none were expected comes from no test.
  const p = `${formatP(report.srm.pValue)}${unexpected.length > 0 ? '' : ` (${SRM_TEST_NAMES[report.srm.test]})`}`;
  return `expected ${report.arms.map((a) => pct(a.expectedShare)).join(' / ')}, observed ${report.arms.map((a) => pct(a.observedShare)).join(' / ')}, ${p}${unexpected.join('')}`;
}
