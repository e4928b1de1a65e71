import { Journey } from '../../journeys/domain/journey';
import { diversify } from './diversify';
import { extractFeatures, summariseUser } from './features';
import { NotificationOutcome } from './notification-outcome';
import { priorModel } from './prior-model';
import { DEFAULT_RANKING_PARAMS, RankingParams } from './ranking-params';
import { RankingModel } from './ranking-model';
import { modelProbability } from './scoring';

/** A journey, or an expansion (a related journey) flagged by the id of the journey it was expanded from. */
export type RankableJourney = Journey & { expandedFrom?: string };

export interface RankOptions {
  now: Date;
  /** Trained model; the documented prior model when absent. */
  model?: RankingModel;
  params?: RankingParams;
  /** Past notifications to this user, for fatigue features. */
  history?: readonly NotificationOutcome[];
}

const PRIOR = priorModel();

/**
 * Scores a user's journeys with the model, diversifies, admits expansions under the quota and
 * returns copies with `score` (penalised probability) and `rank` (1-based) in final order.
 */
export function rankJourneys<T extends RankableJourney>(journeys: readonly T[], options: RankOptions): T[] {
  const model = options.model ?? PRIOR;
  const params = options.params ?? DEFAULT_RANKING_PARAMS;
  const own = journeys.filter((j) => j.expandedFrom === undefined);
  const user = summariseUser(own);
  const probability = new Map<string, number>();
  const scored = own.map((journey) => {
    const p = modelProbability(model, extractFeatures(journey, user, options.now, options.history));
    // A malformed journey (say, a NaN confidence) must sink, not poison the sort for the others.
    const score = Number.isFinite(p) ? p : 0;
    probability.set(journey.id, score);
    return { journey, score, embedding: journey.embedding };
  });
  if (params.expansions.quota > 0) {
    for (const journey of journeys) {
      // An expansion has no engagement of its own: it borrows a share of its source journey's score.
      const source = journey.expandedFrom === undefined ? undefined : probability.get(journey.expandedFrom);
      if (source !== undefined) {
        scored.push({ journey, score: source * params.expansions.scoreFactor, embedding: journey.embedding });
      }
    }
  }
  const ordered = diversify(scored, params.diversification);
  const result: T[] = [];
  let expansions = 0;
  for (const { item, score } of ordered) {
    if (params.limit > 0 && result.length >= params.limit) break;
    if (item.journey.expandedFrom !== undefined && expansions++ >= params.expansions.quota) continue;
    result.push({ ...item.journey, score, rank: result.length + 1 });
  }
  return result;
}
