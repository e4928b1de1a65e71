/** How a metric's per-user value is analysed: `rate` (0/1 per user) or `mean` (any number per user). */
export type MetricKind = 'rate' | 'mean';

/** Sufficient statistics of one arm: users n, Σy and Σy² over them. Everything a report needs. */
export interface SufficientStats {
  n: number;
  sum: number;
  sumSquares: number;
}

/** Mean and per-user variance of one arm. */
export interface ArmMoments {
  n: number;
  mean: number;
  variance: number;
}

export const EMPTY_STATS: SufficientStats = Object.freeze({ n: 0, sum: 0, sumSquares: 0 });

/** Element-wise sum of sufficient statistics (days into a period, periods into a total). */
export function addStats(a: SufficientStats, b: SufficientStats): SufficientStats {
  return { n: a.n + b.n, sum: a.sum + b.sum, sumSquares: a.sumSquares + b.sumSquares };
}

/** Sufficient statistics of raw per-user values, for simulations and tests. */
export function statsOfValues(values: readonly number[]): SufficientStats {
  let sum = 0;
  let sumSquares = 0;
  for (const y of values) {
    sum += y;
    sumSquares += y * y;
  }
  return { n: values.length, sum, sumSquares };
}

/**
 * Mean and per-user variance. Rates use p(1 − p), the variance of the two-proportion z-test (and
 * GrowthBook's); means use the unbiased (Σy² − (Σy)²/n)/(n − 1) of Welch's test.
 */
export function armMoments(stats: SufficientStats, kind: MetricKind): ArmMoments {
  const { n, sum, sumSquares } = stats;
  if (n <= 0) return { n: 0, mean: 0, variance: 0 };
  const mean = sum / n;
  if (kind === 'rate') return { n, mean, variance: Math.max(0, mean * (1 - mean)) };
  const variance = n > 1 ? Math.max(0, (sumSquares - (sum * sum) / n) / (n - 1)) : 0;
  return { n, mean, variance };
}
