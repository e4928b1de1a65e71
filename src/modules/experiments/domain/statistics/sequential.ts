/**
 * GrowthBook's asymptotic confidence sequences (Waudby-Smith et al., arXiv 2103.06476): intervals and
 * p-values that stay valid however often the report is read. The tuning parameter N* is the total
 * sample of the two arms at which the sequence is tightest; set it near the expected sample.
 */

/** ρ for level α and tuning N*: √((−2 ln α + ln(−2 ln α + 1)) / N*). */
export function sequentialRho(alpha: number, tuning: number): number {
  const l = -2 * Math.log(alpha);
  return Math.sqrt((l + Math.log(l + 1)) / tuning);
}

/** The |z| at which the always-valid p-value equals p, for N users in the two arms: √(2(1+r)/r · ln(√(1+r)/p)), r = Nρ². */
export function sequentialCritical(p: number, totalN: number, rho: number): number {
  const r = totalN * rho * rho;
  return Math.sqrt(((2 * (1 + r)) / r) * Math.log(Math.sqrt(1 + r) / p));
}

/** Always-valid p-value of z after N users: min(1, 1/E) with E = (1+r)^(−½) · exp(r z² / (2(1+r))). */
export function sequentialPValue(z: number, totalN: number, rho: number): number {
  const r = totalN * rho * rho;
  const logE = -0.5 * Math.log1p(r) + (r * z * z) / (2 * (1 + r));
  return Math.min(1, Math.exp(-logE));
}
