/** Relative lift (treatment − control) / |control|, or null when the control mean is 0. */
export function relativeLift(controlMean: number, treatmentMean: number): number | null {
  return controlMean === 0 ? null : (treatmentMean - controlMean) / Math.abs(controlMean);
}

/**
 * Delta-method standard error of the relative lift (GrowthBook's formula, independent arms), where
 * `varianceA` and `varianceB` are the variances of the two means (per-user variance / n).
 */
export function deltaMethodLiftSe(meanA: number, varianceA: number, meanB: number, varianceB: number): number {
  return Math.sqrt(varianceB / meanA ** 2 + (varianceA * meanB ** 2) / meanA ** 4);
}

/**
 * The relative lifts the canonical test does not reject at critical value c (Fieller's interval):
 * every L with |m_B − (1+L)m_A| ≤ c·√(V_B + (1+L)²V_A). Near the estimate its half-width is c times
 * the delta-method SE; unlike the plain delta-method interval it excludes 0 exactly when the test
 * rejects, so the lift interval never contradicts the p-value. Null when unbounded (the control mean
 * itself is not distinguishable from 0 at this level) or degenerate (a treatment rate with no events).
 */
export function fiellerLiftInterval(
  meanA: number,
  varianceA: number,
  meanB: number,
  varianceB: number,
  critical: number,
): [number, number] | null {
  if (meanA === 0 || !Number.isFinite(critical)) return null;
  if (meanA < 0) {
    const flipped = fiellerLiftInterval(-meanA, varianceA, -meanB, varianceB, critical);
    return flipped && [-flipped[1], -flipped[0]];
  }
  const c2 = critical * critical;
  const a = meanA * meanA - c2 * varianceA;
  if (a <= 0) return null;
  const root = Math.sqrt(c2 * (varianceB * a + varianceA * meanB * meanB));
  // Zero only when the treatment mean is 0 with no variance (a rate with no events): the plug-in variance
  // then says nothing about the treatment's sampling error, and the "interval" would be the point −100%.
  if (root === 0) return null;
  return [(meanA * meanB - root) / a - 1, (meanA * meanB + root) / a - 1];
}
