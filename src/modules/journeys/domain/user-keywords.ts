import { ngramSimilarity } from '../../../lib/text/ngrams';
import { KeywordSource } from './journey';
import { JourneyParams } from './journey-params';
import { ExtractedEvent } from './keywords';
import { Lexicon, specificityOf } from './lexicon';

const DAY = 86_400_000;

/** A keyword of one user's history with the metadata inference needs. */
export interface UserKeyword {
  key: string;
  /** Display form: the surface the user met most often. */
  text: string;
  /** Recency-decayed, action- and source-weighted support. */
  weight: number;
  /**
   * The part of `weight` from events where the user chose the keyword (a query, board name or annotation),
   * not only met it in an item's title or categories; what a journey lists by. 0 for catalogue-only keywords.
   */
  chosenWeight: number;
  /** Events where the user chose the keyword. */
  chosenEvents: number;
  sources: KeywordSource[];
  actions: Record<string, number>;
  /** Indices into the user's (sorted) events that mention the keyword, ascending. */
  events: number[];
  firstSeen: number;
  lastSeen: number;
  /** Keys merged into this one as spelling variants. */
  variants: string[];
  /** 1 for a specific keyword, down to near 0 for one most users use (a category such as "home"). */
  specificity: number;
  /** A word, or a phrase someone wrote whole; false for a pair cut out of a longer text, which may straddle two. */
  standalone: boolean;
}

const SOURCES: readonly KeywordSource[] = ['annotation', 'board', 'category', 'search', 'title'];
const SOURCE_BIT = new Map(SOURCES.map((source, i) => [source, 1 << i]));

interface Draft extends UserKeyword {
  /** Surfaces other than `text` and how often they occurred; `text` itself is counted in textCount. */
  surfaces?: Map<string, number>;
  textCount: number;
  sourceBits: number;
  /** Index of the last event that mentioned the keyword, and the strongest source weight in it. */
  lastEvent: number;
  eventSourceWeight: number;
  eventChosenWeight: number;
  whole: boolean;
}

function draftOf(key: string, surface: string, at: number): Draft {
  return {
    key,
    text: surface,
    weight: 0,
    chosenWeight: 0,
    chosenEvents: 0,
    sources: [],
    actions: {},
    events: [],
    firstSeen: at,
    lastSeen: at,
    variants: [],
    specificity: 1,
    standalone: !key.includes(' '),
    whole: false,
    textCount: 0,
    sourceBits: 0,
    lastEvent: -1,
    eventSourceWeight: 0,
    eventChosenWeight: 0,
  };
}

// Words the user chose; item titles and categories are the catalogue's words for what the user met.
const CHOSEN: ReadonlySet<KeywordSource> = new Set(['search', 'board', 'annotation']);
// Misspellings come from what users type (queries, board names); item text is curated.
const TYPED: ReadonlySet<KeywordSource> = new Set(['search', 'board']);

/**
 * Aggregates a user's sorted events into keywords, folding misspelled rare keywords into supported ones: the
 * user's own rare variants, and with a lexicon, typed keywords that the platform knows as a misspelling or a
 * reordering of a common one. With a lexicon, keywords most users use lose weight and are shown the way most
 * users write them. Keywords of fewer than minKeywordEvents events are left out, except with `chosenOnce` the
 * words and whole texts the user chose once (not folded into another keyword).
 */
