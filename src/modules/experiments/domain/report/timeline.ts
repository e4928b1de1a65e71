import { Stratum, TestSettings, compareStrata } from '../statistics/canonical-test';
import { MetricKind } from '../statistics/sufficient-stats';
import { TimelinePoint } from './report-model';

/**
 * The comparison re-read on all users assigned up to each day (cohorts by assignment day), at the
 * unadjusted level, from the strata after each day (`cumulativeStrata`): O(days × periods) work on the
 * daily sufficient statistics, whatever the number of users.
 */
export function cumulativeTimeline(
  days: readonly string[],
  strataAfter: readonly Stratum[][],
  kind: MetricKind,
  settings: TestSettings,
  scale: 'relative' | 'absolute',
): TimelinePoint[] {
  return days.map((day, i) => {
    const strata = strataAfter[i];
    const c = compareStrata(strata, kind, settings);
    const bounds = c && (scale === 'relative' ? c.relative : c.absolute);
    return {
      day,
      controlN: strata.reduce((n, s) => n + s.control.n, 0),
      treatmentN: strata.reduce((n, s) => n + s.treatment.n, 0),
      estimate: bounds?.estimate ?? null,
      lower: bounds?.lower ?? null,
      upper: bounds?.upper ?? null,
    };
  });
}
