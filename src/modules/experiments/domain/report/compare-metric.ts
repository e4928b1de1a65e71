import { ExperimentDefinition } from '../experiment-definition';
import { MetricId, MetricSpec } from '../metrics';
import { bayesianComparison } from '../statistics/bayesian';
import { Comparison, OneSided, Stratum, TestSettings, compareStrata } from '../statistics/canonical-test';
import { dataGate } from '../statistics/data-gate';
import { adjustedComparison } from '../statistics/multiple-testing';
import { PowerSettings, daysToDecision, minimumDetectableLift, requiredSampleSize } from '../statistics/power';
import { armMoments } from '../statistics/sufficient-stats';
import { Aggregates, Daily, totalStats } from './aggregate';
import { DayStrata, cumulativeStrata } from './strata';
import { Bounds, MetricComparison, MetricRole, UnboundedInterval } from './report-model';
import { cumulativeTimeline } from './timeline';
import { verdictFor } from './verdict';

export interface ComparisonContext {
  definition: ExperimentDefinition;
  aggregates: Aggregates;
  names: ReadonlyMap<string, string>;
  /** Each arm's share of new users under the current definition, holdout included (what power plans with). */
  shares: ReadonlyMap<string, number>;
  srmWarning: boolean;
  test: TestSettings;
  /** The UTC day of the report's `asOf`. */
  asOfDay: string;
  /** Each metric's statistics by arm, day and the split users were drawn under: arms are compared within splits. */
  strata: ReadonlyMap<MetricId, Daily<DayStrata>>;
}

/** The strata of a comparison after each day of the report. */
function strataAfterEachDay(ctx: ComparisonContext, metric: MetricSpec, control: string, treatment: string) {
  const series = ctx.strata.get(metric.id);
  return cumulativeStrata(ctx.aggregates.days, series?.get(control), series?.get(treatment));
}

const finalStrata = (after: Stratum[][]): Stratum[] => after.at(-1) ?? [];

/** The unadjusted canonical comparison of two arms on a metric (null when nothing can be tested yet). */
export function rawComparison(
  ctx: ComparisonContext,
  metric: MetricSpec,
  control: string,
  treatment: string,
): Comparison | null {
  return compareStrata(finalStrata(strataAfterEachDay(ctx, metric, control, treatment)), metric.kind, ctx.test);
}

const DAY = 86_400_000;
const dayTime = (day: string) => Date.parse(`${day}T00:00:00Z`);

/**
 * Users per calendar day per arm over the week up to the report's day (or since the first day, when
 * younger): the pace "days to a decision" extrapolates. A weekly campaign adds a week's users once a
 * week, and an experiment that stopped assigning adds none.
 */
function recentPace(ctx: ComparisonContext, metric: MetricSpec, arm: string): number {
  const last = dayTime(ctx.asOfDay);
  const from = Math.max(dayTime(ctx.aggregates.days[0] ?? ctx.asOfDay), last - 6 * DAY);
  let users = 0;
  for (const [day, stats] of ctx.aggregates.metrics.get(metric.id)?.get(arm) ?? []) {
    const t = dayTime(day);
    if (t >= from && t <= last) users += stats.n;
  }
  return users / Math.max(1, Math.round((last - from) / DAY) + 1);
}

/**
 * Treatment users per control user to come: the ratio of the arms' shares (a variant of a 50/50 split
 * against a 10% holdout is 4.5), or the ratio so far when an arm gets no new users.
 */
function allocationRatio(ctx: ComparisonContext, control: string, treatment: string, nA: number, nB: number): number {
  const [shareA, shareB] = [ctx.shares.get(control) ?? 0, ctx.shares.get(treatment) ?? 0];
  if (shareA > 0 && shareB > 0) return shareB / shareA;
  return nA > 0 && nB > 0 ? nB / nA : 1;
}

/** An always-valid comparison's p-value and interval, on the comparison's scale where its lift has bounds. */
function alwaysValidRead(c: Comparison, scale: 'relative' | 'absolute') {
  const relative = scale === 'relative' && c.relative && c.relative.lower !== null ? c.relative : null;
  return relative
    ? { pValue: c.test.pValue, bounds: relative, scale: 'relative' as const }
    : { pValue: c.test.pValue, bounds: c.absolute, scale: 'absolute' as const };
}

/**
 * A guardrail is tested one-sided in its harmful direction, as a decision framework does: only harm breaches it,
 * so the level α all goes to that tail (a rise in unsubscribes at z = 1.80 is a breach at α = 0.05, p = 0.036).
 * Other roles are tested two-sided. The sequential test ignores it and stays two-sided.
 */
function harmfulSide(metric: MetricSpec, role: MetricRole): OneSided | undefined {
  if (role !== 'guardrail') return undefined;
  return metric.higherIsBetter ? 'less' : 'greater';
}

const hasBound = (b: Bounds) => b.lower !== null || b.upper !== null;

