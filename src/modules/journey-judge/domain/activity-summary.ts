import { ActivityEvent } from '../../../lib/events/activity-event';
import { StoredJourneyLike, journeyForJudge } from './journey-view';
import { DEFAULT_JOURNEY_PARAMS } from '../../journeys/domain/journey-params';
import { extractEventKeywords, sortEvents } from '../../journeys/domain/keywords';
import { aggregateKeywords } from '../../journeys/domain/user-keywords';
import { ActivitySummary, JourneyForJudge } from './judge-types';
import { mentionsPrivate } from './private-terms';
import { recencyOf } from './recency';

const DAY = 86_400_000;

export type JudgedEvent = Pick<ActivityEvent, 'type' | 'occurredAt' | 'query' | 'item' | 'board'>;

export interface SummaryOptions {
  now: Date;
  windowDays: number;
  /** Keywords shown, strongest first. */
  maxKeywords: number;
  privateTokens: ReadonlySet<string>;
}

/**
 * Summarises a user's activity before `now` as the journey library extracts it: keywords that recur in
 * at least two events, with counts and coarse recency. Raw queries and titles never leave this function, and
 * keywords mentioning the user's identifiers are dropped.
 */
export function summarizeActivity(events: readonly JudgedEvent[], options: SummaryOptions): ActivitySummary {
  const now = options.now.getTime();
  const from = now - options.windowDays * DAY;
  const inWindow = events.filter((e) => e.occurredAt.getTime() >= from && e.occurredAt.getTime() <= now);
  const extracted = sortEvents(inWindow.map(extractEventKeywords));
  const keywords = aggregateKeywords(extracted, now, DEFAULT_JOURNEY_PARAMS)
    .filter((k) => !mentionsPrivate(k.text, options.privateTokens))
    .slice(0, options.maxKeywords)
    .map((k) => ({
      text: k.text,
      events: k.events.length,
      actions: k.actions,
      sources: k.sources,
      lastSeen: recencyOf(k.lastSeen, now),
    }));
  return {
    windowDays: options.windowDays,
    events: inWindow.length,
    activeDays: new Set(inWindow.map((e) => Math.floor(e.occurredAt.getTime() / DAY))).size,
    keywords,
  };
}

/** The user's top-k journeys as the judge sees them, names masked and keywords filtered for identifiers. */
export function journeysForJudge(
  journeys: readonly StoredJourneyLike[],
  options: Pick<SummaryOptions, 'now' | 'privateTokens'> & { topK: number },
): JourneyForJudge[] {
  return [...journeys]
    .sort((a, b) => a.rank - b.rank)
    .slice(0, options.topK)
    .map((j) => journeyForJudge(j, options.now.getTime(), options.privateTokens));
}
