import { Stratum } from '../statistics/canonical-test';
import { EMPTY_STATS, SufficientStats, addStats } from '../statistics/sufficient-stats';
import { AllocationPeriod } from './report-model';

/** Each day's allocation period, its rank by `from` in the history (0 before the first and without one). */
export function periodsOfDays(days: readonly string[], allocations: readonly AllocationPeriod[]): Map<string, number> {
  const starts = allocations.map((p) => p.from).sort();
  return new Map(days.map((day) => [day, Math.max(0, starts.filter((from) => from <= day).length - 1)]));
}

/**
 * The strata of a comparison after each day: per allocation period, each arm's statistics of the users
 * assigned so far, weighted by the two arms' users. Within a period the split is fixed, so comparing within
 * periods keeps a changed split from passing for an effect.
 */
export function cumulativeStrata(
  days: readonly string[],
  periodOf: ReadonlyMap<string, number>,
  control: ReadonlyMap<string, SufficientStats> | undefined,
  treatment: ReadonlyMap<string, SufficientStats> | undefined,
): Stratum[][] {
  const strata = new Map<number, Stratum>();
  return days.map((day) => {
    const period = periodOf.get(day) ?? 0;
    const so = strata.get(period) ?? { control: EMPTY_STATS, treatment: EMPTY_STATS, weight: 0 };
    const a = addStats(so.control, control?.get(day) ?? EMPTY_STATS);
    const b = addStats(so.treatment, treatment?.get(day) ?? EMPTY_STATS);
    strata.set(period, { control: a, treatment: b, weight: a.n + b.n });
    return [...strata.values()];
  });
}
