import { ActivityEvent, EventType } from '../../../lib/events/activity-event';
import { ContentWords, contentWords, keywordKey } from '../../../lib/text/normalize';
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

/** A mention's content as one string: equal keys, equal mentions. */
export function mentionKey(m: KeywordMention): string {
  return `${m.source}\u0000${m.key}\u0000${m.surface}\u0000${m.whole ? 1 : 0}`;
}

/** One object per distinct mention content: events that hold them share them. */
export class SharedMentions {
  private readonly byKey = new Map<string, KeywordMention>();
  private readonly shared = new Set<KeywordMention>();

  /** The object kept for `m`'s content: `m` itself the first time that content is seen. */
  share(m: KeywordMention): KeywordMention {
    if (this.shared.has(m)) return m;
    const key = mentionKey(m);
    const known = this.byKey.get(key);
    if (known) return known;
    this.byKey.set(key, m);
    this.shared.add(m);
    return m;
  }
}

type Candidate = Pick<KeywordMention, 'key' | 'surface' | 'whole'>;

/** One text's candidates, and the mentions they make under each source (by `SOURCE_SLOTS`), made once. */
interface ParsedText {
  candidates: Candidate[];
  mentions: Array<readonly KeywordMention[] | undefined>;
}

const CACHE_LIMIT = 200_000;
const SOURCE_SLOTS = new Map<KeywordSource, number>(
  (['search', 'title', 'annotation', 'category', 'board'] as const).map((source, i) => [source, i]),
);
// Titles, annotations and board names repeat across events and users: each text is parsed once, and its
// mentions are made once per source, one object per distinct content, shared by every event that has them.
const cache = new Map<string, ParsedText>();
let contents = new SharedMentions();

function parsed(text: string): ParsedText {
  let entry = cache.get(text);
  if (!entry) {
    if (cache.size >= CACHE_LIMIT) {
      cache.clear();
      contents = new SharedMentions();
    }
    entry = { candidates: candidatesOf(text), mentions: [] };
    cache.set(text, entry);
  }
  return entry;
}

/**
 * The candidate of the content tokens `from` to `to` (inclusive). Its surface is the text from the first of
 * them to the last, with the words between ("garden on a budget", "tour of the lakes"); its key has content only.
 */
function candidate(text: ContentWords, from: number, to: number, whole: boolean): Candidate {
  const { words, content } = text;
  const tokens = content.slice(from, to + 1).map((i) => words[i]);
  const surface = words.slice(content[from], content[to] + 1).join(' ');
  return { key: keywordKey(tokens), surface, ...(whole && { whole: true as const }) };
}

/**
 * Phrase candidates of one text: the whole short phrase, its adjacent word pairs, and its single words. Only
 * the candidate that is the whole text is marked `whole`: a pair cut out of a longer text may straddle two
 * phrases ("organization clear" out of "closet organization clear bins").
 */
export function phraseCandidates(text: string): Candidate[] {
  return parsed(text).candidates;
}

function candidatesOf(text: string): Candidate[] {
  const words = contentWords(text);
  const n = words.content.length;
  const out: Candidate[] = [];
  if (n >= 2 && n <= 3) out.push(candidate(words, 0, n - 1, true));
  if (n >= 3) {
    for (let i = 0; i + 1 < n; i++) out.push(candidate(words, i, i + 1, false));
  }
  for (let i = 0; i < n; i++) if (words.words[words.content[i]].length >= 3) out.push(candidate(words, i, i, n === 1));
  return out;
}

/** A text's mentions under one source, one per key (the first candidate with it). */
function mentionsOf(text: string, source: KeywordSource): readonly KeywordMention[] {
  const entry = parsed(text);
  const slot = SOURCE_SLOTS.get(source)!;
  let mentions = entry.mentions[slot];
  if (!mentions) {
    const made: KeywordMention[] = [];
    for (const c of entry.candidates) {
      if (listed(made, 0, c.key)) continue;
      made.push(contents.share({ key: c.key, surface: c.surface, source, ...(c.whole && { whole: true as const }) }));
    }
    entry.mentions[slot] = mentions = made;
  }
  return mentions;
}

/** Whether a mention from `from` on has this key. */
function listed(mentions: readonly KeywordMention[], from: number, key: string): boolean {
  for (let i = from; i < mentions.length; i++) if (mentions[i].key === key) return true;
  return false;
}

/** Appends a text's mentions under `source`, leaving out keys listed from `from` on (the source's earlier texts). */
function addMentions(into: KeywordMention[], text: string | undefined, source: KeywordSource, from: number): void {
  if (!text) return;
  const first = into.length === from;
  for (const m of mentionsOf(text, source)) if (first || !listed(into, from, m.key)) into.push(m);
}

/** Extracts the keyword mentions of one event (one mention per key and source); events share equal mentions. */
export function extractEventKeywords(
  event: Pick<ActivityEvent, 'type' | 'occurredAt' | 'query' | 'item' | 'board'>,
): ExtractedEvent {
  const mentions: KeywordMention[] = [];
  addMentions(mentions, event.query, 'search', mentions.length);
  addMentions(mentions, event.item?.title, 'title', mentions.length);
  let from = mentions.length;
  for (const a of event.item?.annotations ?? []) addMentions(mentions, a, 'annotation', from);
  from = mentions.length;
  for (const c of event.item?.categories ?? []) addMentions(mentions, c, 'category', from);
  addMentions(mentions, event.board?.name, 'board', mentions.length);
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
