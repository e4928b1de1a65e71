import { compareArms, SufficientStats } from '../../experiments/domain';
import { PerUserStats } from './grade-stats';

export type ChangeVerdict = 'improved' | 'worsened' | 'no-significant-change' | 'not-enough-data';

/** The change of one metric between two judged runs, with its interval. */
export interface GradeChange {
  metric: 'mean-grade' | 'share-good';
  previous: number;
  current: number;
  difference: number;
  /** Bounds of the (1 − α) interval of the difference; null when it cannot be computed. */
  lower: number | null;
  upper: number | null;
  pValue: number | null;
  verdict: ChangeVerdict;
}

const meanOf = (s: SufficientStats) => (s.n === 0 ? 0 : s.sum / s.n);

function change(
  metric: GradeChange['metric'],
  previous: SufficientStats,
  current: SufficientStats,
  alpha: number,
): GradeChange {
  const base = { metric, previous: meanOf(previous), current: meanOf(current) };
  const difference = base.current - base.previous;
  // Welch's t on per-user values: each user is one observation, however many journeys they have.
  const comparison = compareArms(previous, current, 'mean', { alpha, sequential: null });
  if (!comparison) return { ...base, difference, lower: null, upper: null, pValue: null, verdict: 'not-enough-data' };
  const { lower, upper } = comparison.absolute;
  const pValue = comparison.test.pValue;
  const verdict: ChangeVerdict = pValue >= alpha ? 'no-significant-change' : difference > 0 ? 'improved' : 'worsened';
  return { ...base, difference, lower, upper, pValue, verdict };
}

/**
 * The change in mean grade and in share of journeys graded ≥ 4 from a previous judged run to the current one,
 * each with a Welch interval over per-user values. The samples count as independent; when both runs sampled
 * many of the same users (the default seed does) the interval is conservative.
 */
export function compareJudgedRuns(previous: PerUserStats, current: PerUserStats, alpha = 0.05): GradeChange[] {
  return [
    change('mean-grade', previous.meanGrade, current.meanGrade, alpha),
    change('share-good', previous.shareGood, current.shareGood, alpha),
  ];
}
