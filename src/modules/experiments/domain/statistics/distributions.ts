import { betaRegularized, gammaQ } from './special-functions';

/** Standard normal density φ(z). */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** Standard normal CDF Φ(z), accurate in both tails (through the incomplete gamma: erfc(x) = Q(½, x²)). */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const tail = 0.5 * gammaQ(0.5, 0.5 * z * z);
  return z < 0 ? tail : 1 - tail;
}

/** Two-sided normal tail P(|Z| >= |z|). */
export function normalTwoSided(z: number): number {
  return gammaQ(0.5, 0.5 * z * z);
}

/** Φ⁻¹(p): Acklam's rational approximation polished by Halley steps on the exact CDF. */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p > 0.5) return -normalQuantile(1 - p);
  let x = acklam(p);
  for (let i = 0; i < 3; i++) {
    const e = normalCdf(x) - p;
    const u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
    // Below ~1e-300 the density underflows; Acklam's value is then as good as a double can say.
    if (!Number.isFinite(u)) break;
    x -= u / (1 + 0.5 * x * u);
  }
  return x;
}

/** Acklam's approximation of Φ⁻¹ for p <= 0.5 (relative error ~1e-9, polished by the caller). */
function acklam(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/** Two-sided Student t tail P(|T| >= |t|) with `df` degrees of freedom (df may be fractional: Welch). */
export function studentTTwoSided(t: number, df: number): number {
  if (!Number.isFinite(df) || df > 1e7) return normalTwoSided(t);
  return betaRegularized(df / (df + t * t), df / 2, 0.5);
}

/** The |z| whose two-sided normal tail is `p`, from the lower tail so that p < 1e-16 keeps its digits (1 − p/2 would round to 1). */
export function normalCritical(p: number): number {
  return -normalQuantile(p / 2);
}

/** The |t| whose two-sided tail is `p` (so t_{1-α/2} is studentTCritical(α, df)); bisection on the tail. */
export function studentTCritical(p: number, df: number): number {
  if (!Number.isFinite(df) || df > 1e7) return normalCritical(p);
  if (p >= 1) return 0;
  if (!(p > 0)) return Infinity;
  let lo = 0;
  let hi = Math.max(1, 2 * normalCritical(p));
  while (studentTTwoSided(hi, df) > p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (studentTTwoSided(mid, df) > p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Chi-square survival P(X >= x) with `df` degrees of freedom. */
export function chiSquareSurvival(x: number, df: number): number {
  return gammaQ(df / 2, x / 2);
}
