import { Prng } from '../../../lib/synthetic/prng';
import { agreementStats, AgreementStats, confusionMatrix, GradePair } from './agreement';

export type AgreementVerdict = 'trust' | 'recalibrate' | 'use-with-care' | 'do-not-trust' | 'not-enough-labels';

/** Fewest graded journeys for a verdict; below it every interval is too wide to decide anything. */
export const MIN_LABELLED_PAIRS = 30;

type Bounds = [number, number] | null;

export interface AgreementReport extends AgreementStats {
  /** 95% percentile-bootstrap intervals, resampling users (a user's journeys are graded together). */
  intervals: { spearman: Bounds; kappa: Bounds; exact: Bounds; withinOne: Bounds };
  /** Counts[human − 1][judge − 1]. */
  confusion: number[][];
  /** For each judge grade, the mean human grade of those journeys: how to read the judge's scale. */
  calibration: Array<{ judge: number; pairs: number; humanMean: number }>;
  verdict: AgreementVerdict;
}

function percentile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (at - lo);
}

function bootstrap(pairs: readonly GradePair[], resamples: number, seed: number): AgreementReport['intervals'] {
  const groups = new Map<string, GradePair[]>();
  for (const p of pairs) groups.set(p.userId, [...(groups.get(p.userId) ?? []), p]);
  const byUser = [...groups.values()];
  const draws = { spearman: [] as number[], kappa: [] as number[], exact: [] as number[], withinOne: [] as number[] };
  const random = new Prng(seed);
  for (let r = 0; r < resamples && byUser.length > 1; r++) {
    const sample = byUser.flatMap(() => byUser[Math.floor(random.next() * byUser.length)]);
    const s = agreementStats(sample);
    if (s.spearman !== null) draws.spearman.push(s.spearman);
    if (s.kappa !== null) draws.kappa.push(s.kappa);
    draws.exact.push(s.exact);
    draws.withinOne.push(s.withinOne);
  }
  const bounds = (values: number[]): Bounds => {
    // An interval from a handful of usable resamples would look precise without being so.
    if (values.length < resamples / 2) return null;
    const sorted = values.sort((a, b) => a - b);
    return [percentile(sorted, 0.025), percentile(sorted, 0.975)];
  };
  return {
    spearman: bounds(draws.spearman),
    kappa: bounds(draws.kappa),
    exact: bounds(draws.exact),
    withinOne: bounds(draws.withinOne),
  };
}

/**
 * What to do with the judge, from its agreement with people (κ bands after Landis and Koch):
 * trust — weighted κ ≥ 0.6 with its interval above 0.4, and a bias under half a grade;
 * recalibrate — not that, but Spearman ≥ 0.6: the judge orders journeys as people do on a shifted or
 *   squeezed scale, so read its grades through the calibration table or move the alert threshold;
 * use-with-care — weighted κ ≥ 0.4: follow its trend, not its level;
 * do-not-trust — less: change the judge model or the prompt.
 */
export function agreementVerdict(stats: AgreementStats, kappaInterval: Bounds): AgreementVerdict {
  if (stats.pairs < MIN_LABELLED_PAIRS) return 'not-enough-labels';
  const kappa = stats.kappa ?? -1;
  if (kappa >= 0.6 && (kappaInterval?.[0] ?? -1) >= 0.4 && Math.abs(stats.bias) < 0.5) return 'trust';
  if ((stats.spearman ?? -1) >= 0.6) return 'recalibrate';
  if (kappa >= 0.4) return 'use-with-care';
  return 'do-not-trust';
}

/** The agreement report of matched human and judge grades, with intervals, confusion and calibration. */
export function buildAgreementReport(
  pairs: readonly GradePair[],
  options: { resamples?: number; seed?: number } = {},
): AgreementReport {
  const stats = agreementStats(pairs);
  const intervals = bootstrap(pairs, options.resamples ?? 1000, options.seed ?? 1);
  const calibration = [1, 2, 3, 4, 5].flatMap((judge) => {
    const at = pairs.filter((p) => p.judge === judge);
    return at.length === 0
      ? []
      : [{ judge, pairs: at.length, humanMean: at.reduce((s, p) => s + p.human, 0) / at.length }];
  });
  return {
    ...stats,
    intervals,
    confusion: confusionMatrix(pairs),
    calibration,
    verdict: agreementVerdict(stats, intervals.kappa),
  };
}
