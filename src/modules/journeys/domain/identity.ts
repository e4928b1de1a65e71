import { createHash } from 'node:crypto';
import { contentTokens, keywordKey } from '../../../lib/text/normalize';
import { JourneyKeyword } from './journey';

/** A previous build's journey, as far as identity needs it. */
export interface PreviousJourney {
  id: string;
  keywords: readonly JourneyKeyword[];
}

function weights(keywords: readonly JourneyKeyword[]): Map<string, number> {
  const total = keywords.reduce((s, k) => s + k.weight, 0) || 1;
  const out = new Map<string, number>();
  for (const k of keywords) {
    const key = keywordKey(contentTokens(k.text));
    out.set(key, (out.get(key) ?? 0) + k.weight / total);
  }
  return out;
}

/** Weighted Jaccard overlap of two keyword lists (by merge key), in [0, 1]. */
export function keywordOverlap(a: readonly JourneyKeyword[], b: readonly JourneyKeyword[]): number {
  return weightedOverlap(weights(a), weights(b));
}

/** Weighted Jaccard overlap of two keyword weightings: the sum of minima over the sum of maxima. */
function weightedOverlap(wa: ReadonlyMap<string, number>, wb: ReadonlyMap<string, number>): number {
  let min = 0;
  let max = 0;
  for (const [key, a] of wa) {
    const b = wb.get(key) ?? 0;
    min += Math.min(a, b);
    max += Math.max(a, b);
  }
  for (const [key, b] of wb) if (!wa.has(key)) max += b;
  return max === 0 ? 0 : min / max;
}

function freshId(userId: string, keywords: readonly JourneyKeyword[], taken: Set<string>): string {
  const basis = [userId, ...keywords.slice(0, 3).map((k) => k.text)].join('\u0000');
  const base = `j_${createHash('sha256').update(basis).digest('hex').slice(0, 16)}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  return id;
}

/**
 * Ids for rebuilt journeys: each continues the previous journey it overlaps most (greedily, best pair
 * first, each previous id used once, overlap at least `minOverlap`); the rest get ids derived from the
 * user and their keywords, so a rebuild from the same events yields the same ids.
 */
export function assignJourneyIds(
  userId: string,
  current: readonly { keywords: readonly JourneyKeyword[] }[],
  previous: readonly PreviousJourney[],
  minOverlap: number,
): string[] {
  const pairs: Array<{ c: number; p: number; overlap: number }> = [];
  // Each list's weighting once (its keys are normalized text), not once per pair.
  const previousWeights = previous.map((prev) => weights(prev.keywords));
  current.forEach((j, c) => {
    const currentWeights = weights(j.keywords);
    previousWeights.forEach((prev, p) => {
      const overlap = weightedOverlap(currentWeights, prev);
      if (overlap >= minOverlap) pairs.push({ c, p, overlap });
    });
  });
  pairs.sort((a, b) => b.overlap - a.overlap || a.c - b.c || a.p - b.p);
  const ids: Array<string | undefined> = current.map(() => undefined);
  const used = new Set<number>();
  for (const { c, p } of pairs) {
    if (ids[c] !== undefined || used.has(p)) continue;
    ids[c] = previous[p].id;
    used.add(p);
  }
  const taken = new Set([...previous.map((p) => p.id), ...ids.filter((id): id is string => id !== undefined)]);
  return ids.map((id, c) => {
    if (id !== undefined) return id;
    const fresh = freshId(userId, current[c].keywords, taken);
    taken.add(fresh);
    return fresh;
  });
}
