import { chiSquareSurvival } from './distributions';
import { exactEqualRatesTest, exactMultinomialTest } from './exact';

export type SrmStatus = 'ok' | 'warning' | 'not-enough-data';

/** The test the p-value comes from: Pearson's χ², or an exact one where some expected count is small. */
export type SrmTest =
  'chi-square' | 'exact-binomial' | 'exact-multinomial' | 'fisher-exact' | 'freeman-halton' | 'cochran-mantel-haenszel';

export interface SrmResult {
  status: SrmStatus;
  test: SrmTest;
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  observed: number[];
  expected: number[];
  /** Positions of the arms holding users where none were expected (a share of 0): a mismatch whatever the counts. */
  unexpected?: number[];
}

/** GrowthBook's, Eppo's and Statsig's red line: p below 0.001 means the split is broken, not unlucky. */
export const SRM_THRESHOLD = 0.001;
/** Below this expected count in some arm (cell) the χ² approximation is not trusted: an exact test is used. */
export const SRM_MIN_EXPECTED = 5;

/** Expected counts of a total split by shares (any positive scale). */
export function expectedCounts(total: number, shares: readonly number[]): number[] {
  const sum = shares.reduce((a, b) => a + b, 0);
  return shares.map((s) => (sum > 0 ? (total * s) / sum : 0));
}

/**
 * Sample-ratio-mismatch check: Pearson's χ² of observed against expected counts, df = arms expecting users − 1.
 * Arms expected to be empty are skipped in the sum and add no degree of freedom (their count of 0 is fixed by the
 * allocation: a variant added after the days checked would otherwise make a mismatch of the others pass). A user found in one is a mismatch on its own, of
 * probability 0 under the allocation: the result is a warning with p = 0 that lists those arms in
 * `unexpected`, and its χ² (that of the other arms) stays a finite number, as JSON can carry it.
 * Where an arm expects fewer than SRM_MIN_EXPECTED users the p-value is the exact binomial (two arms)
 * or multinomial test's instead: χ² is liberal there (7 users where 2 of 1,000 are expected reads
 * p = 0.0004, where exactly 7 or more turn up with probability 0.0045).
 */
export function sampleRatioMismatch(
  observed: readonly number[],
  expected: readonly number[],
  threshold = SRM_THRESHOLD,
): SrmResult {
  const degreesOfFreedom = Math.max(1, expected.filter((e) => e > 0).length - 1);
  const base = { degreesOfFreedom, observed: [...observed], expected: [...expected] };
  let chiSquare = 0;
  observed.forEach((o, i) => {
    if (expected[i] > 0) chiSquare += (o - expected[i]) ** 2 / expected[i];
  });
  const unexpected = observed.flatMap((o, i) => (expected[i] <= 0 && o > 0 ? [i] : []));
  if (unexpected.length > 0) {
    return { ...base, status: 'warning', test: 'chi-square', chiSquare, pValue: 0, unexpected };
  }
  const small = expected.some((e) => e > 0 && e < SRM_MIN_EXPECTED);
  const exact = small ? exactMultinomialTest(observed, expected) : null;
  if (exact !== null) {
    const test = expected.filter((e) => e > 0).length > 2 ? 'exact-multinomial' : 'exact-binomial';
    return { ...base, status: exact < threshold ? 'warning' : 'ok', test, chiSquare, pValue: exact };
  }
  const pValue = chiSquareSurvival(chiSquare, degreesOfFreedom);
  if (expected.every((e) => e <= 0) || small) {
    return { ...base, status: 'not-enough-data', test: 'chi-square', chiSquare, pValue };
  }
  return { ...base, status: pValue < threshold ? 'warning' : 'ok', test: 'chi-square', chiSquare, pValue };
}

/**
 * Pearson's χ² test that k rates are equal: the 2 × k table of successes and failures per arm against
 * the pooled rate, df = arms with trials − 1 (scipy's chi2_contingency without Yates' correction). A
 * goodness-of-fit on the successes alone would leave out the failure cells, which at a 95% rate carry
 * 95% of the χ². Where a cell expects fewer than SRM_MIN_EXPECTED, the p-value is Fisher's exact test's
 * (two arms) or Freeman–Halton's (more).
 */
export function equalRates(
  successes: readonly number[],
  trials: readonly number[],
  threshold = SRM_THRESHOLD,
): SrmResult {
  const totalTrials = trials.reduce((a, b) => a + b, 0);
  const pooled = totalTrials > 0 ? successes.reduce((a, b) => a + b, 0) / totalTrials : 0;
  const expected = trials.map((n) => n * pooled);
  const expectedFailures = trials.map((n) => n * (1 - pooled));
  let chiSquare = 0;
  successes.forEach((s, i) => {
    const failures = Math.max(0, trials[i] - s);
    if (expected[i] > 0) chiSquare += (s - expected[i]) ** 2 / expected[i];
    if (expectedFailures[i] > 0) chiSquare += (failures - expectedFailures[i]) ** 2 / expectedFailures[i];
  });
  const degreesOfFreedom = Math.max(1, trials.filter((n) => n > 0).length - 1);
  const pValue = chiSquareSurvival(chiSquare, degreesOfFreedom);
  const base = { degreesOfFreedom, observed: [...successes], expected, chiSquare };
  const cells = [...expected, ...expectedFailures];
  if (cells.some((e) => e > 0 && e < SRM_MIN_EXPECTED)) {
    const exact = exactEqualRatesTest(
      successes.map((s, i) => Math.min(s, trials[i])),
      trials,
    );
    if (exact === null) return { ...base, status: 'not-enough-data', test: 'chi-square', pValue };
    const test = trials.filter((n) => n > 0).length > 2 ? 'freeman-halton' : 'fisher-exact';
    return { ...base, status: exact < threshold ? 'warning' : 'ok', test, pValue: exact };
  }
  return { ...base, status: pValue < threshold ? 'warning' : 'ok', test: 'chi-square', pValue };
}

