import { IDENTITY_CALIBRATION } from './calibration';
import { FEATURE_NAMES, FeatureName } from './features';
import { RANKING_MODEL_FORMAT, RankingModel } from './ranking-model';

/**
 * Hand-set weights used until an install has notification outcomes to learn from. They act on the
 * raw features (no standardisation) and encode what the journey article describes (engagement
 * frequency and recency) with recency leading: recent, repeated engagement predicts the next one; a
 * journey the user stopped touching weeks ago, or ignored notifications about, is less likely to land.
 * The balance was checked on synthetic seed 7 only; `npm run eval:ranking` reports seed 2026.
 * Features not listed weigh 0.
 */
export const PRIOR_WEIGHTS: Partial<Record<FeatureName, number>> = {
  // Engagement frequency, discounted by age: recent counts carry the signal, lifetime counts little
  // (a burst of activity that stopped months ago is a finished project, not a live interest).
  decayed_7d_log: 0.6,
  decayed_30d_log: 0.4,
  decayed_180d_log: 0.1,
  // Deliberate actions say more than views.
  search_log: 0.1,
  save_log: 0.15,
  // Recency: each e-fold of days since the last engagement costs 0.8 logits.
  days_since_last_log: -0.8,
  // Journeys the user still engages with (stage from inference) and spread over many weeks.
  stage_ongoing: 0.5,
  distinct_weeks_log: 0.3,
  confidence: 0.3,
  // Fatigue: ignored notifications in a row, and notifications sent in the past week.
  fatigue_ignored_streak_log: -0.6,
  fatigue_sent_7d_log: -0.3,
  // Smoothed open rate of past notifications (1/2 when never notified): opens lift, ignores lower.
  fatigue_engaged_rate: 1,
};

/** Sets the base rate: a never-notified journey with no engagement signal gets about 5%, a typical open rate. */
const PRIOR_INTERCEPT = -3.5;

/** The documented prior model, versioned like a trained one so services can store and compare it. */
export function priorModel(): RankingModel {
  return {
    format: RANKING_MODEL_FORMAT,
    version: 'prior-1',
    featureNames: [...FEATURE_NAMES],
    standardisation: { mean: FEATURE_NAMES.map(() => 0), scale: FEATURE_NAMES.map(() => 1) },
    weights: FEATURE_NAMES.map((name) => PRIOR_WEIGHTS[name] ?? 0),
    intercept: PRIOR_INTERCEPT,
    calibration: { ...IDENTITY_CALIBRATION },
  };
}
