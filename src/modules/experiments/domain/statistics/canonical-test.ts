import {
  normalCdf,
  normalCritical,
  normalQuantile,
  normalTwoSided,
  studentTCritical,
  studentTTwoSided,
} from './distributions';
import { OneSided, stratifiedExactTest } from './exact';
import { deltaMethodLiftSe, fiellerLiftInterval, relativeLift } from './relative-lift';
import { sequentialCritical, sequentialPValue, sequentialRho } from './sequential';
import { ArmMoments, MetricKind, SufficientStats, armMoments } from './sufficient-stats';

export interface TestSettings {
  /** Significance level: two-sided, or of the one tail `oneSided` names. */
  alpha: number;
  /** Always-valid inference with GrowthBook's tuning parameter N*; null for a fixed-horizon test. */
  sequential: { tuning: number } | null;
  /**
   * Test for a difference in this direction only (a guardrail's harm), at level α in that tail, its interval a
   * bound on that side. A sequential test stays two-sided: its always-valid p is not a tail to halve.
   */
  oneSided?: OneSided;
}

export type { OneSided };

export type TestMethod = 'z' | 'welch-t' | 'sequential-z' | 'fisher-exact';

/** Below this expected count in a cell of the pooled table of events, a rate is tested exactly. */
const EXACT_BELOW_EXPECTED = 5;

/** The one test a metric's comparison is judged by; every interval of the comparison inverts it. */
export interface CanonicalTest {
  method: TestMethod;
  /**
   * (treatment − control) / SE; for an exact test, the z whose two-sided normal tail is its p-value (one-sided:
   * whose tail in the test's direction is).
   */
  statistic: number;
  /** Welch–Satterthwaite degrees of freedom (welch-t only). */
  degreesOfFreedom: number | null;
  /** Users in the two arms and ρ (sequential-z only). */
  totalN: number;
  rho: number | null;
  pValue: number;
}

export interface Interval {
  estimate: number;
  lower: number | null;
  upper: number | null;
}

export interface Comparison {
  control: ArmMoments;
  treatment: ArmMoments;
  test: CanonicalTest;
  /** Difference of means with its standard error. */
  absolute: Interval & { standardError: number };
  /** Relative lift; `standardError` is the delta-method one; null when the control mean is 0. */
  relative: (Interval & { standardError: number }) | null;
  /** The critical value the intervals use: the |statistic| at which the test's p-value is α. */
  critical: number;
  /**
   * The direction of a one-sided test: its intervals are bounds on that side alone ('greater': a lower bound, the
   * upper end open and null; 'less': an upper bound), so 0 is outside exactly when the one-sided p is below α.
   */
  oneSided?: OneSided;
  /**
   * Whether an arm without variation (a rate arm with no events or only events, a mean arm of one value) made
   * the test use the variance under the null (see `withNullVariance`); the lift then has no interval, since that
   * variance holds at a lift of 0 only.
   */
  nullVariance?: true;
  /** The metric's kind: a difference of rates lies in [−1, 1], and no lift of values ≥ 0 is below −100%. */
  kind?: MetricKind;
}

/**
 * Compares a treatment arm with the control by the metric's canonical test: the unpooled
 * two-proportion z-test for rates (its inversion is the displayed Wald interval, which the pooled
 * variant's is not), pooled when an arm has no events (see `withNullVariance`), Fisher's exact test when
 * the events are too few for either (see `exactRateTest`), Welch's t for means (pooled when an arm has no
 * variation), or the sequential z of either when sequential testing is on.
 * Null when there is nothing to test yet (fewer than 2 users in an arm, or no variance at all).
 */
export function compareArms(
  control: SufficientStats,
  treatment: SufficientStats,
  kind: MetricKind,
  settings: TestSettings,
): Comparison | null {
  return compareStrata([{ control, treatment, weight: 1 }], kind, settings);
}

/** The two arms' statistics within one stratum, and the stratum's weight (its users, in any scale). */
export interface Stratum {
  control: SufficientStats;
  treatment: SufficientStats;
  weight: number;
}

/**
 * {@link compareArms} within strata: each arm's mean is the strata's weighted average of its stratum means,
 * and its variance Σ w²σ²/n, so the difference is the weighted average of the within-stratum differences
 * (post-stratification). When the split between the arms changes from one stratum to the next (a variant
 * added, weights moved), the pooled means would credit an arm with the level of the strata it got more of its
 * users in; stratified, an A/A stays at 0. Welch's degrees of freedom are Satterthwaite's over every (stratum,
 * arm) term. Strata where an arm has fewer than 2 users are left out; one stratum is the plain comparison.
 */