export function aggregateKeywords(
  events: readonly ExtractedEvent[],
  now: number,
  params: JourneyParams,
  lexicon?: Lexicon,
  options: { chosenOnce?: boolean } = {},
): UserKeyword[] {
  const byKey = new Map<string, Draft>();
  const lambda = Math.LN2 / (params.keywordHalfLifeDays * DAY);
  const touched: Draft[] = [];
  const canonical = new Map<string, string>();
  const keyOf = (key: string, source: KeywordSource) => {
    if (!lexicon || !TYPED.has(source)) return key;
    let c = canonical.get(key);
    if (c === undefined) canonical.set(key, (c = lexicon.canonical(key) ?? key));
    return c;
  };
  const gapMs = params.sessionGapMinutes * 60_000;
  const seenInSession = new Set<string>();
  events.forEach((event, index) => {
    touched.length = 0;
    if (index > 0 && event.at - events[index - 1].at > gapMs) seenInSession.clear();
    // The same content again within one visit (a reload, several results of one search clicked) is one
    // expression of interest, not several; the same keyword on another item or query still counts in full.
    const content = mentionSignature(event);
    const repeat = seenInSession.has(content) ? params.sessionRepeatWeight : 1;
    seenInSession.add(content);
    for (const m of event.mentions) {
      const key = keyOf(m.key, m.source);
      const surface = key === m.key ? m.surface : (lexicon?.surface(key) ?? key);
      let k = byKey.get(key);
      if (!k) byKey.set(key, (k = draftOf(key, surface, event.at)));
      if (key !== m.key && !k.variants.includes(m.key)) k.variants.push(m.key);
      k.sourceBits |= SOURCE_BIT.get(m.source) ?? 0;
      if (m.whole && key === m.key) k.whole = true;
      if (surface === k.text) k.textCount++;
      else (k.surfaces ??= new Map()).set(surface, (k.surfaces.get(surface) ?? 0) + 1);
      const sourceWeight = params.sourceWeights[m.source] ?? 1;
      const chosenWeight = CHOSEN.has(m.source) ? sourceWeight : 0;
      if (k.lastEvent !== index) {
        k.lastEvent = index;
        k.eventSourceWeight = sourceWeight;
        k.eventChosenWeight = chosenWeight;
        touched.push(k);
      } else {
        k.eventSourceWeight = Math.max(k.eventSourceWeight, sourceWeight);
        k.eventChosenWeight = Math.max(k.eventChosenWeight, chosenWeight);
      }
    }
    // One event supports a keyword once, at the weight of its strongest source.
    const base = (params.actionWeights[event.type] ?? 1) * Math.exp(-lambda * Math.max(0, now - event.at));
    for (const k of touched) {
      k.weight += base * k.eventSourceWeight * repeat;
      k.chosenWeight += base * k.eventChosenWeight * repeat;
      if (k.eventChosenWeight > 0) k.chosenEvents++;
      k.actions[event.type] = (k.actions[event.type] ?? 0) + 1;
      k.events.push(index);
      k.lastSeen = event.at;
    }
  });
  const all = [...byKey.values()].sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : 1));
  const kept = all.filter((k) => k.events.length >= params.minKeywordEvents);
  const buckets = new Map<string, Draft[]>();
  for (const k of kept) {
    const bucket = variantBucket(k.key);
    buckets.set(bucket, [...(buckets.get(bucket) ?? []), k]);
  }
  const typed = SOURCE_BIT.get('search')! | SOURCE_BIT.get('board')!;
  const absorbed = new Set<Draft>();
  for (const rare of all) {
    if (rare.events.length >= params.minKeywordEvents || rare.key.length < 5 || (rare.sourceBits & ~typed) !== 0) {
      continue;
    }
    const target = buckets
      .get(variantBucket(rare.key))
      ?.find((k) => isVariant(rare.key, k.key, params.variantSimilarity));
    if (target) {
      absorb(target, rare);
      absorbed.add(rare);
    }
  }
  // A word or whole phrase the user chose once still says what its event was about (a search task of a few
  // queries); it places its event among the journeys, though no journey lists it (it has not recurred).
  const once = options.chosenOnce
    ? all.filter((k) => k.events.length < params.minKeywordEvents && isChosenWhole(k) && !absorbed.has(k))
    : [];
  return [...kept, ...once]
    .map((d) => finish(d, params, lexicon))
    .sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : 1));
}

/** Chosen (a query, board name or annotation) as a word or as a whole text, not a pair cut out of a longer one. */
function isChosenWhole(k: Draft): boolean {
  return k.chosenEvents > 0 && (k.standalone || k.whole);
}

function mentionSignature(event: ExtractedEvent): string {
  return event.mentions.map((m) => `${m.source}:${m.key}`).join(',');
}

/** Spelling variants share their first letter and number of words. */
function variantBucket(key: string): string {
  let words = 1;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) === 32) words++;
  return `${key[0]}${words}`;
}

function isVariant(a: string, b: string, threshold: number): boolean {
  return Math.abs(a.length - b.length) <= 2 && ngramSimilarity(a, b) >= threshold;
}

function absorb(target: Draft, rare: Draft): void {
  target.weight += rare.weight;
  target.chosenWeight += rare.chosenWeight;
  target.chosenEvents += rare.chosenEvents;
  target.sourceBits |= rare.sourceBits;
  for (const [a, n] of Object.entries(rare.actions)) target.actions[a] = (target.actions[a] ?? 0) + n;
  target.events = [...new Set([...target.events, ...rare.events])].sort((x, y) => x - y);
  target.firstSeen = Math.min(target.firstSeen, rare.firstSeen);
  target.lastSeen = Math.max(target.lastSeen, rare.lastSeen);
  target.whole ||= rare.whole;
  target.variants.push(rare.key, ...rare.variants);
}

function finish(d: Draft, params: JourneyParams, lexicon: Lexicon | undefined): UserKeyword {
  let text = d.text;
  let best = d.textCount;
  for (const [surface, n] of d.surfaces ?? []) {
    if (n > best || (n === best && surface < text)) [text, best] = [surface, n];
  }
  const specificity = specificityOf(d.key, lexicon, params);
  return {
    key: d.key,
    text: lexicon?.surface(d.key) ?? text,
    weight: d.weight * specificity,
    chosenWeight: d.chosenWeight * specificity,
    chosenEvents: d.chosenEvents,
    specificity,
    standalone: d.standalone || d.whole || (lexicon?.wholeCount(d.key) ?? 0) > 0,
    sources: SOURCES.filter((_, i) => d.sourceBits & (1 << i)),
    actions: d.actions,
    events: d.events,
    firstSeen: d.firstSeen,
    lastSeen: d.lastSeen,
    variants: d.variants,
  };
}
