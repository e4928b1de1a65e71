import { ActivityEvent } from '../../../lib/events/activity-event';
import { extractEventKeywords } from '../../journeys/domain/keywords';

/** One interest keyword of a user: how many events mentioned it, and the surface they saw most. */
export interface Interest {
  key: string;
  text: string;
  events: number;
}

/**
 * The user's interest keywords by plain frequency, most frequent first: the number of events that
 * mention each keyword, ties broken by key (the baseline the journey evals compare against).
 * `counted` drops whole events, whose keywords (as the user saw them) are about a topic no keyword of theirs
 * may stand for ("shower" of a search for "baby shower" where babies are not to be talked about, "test" of
 * one for "pregnancy test"): judging keywords one by one would let such a topic through.
 */
export function rankInterests(
  events: ReadonlyArray<Pick<ActivityEvent, 'type' | 'occurredAt' | 'query' | 'item' | 'board'>>,
  counted: (texts: readonly string[]) => boolean = () => true,
): Interest[] {
  const counts = new Map<string, { events: number; surfaces: Map<string, number> }>();
  for (const event of events) {
    const seen = new Set<string>();
    const { mentions } = extractEventKeywords(event);
    if (!counted(mentions.map((m) => m.surface))) continue;
    for (const mention of mentions) {
      let entry = counts.get(mention.key);
      if (!entry) counts.set(mention.key, (entry = { events: 0, surfaces: new Map() }));
      entry.surfaces.set(mention.surface, (entry.surfaces.get(mention.surface) ?? 0) + 1);
      if (!seen.has(mention.key)) entry.events += 1;
      seen.add(mention.key);
    }
  }
  return [...counts]
    .map(([key, { events: n, surfaces }]) => ({
      key,
      text: [...surfaces].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0],
      events: n,
    }))
    .sort((a, b) => b.events - a.events || (a.key < b.key ? -1 : 1));
}