/** One stratum's table of a rates test: successes and trials per arm, arms in the same order in every stratum. */
export interface RateStratum {
  successes: readonly number[];
  trials: readonly number[];
}

/**
 * The test that k rates are equal within every stratum (assignment days): the generalized Cochran–Mantel–Haenszel
 * statistic, Q = (O − E)ᵀ V⁻¹ (O − E) over the successes of the first k − 1 arms, with each stratum's expectation
 * and hypergeometric covariance given its margins, df = k − 1. Pooling the strata instead lets a change over time
 * pass for a difference between arms: when the share of an arm rises on a day that also delivers less (a provider
 * outage, a day of quiet hours), the pooled table shows that arm delivering less though on every day both did
 * the same. Strata whose rate is 0 or 1, or with one trial, say nothing and are left out. With one informative
 * stratum, or where some arm's summed expected successes or failures fall under SRM_MIN_EXPECTED (where Q's χ²
 * approximation is not trusted), it is the pooled test ({@link equalRates}, with its exact tests).
 */
export function equalRatesWithin(strata: readonly RateStratum[], threshold = SRM_THRESHOLD): SrmResult {
  const arms = strata[0]?.trials.length ?? 0;
  const successes = Array.from({ length: arms }, (_, i) => strata.reduce((sum, s) => sum + s.successes[i], 0));
  const trials = Array.from({ length: arms }, (_, i) => strata.reduce((sum, s) => sum + s.trials[i], 0));
  const pooled = () => equalRates(successes, trials, threshold);
  // Arms with trials only: an empty arm has no rate to compare.
  const present = trials.flatMap((n, i) => (n > 0 ? [i] : []));
  if (present.length < 2) return pooled();
  const informative = strata.filter((s) => {
    const n = present.reduce((sum, i) => sum + s.trials[i], 0);
    const d = present.reduce((sum, i) => sum + Math.min(s.successes[i], s.trials[i]), 0);
    return n > 1 && d > 0 && d < n;
  });
  if (informative.length < 2) return pooled();
  const m = present.length - 1;
  const observed = new Array<number>(present.length).fill(0);
  const expected = new Array<number>(present.length).fill(0);
  const expectedFailures = new Array<number>(present.length).fill(0);
  const covariance = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  for (const s of informative) {
    const n = present.map((i) => s.trials[i]);
    const o = present.map((i) => Math.min(s.successes[i], s.trials[i]));
    const total = n.reduce((a, b) => a + b, 0);
    const delivered = o.reduce((a, b) => a + b, 0);
    const scale = (delivered * (total - delivered)) / (total * total * (total - 1));
    n.forEach((ni, i) => {
      observed[i] += o[i];
      expected[i] += (ni * delivered) / total;
      expectedFailures[i] += (ni * (total - delivered)) / total;
    });
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) covariance[i][j] += scale * ((i === j ? total * n[i] : 0) - n[i] * n[j]);
    }
  }
  if ([...expected, ...expectedFailures].some((e) => e < SRM_MIN_EXPECTED)) return pooled();
  const difference = observed.slice(0, m).map((o, i) => o - expected[i]);
  const solved = solveSymmetric(covariance, difference);
  if (!solved) return pooled();
  const chiSquare = difference.reduce((sum, d, i) => sum + d * solved[i], 0);
  const pValue = chiSquareSurvival(chiSquare, m);
  const full = (values: number[]) => {
    const out = new Array<number>(arms).fill(0);
    present.forEach((arm, i) => (out[arm] = values[i]));
    return out;
  };
  return {
    status: pValue < threshold ? 'warning' : 'ok',
    test: 'cochran-mantel-haenszel',
    chiSquare,
    degreesOfFreedom: m,
    pValue,
    observed: full(observed),
    expected: full(expected),
  };
}

/** x with A x = b for a symmetric positive definite A (Gaussian elimination with partial pivoting); null if singular. */
function solveSymmetric(a: readonly number[][], b: readonly number[]): number[] | null {
  const n = b.length;
  const rows = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(rows[r][col]) > Math.abs(rows[pivot][col])) pivot = r;
    if (Math.abs(rows[pivot][col]) < 1e-12) return null;
    [rows[col], rows[pivot]] = [rows[pivot], rows[col]];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const factor = rows[r][col] / rows[col][col];
      for (let c = col; c <= n; c++) rows[r][c] -= factor * rows[col][c];
    }
  }
  return rows.map((row, i) => row[n] / row[i]);
}
