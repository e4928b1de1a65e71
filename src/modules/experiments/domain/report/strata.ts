import { ExperimentDefinition } from '../experiment-definition';
import { MetricId } from '../metrics';
import { Stratum } from '../statistics/canonical-test';
import { EMPTY_STATS, SufficientStats, addStats } from '../statistics/sufficient-stats';
import { Aggregates, Daily } from './aggregate';
import { AllocationPeriod } from './report-model';
import { allocationOf, splitKey } from './splits';

/** One arm's statistics of one day by the stratum they are compared in: the `splitKey` their users were drawn under. */
export type DayStrata = Map<string, SufficientStats>;

/**
 * The split each day's users are taken to be drawn under where theirs is not recorded: that of the allocation
 * period the day falls in (the first before any; the definition's own without a history).
 */
export function fallbackSplits(
  days: readonly string[],
  allocations: readonly AllocationPeriod[],
  definition: ExperimentDefinition,
): Map<string, string> {
  const sorted = [...allocations].sort((a, b) => a.from.localeCompare(b.from));
  const own = splitKey(allocationOf(definition, ''));
  return new Map(
    days.map((day) => {
      const period = sorted.filter((p) => p.from <= day).pop() ?? sorted[0];
      return [day, period ? splitKey(period) : own];
    }),
  );
}

/** A metric's statistics per arm, day and stratum, and the days whose users were put in a stratum by their day. */
export interface StratifiedSeries {
  byArm: Daily<DayStrata>;
  byDay: string[];
}

const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
const sameStats = (a: SufficientStats, b: SufficientStats) =>
  a.n === b.n && same(a.sum, b.sum) && same(a.sumSquares, b.sumSquares);

/**
 * Each arm's statistics of each day by the split its users were drawn under, where the day's split rows add up
 * to its rows in every arm (users, Σy and Σy²: they are recorded together, so they fall short only of users or
 * outcomes recorded before splits were); otherwise all the day's users go to the split of the day's period, as
 * if drawn under it (which on the day of a change the morning's users were not).
 */
export function stratifiedSeries(
  aggregates: Aggregates,
  metric: MetricId,
  fallback: ReadonlyMap<string, string>,
): StratifiedSeries {
  const totals = aggregates.metrics.get(metric) ?? new Map<string, Map<string, SufficientStats>>();
  const splits = aggregates.metricsBySplit.get(metric) ?? new Map<string, Map<string, DayStrata>>();
  const arms = [...new Set([...totals.keys(), ...splits.keys()])];
  const byArm: Daily<DayStrata> = new Map(arms.map((arm) => [arm, new Map<string, DayStrata>()]));
  const byDay: string[] = [];
  for (const day of aggregates.days) {
    const totalOf = (arm: string) => totals.get(arm)?.get(day) ?? EMPTY_STATS;
    const partsOf = (arm: string) => splits.get(arm)?.get(day) ?? new Map<string, SufficientStats>();
    const recorded = arms.every((arm) =>
      sameStats(totalOf(arm), [...partsOf(arm).values()].reduce(addStats, EMPTY_STATS)),
    );
    if (!recorded && arms.some((arm) => totalOf(arm).n > 0)) byDay.push(day);
    for (const arm of arms) {
      byArm.get(arm)!.set(day, recorded ? partsOf(arm) : new Map([[fallback.get(day)!, totalOf(arm)]]));
    }
  }
  return { byArm, byDay };
}

/**
 * The strata of a comparison after each day: per split users were drawn under, each arm's statistics of the
 * users assigned so far, weighted by the two arms' users. Within a split the allocation ratio is fixed, so
 * comparing within splits keeps a changed split from passing for an effect.
 */
export function cumulativeStrata(
  days: readonly string[],
  control: ReadonlyMap<string, DayStrata> | undefined,
  treatment: ReadonlyMap<string, DayStrata> | undefined,
): Stratum[][] {
  const strata = new Map<string, Stratum>();
  const add = (key: string, into: 'control' | 'treatment', stats: SufficientStats) => {
    const so = strata.get(key) ?? { control: EMPTY_STATS, treatment: EMPTY_STATS, weight: 0 };
    const next = { ...so, [into]: addStats(so[into], stats) };
    strata.set(key, { ...next, weight: next.control.n + next.treatment.n });
  };
  return days.map((day) => {
    for (const [key, stats] of control?.get(day) ?? []) add(key, 'control', stats);
    for (const [key, stats] of treatment?.get(day) ?? []) add(key, 'treatment', stats);
    return [...strata.values()];
  });
}
