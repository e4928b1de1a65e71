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

interface Draft extends UserKeyword {
  surfaces: Map<string, number>;
  sourceSet: Set<KeywordSource>;
}

/** Aggregates a user's sorted events into keywords, folding misspelled rare keywords into supported ones. */
export function aggregateKeywords(events: readonly ExtractedEvent[], now: number, params: JourneyParams): UserKeyword[] {
  const byKey = new Map<string, Draft>();
  const lambda = Math.LN2 / (params.keywordHalfLifeDays * DAY);
  events.forEach((event, index) => {
    const decay = Math.exp(-lambda * Math.max(0, now - event.at));
    const action = params.actionWeights[event.type] ?? 1;
    const best = new Map<string, number>();
    for (const m of event.mentions) {
      let k = byKey.get(m.key);
      if (!k) {
        k = { key: m.key, text: m.surface, weight: 0, sources: [], actions: {}, events: [], firstSeen: event.at, lastSeen: event.at, variants: [], surfaces: new Map(), sourceSet: new Set() };
        byKey.set(m.key, k);
      }
      k.sourceSet.add(m.source);
      k.surfaces.set(m.surface, (k.surfaces.get(m.surface) ?? 0) + 1);
      best.set(m.key, Math.max(best.get(m.key) ?? 0, params.sourceWeights[m.source] ?? 1));
    }
    // One event supports a keyword once, at the weight of its strongest source.
    for (const [key, sourceWeight] of best) {
      const k = byKey.get(key)!;
      k.weight += action * sourceWeight * decay;
      k.actions[event.type] = (k.actions[event.type] ?? 0) + 1;
      k.events.push(index);
      k.lastSeen = event.at;
    }
  });
  const all = [...byKey.values()].sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : 1));
  const kept = all.filter((k) => k.events.length >= params.minKeywordEvents);
  for (const rare of all) {
    if (rare.events.length >= params.minKeywordEvents || rare.key.length < 5) continue;
    const target = kept.find((k) => isVariant(rare.key, k.key, params.variantSimilarity));
    if (target) absorb(target, rare);
  }
  return kept.map(finish).sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : 1));
}

function isVariant(a: string, b: string, threshold: number): boolean {
  return a[0] === b[0] && Math.abs(a.length - b.length) <= 2 && a.split(' ').length === b.split(' ').length && ngramSimilarity(a, b) >= threshold;
}

function absorb(target: Draft, rare: Draft): void {
  target.weight += rare.weight;
  for (const s of rare.sourceSet) target.sourceSet.add(s);
  for (const [a, n] of Object.entries(rare.actions)) target.actions[a] = (target.actions[a] ?? 0) + n;
  target.events = [...new Set([...target.events, ...rare.events])].sort((x, y) => x - y);
  target.firstSeen = Math.min(target.firstSeen, rare.firstSeen);
  target.lastSeen = Math.max(target.lastSeen, rare.lastSeen);
  target.variants.push(rare.key);
}

function finish(d: Draft): UserKeyword {
  let text = d.text;
  let best = -1;
  for (const [surface, n] of d.surfaces) if (n > best || (n === best && surface < text)) [text, best] = [surface, n];
  const { surfaces: _s, sourceSet, ...rest } = d;
  return { ...rest, text, sources: [...sourceSet].sort() };
}
