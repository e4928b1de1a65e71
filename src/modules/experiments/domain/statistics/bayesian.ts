import { normalCdf, normalPdf } from './distributions';

export interface BayesianResult {
  /** Posterior probability that the treatment is better than the control (in the metric's good direction). */
  chanceToBeatControl: number;
  /** Expected loss, in the metric's units (≥ 0), of shipping the treatment and of keeping the control. */
  expectedLoss: { shipTreatment: number; keepControl: number };
  posterior: { mean: number; sd: number };
}

/** Optional normal prior on the difference; absent means GrowthBook's default improper flat prior. */
export interface NormalPrior {
  mean: number;
  sd: number;
}

/**
 * Gaussian posterior of the difference (treatment − control) from the canonical test's estimate and
 * standard error, optionally combined with a normal prior by precision weighting. With the flat
 * prior, chance to beat control equals Φ(z): it is the one-sided p-value's complement, not a
 * separate piece of evidence. Expected loss uses E[max(X, 0)] = μΦ(μ/σ) + σφ(μ/σ).
 */
export function bayesianComparison(
  difference: number,
  standardError: number,
  higherIsBetter: boolean,
  prior: NormalPrior | null = null,
): BayesianResult {
  let mean = difference;
  let sd = standardError;
  if (prior) {
    const precision = 1 / standardError ** 2 + 1 / prior.sd ** 2;
    mean = (difference / standardError ** 2 + prior.mean / prior.sd ** 2) / precision;
    sd = Math.sqrt(1 / precision);
  }
  const good = higherIsBetter ? mean : -mean;
  const z = good / sd;
  const positivePart = (m: number) => m * normalCdf(m / sd) + sd * normalPdf(m / sd);
  return {
    chanceToBeatControl: normalCdf(z),
    expectedLoss: { shipTreatment: positivePart(-good), keepControl: positivePart(good) },
    posterior: { mean, sd },
  };
}
