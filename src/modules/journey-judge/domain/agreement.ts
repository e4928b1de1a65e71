import { Grade } from './judge-types';

/** One journey graded by a person and by the judge. */
export interface GradePair {
  userId: string;
  journeyName: string;
  human: Grade;
  judge: Grade;
}

export interface AgreementStats {
  pairs: number;
  users: number;
  /** Spearman's rank correlation (ties get their average rank); null when either side is constant. */
  spearman: number | null;
  /** Cohen's kappa with quadratic weights over the grades 1–5; null when chance agreement is perfect. */
  kappa: number | null;
  /** Share of pairs with the same grade, and within one grade of each other. */
  exact: number;
  withinOne: number;
  humanMean: number;
  judgeMean: number;
  /** Mean of judge − human: positive when the judge grades more generously. */
  bias: number;
}

const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);

/** Ranks 1..n in ascending order, tied values sharing the mean of the ranks they span. */
export function fractionalRanks(values: readonly number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  // The first position of v and the first position after it, by binary search on the sorted copy.
  const bound = (v: number, after: boolean) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < v || (after && sorted[mid] === v)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return values.map((v) => (bound(v, false) + bound(v, true) - 1) / 2 + 1);
}

/** Pearson correlation; null when either side has no variance or there are fewer than two pairs. */
export function pearson(x: readonly number[], y: readonly number[]): number | null {
  if (x.length < 2 || x.length !== y.length) return null;
  const mx = sum(x) / x.length;
  const my = sum(y) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}

/** Spearman's rho: the Pearson correlation of fractional ranks. */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  return pearson(fractionalRanks(x), fractionalRanks(y));
}

/** Counts[human − 1][judge − 1] over the grades 1–5. */
export function confusionMatrix(pairs: readonly Pick<GradePair, 'human' | 'judge'>[]): number[][] {
  const matrix = Array.from({ length: 5 }, () => new Array<number>(5).fill(0));
  for (const p of pairs) matrix[p.human - 1][p.judge - 1] += 1;
  return matrix;
}

/**
 * Quadratic-weighted Cohen's kappa over the grades 1–5: 1 − Σ w·O / Σ w·E with w_ij = (i − j)² / 16, O the
 * observed counts and E_ij = row_i · column_j / n the counts expected by chance from the two raters' marginals.
 */
export function quadraticWeightedKappa(pairs: readonly Pick<GradePair, 'human' | 'judge'>[]): number | null {
  const n = pairs.length;
  if (n === 0) return null;
  const observed = confusionMatrix(pairs);
  const rows = observed.map((row) => sum(row));
  const columns = observed[0].map((_, j) => sum(observed.map((row) => row[j])));
  let weightedObserved = 0;
  let weightedExpected = 0;
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 5; j++) {
      const w = (i - j) ** 2 / 16;
      weightedObserved += w * observed[i][j];
      weightedExpected += (w * rows[i] * columns[j]) / n;
    }
  }
  return weightedExpected > 0 ? 1 - weightedObserved / weightedExpected : null;
}

/** Every agreement statistic between human and judge grades of the same journeys. */
export function agreementStats(pairs: readonly GradePair[]): AgreementStats {
  const n = pairs.length;
  const human = pairs.map((p) => p.human);
  const judge = pairs.map((p) => p.judge);
  const share = (test: (p: GradePair) => boolean) => (n === 0 ? 0 : pairs.filter(test).length / n);
  return {
    pairs: n,
    users: new Set(pairs.map((p) => p.userId)).size,
    spearman: spearman(human, judge),
    kappa: quadraticWeightedKappa(pairs),
    exact: share((p) => p.human === p.judge),
    withinOne: share((p) => Math.abs(p.human - p.judge) <= 1),
    humanMean: n === 0 ? 0 : sum(human) / n,
    judgeMean: n === 0 ? 0 : sum(judge) / n,
    bias: n === 0 ? 0 : (sum(judge) - sum(human)) / n,
  };
}
