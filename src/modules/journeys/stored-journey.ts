import { Journey } from './domain/journey';

/** How a journey got its name: the keyword ranker, or the LLM (validated and grounded). */
export type NamedBy = 'keyword' | 'llm';

/** A journey as stored and served: inference output plus naming and safety facts. */
export interface StoredJourney extends Journey {
  namedBy: NamedBy;
  /** The keyword ranker's name, kept when the LLM named the journey. */
  keywordName: string;
  /** Sensitive categories (health, finance, ...): such journeys are shown but excluded from notifications. */
  sensitiveCategories: string[];
}

/** Engagement timestamps kept per journey: enough for cadence and decayed counts, bounded in size. */
export const MAX_STORED_TIMESTAMPS = 300;

/** The stored form of a journey, with its engagement timestamps capped to the most recent ones. */
export function toStoredJourney(
  journey: Journey,
  naming: { name: string; namedBy: NamedBy },
  sensitiveCategories: string[],
): StoredJourney {
  const { timestamps } = journey.engagement;
  return {
    ...journey,
    name: naming.name,
    namedBy: naming.namedBy,
    keywordName: journey.name,
    sensitiveCategories,
    engagement: {
      ...journey.engagement,
      timestamps: timestamps.slice(Math.max(0, timestamps.length - MAX_STORED_TIMESTAMPS)),
    },
  };
}
