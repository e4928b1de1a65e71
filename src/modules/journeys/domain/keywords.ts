import { ActivityEvent, EventType } from '../../../lib/events/activity-event';
import { contentTokens, keywordKey } from '../../../lib/text/normalize';
import { KeywordSource } from './journey';

/** One keyword candidate found in one event. `key` merges variants; `surface` is how the user saw it. */
export interface KeywordMention {
  key: string;
  surface: string;
  source: KeywordSource;
  /** Set when the candidate is the whole text (a whole query, board name, annotation or short title), not a part. */
  whole?: true;
}

/** The compact form of an event that inference needs: when, what action, which keywords. */
export interface ExtractedEvent {
  at: number;
  type: EventType;
  mentions: KeywordMention[];
}

type Candidate = Pick<KeywordMention, 'key' | 'surface' | 'whole'>;

const CACHE_LIMIT = 200_000;
// Titles, annotations and board names repeat across events and users; parsing each text once matters.
const cache = new Map<string, Candidate[]>();

function candidate(tokens: string[], whole: boolean): Candidate {
  return { key: keywordKey(tokens), surface: tokens.join(' '), ...(whole && { whole: true as const }) };
}

/**
 * Phrase candidates of one text: the whole short phrase, its adjacent word pairs, and its single words. Only
 * the candidate that is the whole text is marked `whole`: a pair cut out of a longer text may straddle two
 * phrases ("organization clear" out of "closet organization clear bins").
 */
export function phraseCandidates(text: string): Candidate[] {
  const cached = cache.get(text);
  if (cached) return cached;
  const tokens = contentTokens(text);
  const out: Candidate[] = [];
  if (tokens.length >= 2 && tokens.length <= 3) out.push(candidate(tokens, true));
  if (tokens.length >= 3) {
    for (let i = 0; i + 1 < tokens.length; i++) out.push(candidate(tokens.slice(i, i + 2), false));
  }
  for (const t of tokens) if (t.length >= 3) out.push(candidate([t], tokens.length === 1));
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, out);
  return out;
}

/** Extracts the keyword mentions of one event (one mention per key and source). */
export function extractEventKeywords(
  event: Pick<ActivityEvent, 'type' | 'occurredAt' | 'query' | 'item' | 'board'>,
): ExtractedEvent {
  const mentions: KeywordMention[] = [];
  const seen = new Set<string>();
  const add = (text: string | undefined, source: KeywordSource) => {
    if (!text) return;
    for (const c of phraseCandidates(text)) {
      const id = `${source}\u0000${c.key}`;
      if (seen.has(id)) continue;
      seen.add(id);
      mentions.push({ key: c.key, surface: c.surface, source, ...(c.whole && { whole: true as const }) });
    }
  };
  add(event.query, 'search');
  add(event.item?.title, 'title');
  for (const a of event.item?.annotations ?? []) add(a, 'annotation');
  for (const c of event.item?.categories ?? []) add(c, 'category');
  add(event.board?.name, 'board');
  return { at: event.occurredAt.getTime(), type: event.type, mentions };
}

function signature(e: ExtractedEvent): string {
  return `${e.type}|${e.mentions.map((m) => `${m.source}:${m.key}`).join(',')}`;
}

/** Positions of events in their canonical order (time, then content), so results never depend on input order. */
export function sortedOrder(events: readonly ExtractedEvent[]): number[] {
  const keys = events.map(() => '');
  return events
    .map((_, i) => i)
    .sort((a, b) => {
      const ea = events[a];
      const eb = events[b];
      if (ea.at !== eb.at) return ea.at - eb.at;
      keys[a] ||= signature(ea);
      keys[b] ||= signature(eb);
      return keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0;
    });
}

/** Events in a canonical order (time, then content) so results never depend on input order. */
export function sortEvents(events: readonly ExtractedEvent[]): ExtractedEvent[] {
  return sortedOrder(events).map((i) => events[i]);
}
