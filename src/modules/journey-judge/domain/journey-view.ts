import { Journey } from '../../journeys/domain/journey';
import { JourneyForJudge } from './judge-types';
import { maskPrivate, mentionsPrivate } from './private-terms';
import { recencyOf } from './recency';

/** The fields of a stored journey the judge reads. */
export type StoredJourneyLike = Pick<Journey, 'name' | 'rank' | 'keywords' | 'type' | 'stage' | 'confidence'> & {
  engagement: Pick<Journey['engagement'], 'lastSeen'>;
};

/** Journey keywords shown to the judge, heaviest first. */
const SHOWN_KEYWORDS = 8;

/** One journey as the judge sees it, with identifying tokens masked in its name and dropped from its keywords. */
export function journeyForJudge(journey: StoredJourneyLike, now: number, tokens: ReadonlySet<string>): JourneyForJudge {
  return {
    name: maskPrivate(journey.name, tokens),
    rank: journey.rank,
    keywords: [...journey.keywords]
      .sort((a, b) => b.weight - a.weight)
      .map((k) => k.text)
      .filter((text) => !mentionsPrivate(text, tokens))
      .slice(0, SHOWN_KEYWORDS),
    type: journey.type,
    stage: journey.stage,
    confidence: Math.round(journey.confidence * 100) / 100,
    lastActive: recencyOf(new Date(journey.engagement.lastSeen).getTime(), now),
  };
}
