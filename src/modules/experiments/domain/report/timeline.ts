import { TestSettings, compareArms } from '../statistics/canonical-test';
import { EMPTY_STATS, MetricKind, SufficientStats, addStats } from '../statistics/sufficient-stats';
import { TimelinePoint } from './report-model';

/**
 * The comparison re-read on all users assigned up to each day (cohorts by assignment day), at the
 * unadjusted level: O(days) work on the daily sufficient statistics, whatever the number of users.
 */
export function cumulativeTimeline(
  days: readonly string[],
  control: ReadonlyMap<string, SufficientStats> | undefined,
  treatment: ReadonlyMap<string, SufficientStats> | undefined,
  kind: MetricKind,
  settings: TestSettings,
  scale: 'relative' | 'absolute',
): TimelinePoint[] {
  let a = EMPTY_STATS;
  let b = EMPTY_STATS;
  return days.map((day) => {
    a = addStats(a, control?.get(day) ?? EMPTY_STATS);
    b = addStats(b, treatment?.get(day) ?? EMPTY_STATS);
    const c = compareArms(a, b, kind, settings);
    const bounds = c && (scale === 'relative' ? c.relative : c.absolute);
    return {
      day,
      controlN: a.n,
      treatmentN: b.n,
      estimate: bounds?.estimate ?? null,
      lower: bounds?.lower ?? null,
      upper: bounds?.upper ?? null,
    };
  });
}