/** Everything the report says about one treatment-vs-control comparison of one metric. */
export function metricComparison(
  ctx: ComparisonContext,
  metric: MetricSpec,
  role: MetricRole,
  control: string,
  treatment: string,
  adjusted: ({ p: number } & UnboundedInterval) | null,
): MetricComparison {
  const adjustedP = adjusted?.p ?? null;
  const { analysis, minimumSample } = ctx.definition;
  const series = ctx.aggregates.metrics.get(metric.id);
  const a = totalStats(series, control);
  const b = totalStats(series, treatment);
  const strataAfter = strataAfterEachDay(ctx, metric, control, treatment);
  const test: TestSettings = { ...ctx.test, oneSided: harmfulSide(metric, role) };
  const raw = compareStrata(finalStrata(strataAfter), metric.kind, test);
  const shown = raw && adjustedP !== null ? adjustedComparison(raw, adjustedP, analysis.alpha) : raw;
  const scale = shown?.relative && (hasBound(shown.relative) || !hasBound(shown.absolute)) ? 'relative' : 'absolute';
  const bounds = shown && (scale === 'relative' ? shown.relative : shown.absolute);
  const unbounded: UnboundedInterval | null =
    adjusted && bounds && (bounds.lower === null || bounds.upper === null)
      ? { correction: adjusted.correction, comparisons: adjusted.comparisons }
      : null;
  const gate = dataGate(a, b, metric.events !== null, { minimumSample, minimumEvents: analysis.minimumEvents });
  // A fixed-horizon test read daily before its gate is peeked at: an early breach must hold at every look, so it is
  // judged by the always-valid test, tuned to the two arms' users at the gate (where the fixed read takes over).
  const alwaysValid =
    role === 'guardrail' && !gate.ready && raw
      ? analysis.sequential
        ? raw
        : compareStrata(finalStrata(strataAfter), metric.kind, {
            alpha: analysis.alpha,
            sequential: { tuning: 2 * Math.max(2, minimumSample) },
          })
      : null;
  const harmGate = dataGate(a, b, metric.kind === 'mean' && metric.events !== null, {
    minimumSample: 2,
    minimumEvents: analysis.minimumEvents,
  });
  const controlMoments = armMoments(a, metric.kind);
  const prior =
    analysis.prior && controlMoments.mean !== 0
      ? { mean: 0, sd: analysis.prior.relativeSd * Math.abs(controlMoments.mean) }
      : null;
  const bayes =
    raw && bayesianComparison(raw.absolute.estimate, raw.absolute.standardError, metric.higherIsBetter, prior);
  const power: PowerSettings = {
    kind: metric.kind,
    controlMean: controlMoments.mean,
    controlVariance: controlMoments.variance,
    alpha: analysis.alpha,
    power: analysis.power,
    allocationRatio: allocationRatio(ctx, control, treatment, a.n, b.n),
    sequential: analysis.sequential,
  };
  const target = metric.higherIsBetter ? analysis.targetLift : -analysis.targetLift;
  const needed = controlMoments.mean !== 0 && controlMoments.n >= 2 ? requiredSampleSize(power, target) : null;
  const pace = { control: recentPace(ctx, metric, control), treatment: recentPace(ctx, metric, treatment) };
  const pValue = adjustedP ?? raw?.test.pValue ?? null;
  const verdict = verdictFor({
    metric,
    role,
    control: ctx.names.get(control) ?? control,
    treatment: ctx.names.get(treatment) ?? treatment,
    gate,
    harmGate,
    alwaysValid: alwaysValid && alwaysValidRead(alwaysValid, scale),
    pValue,
    alpha: analysis.alpha,
    bounds,
    scale,
    unbounded,
    oneSided: raw?.oneSided ?? null,
    srmWarning: ctx.srmWarning,
  });
  const decided = verdict.status === 'win' || verdict.status === 'loss';
  return {
    control,
    treatment,
    test: raw && {
      method: raw.test.method,
      statistic: raw.test.statistic,
      degreesOfFreedom: raw.test.degreesOfFreedom,
    },
    comparedValues: raw && { control: raw.control.mean, treatment: raw.treatment.mean },
    absolute: shown && shown.absolute,
    relative: shown && shown.relative,
    pValue: raw?.test.pValue ?? null,
    adjustedPValue: adjustedP,
    oneSided: raw?.oneSided ?? null,
    unboundedInterval: unbounded,
    chanceToBeatControl: bayes?.chanceToBeatControl ?? null,
    expectedLoss: bayes?.expectedLoss ?? null,
    gate,
    verdict,
    power: {
      targetLift: analysis.targetLift,
      neededPerArm: needed,
      minimumDetectableLift:
        controlMoments.mean !== 0 ? minimumDetectableLift(power, { control: a.n, treatment: b.n }) : null,
      daysToDecision: decided ? 0 : needed && daysToDecision(needed, { control: a.n, treatment: b.n }, pace),
    },
    timelineScale: scale,
    timeline: cumulativeTimeline(ctx.aggregates.days, strataAfter, metric.kind, test, scale),
  };
}