export function compareStrata(strata: readonly Stratum[], kind: MetricKind, settings: TestSettings): Comparison | null {
  const parts = strata
    .map((s) => withNullVariance(armMoments(s.control, kind), armMoments(s.treatment, kind), kind, s.weight))
    .filter((p) => p.a.n >= 2 && p.b.n >= 2 && p.weight > 0);
  if (parts.length === 0) return null;
  const nullVariance = parts.some((p) => p.nullVariance);
  const totalWeight = parts.reduce((sum, p) => sum + p.weight, 0);
  const pooled = { meanA: 0, meanB: 0, varianceA: 0, varianceB: 0, dfTerms: 0, nA: 0, nB: 0 };
  for (const { a, b, weight } of parts) {
    const w = weight / totalWeight;
    const termA = (w * w * a.variance) / a.n;
    const termB = (w * w * b.variance) / b.n;
    pooled.meanA += w * a.mean;
    pooled.meanB += w * b.mean;
    pooled.varianceA += termA;
    pooled.varianceB += termB;
    pooled.dfTerms += termA ** 2 / (a.n - 1) + termB ** 2 / (b.n - 1);
    pooled.nA += a.n;
    pooled.nB += b.n;
  }
  const { meanA, meanB, nA, nB } = pooled;
  let { varianceA, varianceB } = pooled;
  // The arms' moments with the per-user variance that gives the stratified variance of the mean.
  let a: ArmMoments = parts.length === 1 ? parts[0].a : { n: nA, mean: meanA, variance: varianceA * nA };
  let b: ArmMoments = parts.length === 1 ? parts[0].b : { n: nB, mean: meanB, variance: varianceB * nB };
  let standardError = Math.sqrt(varianceA + varianceB);
  if (!(standardError > 0)) return null;
  const difference = meanB - meanA;
  const statistic = difference / standardError;
  const totalN = nA + nB;
  const oneSided = settings.sequential ? undefined : settings.oneSided;
  const toward = oneSided === 'less' ? -1 : 1;
  const exact = kind === 'rate' && !settings.sequential ? exactRateTest(parts, oneSided) : null;
  let test: CanonicalTest;
  if (exact !== null) {
    const tiny = Math.max(exact, Number.MIN_VALUE);
    const z = oneSided
      ? toward * -normalQuantile(tiny)
      : exact < 1 && difference !== 0
        ? Math.sign(difference) * normalCritical(tiny)
        : 0;
    // A one-sided tail against the estimate's side (or of a discrete table at its centre) has no scale to give.
    if (z !== 0 && Math.sign(z) === Math.sign(difference)) {
      // The variances scaled to the standard error at which the z-test would give the exact p-value (as an
      // adjusted p-value's interval is back-computed), so the intervals invert the exact test.
      const scale = (difference / z / standardError) ** 2;
      [varianceA, varianceB, standardError] = [varianceA * scale, varianceB * scale, difference / z];
      a = { ...a, variance: a.variance * scale };
      b = { ...b, variance: b.variance * scale };
    }
    test = { method: 'fisher-exact', statistic: z, degreesOfFreedom: null, totalN, rho: null, pValue: exact };
  } else if (settings.sequential) {
    const rho = sequentialRho(settings.alpha, settings.sequential.tuning);
    test = { method: 'sequential-z', statistic, degreesOfFreedom: null, totalN, rho, pValue: 0 };
    test.pValue = sequentialPValue(statistic, totalN, rho);
  } else if (kind === 'mean') {
    const df = (varianceA + varianceB) ** 2 / pooled.dfTerms;
    test = {
      method: 'welch-t',
      statistic,
      degreesOfFreedom: df,
      totalN,
      rho: null,
      pValue: studentTTwoSided(statistic, df),
    };
    if (oneSided) test.pValue = toward * statistic > 0 ? test.pValue / 2 : 1 - test.pValue / 2;
  } else {
    const pValue = oneSided ? normalCdf(-toward * statistic) : normalTwoSided(statistic);
    test = { method: 'z', statistic, degreesOfFreedom: null, totalN, rho: null, pValue };
  }
  const lift = relativeLift(meanA, meanB);
  const comparison: Comparison = {
    control: a,
    treatment: b,
    test,
    absolute: { estimate: difference, standardError, lower: null, upper: null },
    relative:
      lift === null
        ? null
        : {
            estimate: lift,
            standardError: deltaMethodLiftSe(meanA, varianceA, meanB, varianceB),
            lower: null,
            upper: null,
          },
    // One tail at α is the two-sided test at 2α.
    critical: criticalValue(test, oneSided ? 2 * settings.alpha : settings.alpha),
    kind,
    ...(oneSided && { oneSided }),
    ...(nullVariance && { nullVariance: true as const }),
  };
  return withCritical(comparison, comparison.critical);
}

/**
 * The two arms of a stratum, as the test weighs them. A rate arm with no events (or only events) has a plug-in
 * variance p(1 − p) of 0, as if its rate were known exactly: the unpooled z then keeps the other arm's sampling
 * error alone and is anticonservative (50 of 1,000 control users against 0 of 30 treatment users reads z = −7.25,
 * p = 4e−13, though 30 users at a 5% rate have no event 21% of the time). Such a stratum takes the variance
 * under the null for both arms, p̄(1 − p̄) of the pooled rate p̄: the pooled two-proportion z-test (the score
 * test), z = −1.26 and p = 0.21 here. The absolute interval inverts the same test, so it agrees with the p-value.
 * A mean arm without variation (no user of 220 converted) is the same trap for Welch's t, and takes the variance of
 * the two arms' users pooled around their common mean, (Σy² − (Σy)²/N)/(N − 1): 220 users without a conversion
 * against 30 of 1,000 converting once read t = 5.56, p = 3.5e−8 with Welch, and t = 2.60, p = 0.0097 so.
 */
