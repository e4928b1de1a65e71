import { Comparison, criticalValue, withCritical } from './canonical-test';

export type CorrectionMethod = 'holm' | 'benjamini-hochberg' | 'none';

/** Holm–Bonferroni adjusted p-values (family-wise error), in the input order. */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(([p, i], k) => {
    running = Math.max(running, Math.min(1, p * (m - k)));
    adjusted[i] = running;
  });
  return adjusted;
}

/** Benjamini–Hochberg adjusted p-values (false discovery rate), in the input order. */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const [p, i] = order[k];
    running = Math.min(running, Math.min(1, (p * m) / (k + 1)));
    adjusted[i] = running;
  }
  return adjusted;
}

/** Adjusted p-values of one family by the chosen method. */
export function adjustPValues(pValues: readonly number[], method: CorrectionMethod): number[] {
  if (method === 'holm') return holm(pValues);
  if (method === 'benjamini-hochberg') return benjaminiHochberg(pValues);
  return [...pValues];
}

/**
 * The comparison's intervals widened to agree with an adjusted p-value (GrowthBook's back-computed
 * SE, generalised to every test): c_adj = c_α · |statistic| / c(p_adj), so the adjusted interval
 * excludes 0 exactly when p_adj < α. Unbounded when p_adj = 1. A p_adj that underflowed to 0 (|z| > 38)
 * leaves the interval as it is: there the widening is below 0.1% (1.9606 for 1.9600 at |z| = 48, m = 2).
 */
export function adjustedComparison(comparison: Comparison, adjustedP: number, alpha: number): Comparison {
  if (adjustedP >= 1) return withCritical(comparison, Infinity);
  const atAdjusted = criticalValue(comparison.test, adjustedP);
  const scale = Number.isFinite(atAdjusted) ? Math.abs(comparison.test.statistic) / atAdjusted : 1;
  return withCritical(comparison, criticalValue(comparison.test, alpha) * scale);
}
