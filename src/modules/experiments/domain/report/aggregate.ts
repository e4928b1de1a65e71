import { HOLDOUT_ARM } from '../assignment/assign';
import { ExperimentDefinition } from '../experiment-definition';
import { MetricId } from '../metrics';
import { EMPTY_STATS, SufficientStats, addStats } from '../statistics/sufficient-stats';
import { AllocationPeriod, ArmDayCount, ReportInput } from './report-model';

/** Daily series per arm, keyed by day. */
export type Daily<T> = Map<string, Map<string, T>>;

/** The report input folded into totals and daily series: the only pass over the rows. */
export interface Aggregates {
  /** Every day with data, sorted. */
  days: string[];
  assigned: Daily<number>;
  delivered: Daily<number>;
  metrics: Map<MetricId, Daily<SufficientStats>>;
  /** The same statistics by the split their users were drawn under, where recorded: arm → day → split. */
  metricsBySplit: Map<MetricId, Daily<Map<string, SufficientStats>>>;
}

function addCount(target: Daily<number>, row: ArmDayCount): void {
  const byDay = target.get(row.arm) ?? new Map<string, number>();
  byDay.set(row.day, (byDay.get(row.day) ?? 0) + row.count);
  target.set(row.arm, byDay);
}

/** Folds the rows (several rows of one key add up, as partial aggregates from several workers would). */
export function aggregate(input: ReportInput): Aggregates {
  const days = new Set<string>();
  const assigned: Daily<number> = new Map();
  const delivered: Daily<number> = new Map();
  const metrics = new Map<MetricId, Daily<SufficientStats>>();
  for (const row of input.assigned) {
    addCount(assigned, row);
    days.add(row.day);
  }
  for (const row of input.delivered) addCount(delivered, row);
  for (const row of input.metrics) {
    const byArm = metrics.get(row.metric) ?? new Map<string, Map<string, SufficientStats>>();
    const byDay = byArm.get(row.arm) ?? new Map<string, SufficientStats>();
    byDay.set(row.day, addStats(byDay.get(row.day) ?? EMPTY_STATS, row));
    byArm.set(row.arm, byDay);
    metrics.set(row.metric, byArm);
    days.add(row.day);
  }
  const metricsBySplit = new Map<MetricId, Daily<Map<string, SufficientStats>>>();
  for (const row of input.metricsBySplit ?? []) {
    const byArm = metricsBySplit.get(row.metric) ?? new Map<string, Map<string, Map<string, SufficientStats>>>();
    const byDay = byArm.get(row.arm) ?? new Map<string, Map<string, SufficientStats>>();
    const bySplit = byDay.get(row.day) ?? new Map<string, SufficientStats>();
    bySplit.set(row.split, addStats(bySplit.get(row.split) ?? EMPTY_STATS, row));
    byDay.set(row.day, bySplit);
    byArm.set(row.arm, byDay);
    metricsBySplit.set(row.metric, byArm);
  }
  return { days: [...days].sort(), assigned, delivered, metrics, metricsBySplit };
}

/** Sum of a daily count series of one arm. */
export function total(series: Daily<number>, arm: string): number {
  let sum = 0;
  for (const n of series.get(arm)?.values() ?? []) sum += n;
  return sum;
}

/** Sum of a daily statistics series of one arm. */
export function totalStats(series: Daily<SufficientStats> | undefined, arm: string): SufficientStats {
  let sum = EMPTY_STATS;
  for (const s of series?.get(arm)?.values() ?? []) sum = addStats(sum, s);
  return sum;
}

/** The days on which a later allocation took over from an earlier one: their users came under both splits. */
export function changeDays(allocations: readonly AllocationPeriod[]): Set<string> {
  return new Set(
    [...allocations]
      .sort((a, b) => a.from.localeCompare(b.from))
      .slice(1)
      .map((p) => p.from),
  );
}

/**
 * Expected share of each arm on a day, from the allocation in force (the definition's when none is
 * given). Variants the definition no longer has keep their weight in that day's split, so the shares
 * of the remaining arms may sum to less than 1: callers compare them among themselves.
 */
export function sharesOn(
  definition: ExperimentDefinition,
  allocations: AllocationPeriod[],
  day: string,
): Map<string, number> {
  const period = [...allocations]
    .sort((a, b) => a.from.localeCompare(b.from))
    .filter((p) => p.from <= day)
    .pop();
  return sharesOf(definition, period);
}

/** {@link sharesOn} under one allocation (the definition's own when none). */
export function sharesOf(definition: ExperimentDefinition, period: AllocationPeriod | undefined): Map<string, number> {
  const holdout = period?.holdoutShare ?? definition.holdoutShare;
  const weightOf = (w: number | undefined) => Math.max(0, w ?? 0);
  const weights = definition.variants.map((v) => weightOf(period ? period.weights[v.key] : v.weight));
  const sum = period
    ? Object.values(period.weights).reduce((a, w) => a + weightOf(w), 0)
    : weights.reduce((a, b) => a + b, 0);
  const shares = new Map<string, number>([[HOLDOUT_ARM, holdout]]);
  definition.variants.forEach((v, i) => shares.set(v.key, sum > 0 ? ((1 - holdout) * weights[i]) / sum : 0));
  return shares;
}
