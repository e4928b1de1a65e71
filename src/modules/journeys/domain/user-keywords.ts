import { ngramSimilarity } from '../../../lib/text/ngrams';
import { KeywordSource } from './journey';
import { JourneyParams } from './journey-params';
import { ExtractedEvent } from './keywords';

const DAY = 86_400_000;

/** A keyword of one user's history with the metadata inference needs. */
export interface UserKeyword {
  key: string;
  /** Display form: the surface the user met most often. */
  text: string;
  /** Recency-decayed, action- and source-weighted support. */
  weight: number;
  sources: KeywordSource[];
  actions: Record<string, number>;
  /** Indices into the user's (sorted) events that mention the keyword, ascending. */
  events: number[];
  firstSeen: number;
  lastSeen: number;
  /** Keys merged into this one as spelling variants. */
  variants: string[];
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
}

function draftOf(key: string, surface: string, at: number): Draft {
  return {
    key,
    text: surface,
    weight: 0,
    sources: [],
    actions: {},
    events: [],
    firstSeen: at,
    lastSeen: at,
    variants: [],
    textCount: 0,
    sourceBits: 0,
    lastEvent: -1,
    eventSourceWeight: 0,
  };
}

/** Aggregates a user's sorted events into keywords, folding misspelled rare keywords into supported ones. */
export function aggregateKeywords(
  events: readonly ExtractedEvent[],
  now: number,
  params: JourneyParams,
): UserKeyword[] {
  const byKey = new Map<string, Draft>();
  const lambda = Math.LN2 / (params.keywordHalfLifeDays * DAY);
  const touched: Draft[] = [];
  events.forEach((event, index) => {
    touched.length = 0;
    for (const m of event.mentions) {
      let k = byKey.get(m.key);
      if (!k) byKey.set(m.key, (k = draftOf(m.key, m.surface, event.at)));
      k.sourceBits |= SOURCE_BIT.get(m.source) ?? 0;
      if (m.surface === k.text) k.textCount++;
      else (k.surfaces ??= new Map()).set(m.surface, (k.surfaces.get(m.surface) ?? 0) + 1);
      const sourceWeight = params.sourceWeights[m.source] ?? 1;
      if (k.lastEvent !== index) {
        k.lastEvent = index;
        k.eventSourceWeight = sourceWeight;
        touched.push(k);
      } else if (sourceWeight > k.eventSourceWeight) k.eventSourceWeight = sourceWeight;
    }
    // One event supports a keyword once, at the weight of its strongest source.
    const base = (params.actionWeights[event.type] ?? 1) * Math.exp(-lambda * Math.max(0, now - event.at));
    for (const k of touched) {
      k.weight += base * k.eventSourceWeight;
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
  // Misspellings come from what users type (queries, board names); item text is curated.
  const typed = SOURCE_BIT.get('search')! | SOURCE_BIT.get('board')!;
  for (const rare of all) {
    if (rare.events.length >= params.minKeywordEvents || rare.key.length < 5 || (rare.sourceBits & ~typed) !== 0) {
      continue;
    }
    const target = buckets
      .get(variantBucket(rare.key))
      ?.find((k) => isVariant(rare.key, k.key, params.variantSimilarity));
    if (target) absorb(target, rare);
  }
  return kept.map(finish).sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : 1));
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
  target.sourceBits |= rare.sourceBits;
  for (const [a, n] of Object.entries(rare.actions)) target.actions[a] = (target.actions[a] ?? 0) + n;
  target.events = [...new Set([...target.events, ...rare.events])].sort((x, y) => x - y);
  target.firstSeen = Math.min(target.firstSeen, rare.firstSeen);
  target.lastSeen = Math.max(target.lastSeen, rare.lastSeen);
  target.variants.push(rare.key);
}

function finish(d: Draft): UserKeyword {
  let text = d.text;
  let best = d.textCount;
  for (const [surface, n] of d.surfaces ?? []) {
    if (n > best || (n === best && surface < text)) [text, best] = [surface, n];
  }
  return {
    key: d.key,
    text,
    weight: d.weight,
    sources: SOURCES.filter((_, i) => d.sourceBits & (1 << i)),
    actions: d.actions,
    events: d.events,
    firstSeen: d.firstSeen,
    lastSeen: d.lastSeen,
    variants: d.variants,
  };
}
