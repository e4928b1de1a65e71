import { makeJourney } from '../../src/modules/ranking/domain/testing/journeys.fixture';
import { StoredJourney } from '../../src/modules/journeys/stored-journey';

export interface StoredJourneySpec {
  name: string;
  keywords?: string[];
  stage?: StoredJourney['stage'];
  type?: StoredJourney['type'];
  confidence?: number;
  sensitiveCategories?: string[];
  /** Days before `now` of the journey's events (more and more recent events rank higher). */
  ageDays?: number[];
  /** Embedding axis: journeys on different axes do not diversify each other away. */
  axis?: number;
}

/** A stored journey as a build would commit it, with consistent engagement; ids derive from names. */
export function buildStoredJourney(now: Date, spec: StoredJourneySpec, rank = 1): StoredJourney {
  const embedding = [0, 0, 0, 0, 0, 0, 0, 0];
  embedding[(spec.axis ?? rank - 1) % embedding.length] = 1;
  const journey = makeJourney(now, {
    id: spec.name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    name: spec.name,
    ageDays: spec.ageDays,
    stage: spec.stage,
    type: spec.type,
    confidence: spec.confidence ?? 0.7,
    embedding,
  });
  const keywords = (spec.keywords ?? [spec.name.toLowerCase()]).map((text, i) => ({ text, weight: 1 / (i + 1) }));
  return {
    ...journey,
    keywords,
    rank,
    namedBy: 'keyword',
    keywordName: spec.name,
    sensitiveCategories: spec.sensitiveCategories ?? [],
  };
}