function withNullVariance(a: ArmMoments, b: ArmMoments, kind: MetricKind, weight: number) {
  if ((a.variance > 0 && b.variance > 0) || a.n < 2 || b.n < 2) return { a, b, weight, nullVariance: false };
  const n = a.n + b.n;
  const pooled = (a.mean * a.n + b.mean * b.n) / n;
  const variance =
    kind === 'rate'
      ? pooled * (1 - pooled)
      : ((a.n - 1) * a.variance +
          (b.n - 1) * b.variance +
          a.n * (a.mean - pooled) ** 2 +
          b.n * (b.mean - pooled) ** 2) /
        (n - 1);
  return { a: { ...a, variance }, b: { ...b, variance }, weight, nullVariance: true };
}

/**
 * Fisher's exact p-value of the arms' events (the exact conditional test across strata, weighing each by its
 * margins) when the pooled table has a cell expected below EXACT_BELOW_EXPECTED, where the normal
 * approximation misreads the tails: 3 events among 30 users against none among 1,000 reads z = 10.0 and
 * p = 1e−23 pooled, where the exact p is C(30, 3) / C(1030, 3) = 2.2e−5. Null otherwise (or when too costly).
 */
function exactRateTest(parts: ReadonlyArray<{ a: ArmMoments; b: ArmMoments }>, oneSided?: OneSided): number | null {
  const tables = parts.map(({ a, b }) => ({
    control: { n: a.n, events: Math.round(a.mean * a.n) },
    treatment: { n: b.n, events: Math.round(b.mean * b.n) },
  }));
  const sum = (f: (t: (typeof tables)[number]) => number) => tables.reduce((s, t) => s + f(t), 0);
  const [nA, nB] = [sum((t) => t.control.n), sum((t) => t.treatment.n)];
  const events = sum((t) => t.control.events + t.treatment.events);
  const smallest = (Math.min(nA, nB) * Math.min(events, nA + nB - events)) / (nA + nB);
  return smallest < EXACT_BELOW_EXPECTED ? stratifiedExactTest(tables, oneSided) : null;
}

/** The |statistic| at which the test's p-value equals p: the critical value of a level-p test. */
export function criticalValue(test: CanonicalTest, p: number): number {
  if (p >= 1) return test.method === 'sequential-z' ? sequentialCritical(1, test.totalN, test.rho!) : 0;
  switch (test.method) {
    case 'z':
    case 'fisher-exact':
      return normalCritical(p);
    case 'welch-t':
      return studentTCritical(p, test.degreesOfFreedom!);
    case 'sequential-z':
      return sequentialCritical(p, test.totalN, test.rho!);
  }
}

/**
 * The comparison's absolute and relative intervals recomputed at critical value c (Infinity: unbounded), within
 * the values possible: a difference of rates in [−100 pp, +100 pp] and a lift of values that are never negative
 * (every metric's) from −100% up. At the first looks of a sequential test, 1 of 2 users against 0 of 2 would
 * otherwise read −50 pp [−1,385 pp, +1,285 pp]. Clipping keeps 0 where it was, inside or out, so the interval
 * still agrees with the p-value. A one-sided comparison keeps the bound on its side only.
 */
export function withCritical(comparison: Comparison, critical: number): Comparison {
  const { control: a, treatment: b, absolute } = comparison;
  const finite = Number.isFinite(critical);
  const half = critical * absolute.standardError;
  const fieller = comparison.nullVariance
    ? null
    : fiellerLiftInterval(a.mean, a.variance / a.n, b.mean, b.variance / b.n, critical);
  const rate = comparison.kind === 'rate';
  const atLeast = (x: number | null, least: number | null) => (x === null || least === null ? x : Math.max(x, least));
  const atMost = (x: number | null, most: number | null) => (x === null || most === null ? x : Math.min(x, most));
  const [lowerOpen, upperOpen] = [comparison.oneSided === 'less', comparison.oneSided === 'greater'];
  return {
    ...comparison,
    critical,
    absolute: {
      ...absolute,
      lower: lowerOpen ? null : atLeast(finite ? absolute.estimate - half : null, rate ? -1 : null),
      upper: upperOpen ? null : atMost(finite ? absolute.estimate + half : null, rate ? 1 : null),
    },
    relative: comparison.relative && {
      ...comparison.relative,
      lower: lowerOpen ? null : atLeast(fieller?.[0] ?? null, comparison.kind ? -1 : null),
      upper: upperOpen ? null : (fieller?.[1] ?? null),
    },
  };
}
