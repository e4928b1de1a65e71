import { Prng } from '../../../src/lib/synthetic/prng';

/** A paired comparison of two methods over the same users, with percentile bootstrap intervals. */
export interface PairedComparison {
  n: number;
  meanA: number;
  meanB: number;
  /** meanA - meanB, and its interval. */
  diff: number;
  diffLow: number;
  diffHigh: number;
  /** meanA / meanB - 1, and its interval (NaN when meanB is 0). */
  lift: number;
  liftLow: number;
  liftHigh: number;
}

export interface BootstrapOptions {
  samples: number;
  seed: number;
  /** Two-sided level: 0.05 gives a 95% interval. */
  alpha: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { samples: 2000, seed: 7, alpha: 0.05 };

const mean = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length === 0 ? 0 : s / xs.length;
};

/** The q-quantile of sorted values by linear interpolation. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Paired bootstrap over users: each resample draws users with replacement and keeps both methods' values of
 * a drawn user together, so the interval of the difference reflects per-user pairing. Seeded, deterministic.
 */
export function pairedBootstrap(
  a: readonly number[],
  b: readonly number[],
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): PairedComparison {
  if (a.length !== b.length) throw new Error('paired samples must have equal length');
  const n = a.length;
  const meanA = mean(a);
  const meanB = mean(b);
  const prng = new Prng(options.seed);
  const diffs: number[] = [];
  const lifts: number[] = [];
  for (let s = 0; s < options.samples && n > 0; s++) {
    let sa = 0;
    let sb = 0;
    for (let i = 0; i < n; i++) {
      const j = Math.floor(prng.next() * n);
      sa += a[j];
      sb += b[j];
    }
    diffs.push((sa - sb) / n);
    if (sb !== 0) lifts.push(sa / sb - 1);
  }
  diffs.sort((x, y) => x - y);
  lifts.sort((x, y) => x - y);
  const lo = options.alpha / 2;
  const hi = 1 - options.alpha / 2;
  return {
    n,
    meanA,
    meanB,
    diff: meanA - meanB,
    diffLow: quantile(diffs, lo),
    diffHigh: quantile(diffs, hi),
    lift: meanB === 0 ? Number.NaN : meanA / meanB - 1,
    liftLow: quantile(lifts, lo),
    liftHigh: quantile(lifts, hi),
  };
}
