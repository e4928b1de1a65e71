import { normalCdf, normalQuantile } from './distributions';
import { sequentialCritical, sequentialRho } from './sequential';
import { MetricKind } from './sufficient-stats';

/** What a power calculation needs to know about a metric and the experiment's design. */
export interface PowerSettings {
  kind: MetricKind;
  controlMean: number;
  /** Per-user variance of the control arm (rates derive theirs from the mean). */
  controlVariance: number;
  alpha: number;
  /** Target power, e.g. 0.8. */
  power: number;
  /** Users in the treatment arm per user in the control arm. */
  allocationRatio: number;
  sequential: { tuning: number } | null;
}

export interface ArmSizes {
  control: number;
  treatment: number;
}

/** Two-sided power of a test with critical value c when the true effect is `effect`: 1 − Φ(c − δ/σ) + Φ(−c − δ/σ). */
export function twoSidedPower(effect: number, standardError: number, critical: number): number {
  const shift = effect / standardError;
  return 1 - normalCdf(critical - shift) + normalCdf(-critical - shift);
}

/** Per-user variances of the two arms if the true relative lift is `lift`, or null if impossible (a rate ≥ 1). */
function variancesAt(settings: PowerSettings, lift: number): [number, number] | null {
  if (settings.kind === 'mean') return [settings.controlVariance, settings.controlVariance];
  const p = settings.controlMean;
  const q = p * (1 + lift);
  if (!(p > 0 && p < 1 && q > 0 && q < 1)) return null;
  return [p * (1 - p), q * (1 - q)];
}

/** Critical value for a total sample N: z_{1−α/2}, or the sequential multiplier (which grows with N). */
function criticalFor(settings: PowerSettings, totalN: number): number {
  if (!settings.sequential) return normalQuantile(1 - settings.alpha / 2);
  return sequentialCritical(settings.alpha, totalN, sequentialRho(settings.alpha, settings.sequential.tuning));
}

/**
 * Users per arm for the target power at a true relative lift: n_A = (c + z_power)²(σ²_A + σ²_B/k)/Δ²
 * with k the allocation ratio; iterated when sequential testing makes c depend on N.
 */
export function requiredSampleSize(settings: PowerSettings, lift: number): ArmSizes | null {
  const variances = variancesAt(settings, lift);
  const delta = settings.controlMean * lift;
  if (!variances || delta === 0) return null;
  const k = settings.allocationRatio;
  const zPower = normalQuantile(settings.power);
  let control = 1000;
  for (let i = 0; i < 100; i++) {
    const c = criticalFor(settings, control * (1 + k));
    const next = ((c + zPower) ** 2 * (variances[0] + variances[1] / k)) / delta ** 2;
    const done = Math.abs(next - control) < 0.5;
    control = next;
    if (done) break;
  }
  return { control: Math.ceil(control), treatment: Math.ceil(control * k) };
}

/** Smallest positive relative lift detected with the target power at the given arm sizes (bisection), or null. */
export function minimumDetectableLift(settings: PowerSettings, sizes: ArmSizes): number | null {
  if (sizes.control < 2 || sizes.treatment < 2 || settings.controlMean === 0) return null;
  const c = criticalFor(settings, sizes.control + sizes.treatment);
  const powerAt = (lift: number) => {
    const v = variancesAt(settings, lift);
    if (!v) return Number.NaN;
    const se = Math.sqrt(v[0] / sizes.control + v[1] / sizes.treatment);
    return twoSidedPower(Math.abs(settings.controlMean) * lift, se, c);
  };
  let hi = settings.kind === 'rate' ? (1 / settings.controlMean - 1) * (1 - 1e-9) : 1;
  if (settings.kind === 'mean') while (powerAt(hi) < settings.power && hi < 1e9) hi *= 2;
  if (!(powerAt(hi) >= settings.power)) return null;
  let lo = 0;
  for (let i = 0; i < 100 && hi - lo > 1e-10; i++) {
    const mid = 0.5 * (lo + hi);
    if (powerAt(mid) >= settings.power) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Days until both arms reach the needed sizes at the current daily rates; 0 when reached, null when not accruing. */
export function daysToDecision(needed: ArmSizes, have: ArmSizes, perDay: ArmSizes): number | null {
  let days = 0;
  for (const arm of ['control', 'treatment'] as const) {
    const missing = needed[arm] - have[arm];
    if (missing <= 0) continue;
    if (!(perDay[arm] > 0)) return null;
    days = Math.max(days, Math.ceil(missing / perDay[arm]));
  }
  return days;
}
