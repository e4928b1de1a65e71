import type { Journey } from '../../../journeys/domain/journey';
import { stageAt } from '../../../journeys/domain/stage';
import { extractFeatures, featureRecord, NotificationOutcome, summariseUser } from '../../../ranking/domain';

/**
 * The ranker's example for a message about a journey: the journey's features as the ranker saw them
 * when the message was composed, its stage as of then (an ongoing journey the user has left alone
 * since its build has ended) and the user's notification history it was ranked with (`history`, for the
 * fatigue features). Interest messages (no journey) have none.
 */
export function rankingExampleOf(
  journeys: readonly Journey[],
  subject: { kind: 'journey' | 'interest'; id: string; name: string },
  now: Date,
  history: readonly NotificationOutcome[] = [],
): { journeyId: string; journeyName: string; features: Record<string, number> } | undefined {
  if (subject.kind !== 'journey') return undefined;
  const journey = journeys.find((j) => j.id === subject.id);
  if (!journey) return undefined;
  const staged = { ...journey, stage: stageAt(journey, now.getTime()) };
  return {
    journeyId: journey.id,
    journeyName: subject.name,
    features: featureRecord(extractFeatures(staged, summariseUser(journeys), now, history)),
  };
}
