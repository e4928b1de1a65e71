import { UserKeyword } from './user-keywords';

/** Cosine of two vectors; 0 when either is all zeros. */
function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * How close each keyword is in meaning to what its journey was last about: the cosine of its vector to the sum
 * of the other keywords used in the journey's latest session (`latest`, event indices). A user's next sessions
 * continue where the last one left off, so a word near the latest focus is likelier to return than an older
 * side topic with the same counts. A keyword alone in that session, or without a vector, gets 0.
 */
export function recentSimilarities(
  keywords: ReadonlyArray<Pick<UserKeyword, 'key' | 'events'>>,
  vectorOf: (key: string) => ArrayLike<number>,
  latest: ReadonlySet<number>,
): Map<string, number> {
  const recent = new Set(keywords.filter((k) => k.events.some((e) => latest.has(e))));
  const vectors = new Map(keywords.map((k) => [k.key, vectorOf(k.key)]));
  const dimension = keywords.length > 0 ? vectors.get(keywords[0].key)!.length : 0;
  const sum = new Float64Array(dimension);
  for (const k of recent) {
    const v = vectors.get(k.key)!;
    for (let i = 0; i < dimension; i++) sum[i] += v[i];
  }
  const out = new Map<string, number>();
  for (const k of keywords) {
    const v = vectors.get(k.key)!;
    const others = Float64Array.from(sum);
    const own = recent.has(k);
    if (own) for (let i = 0; i < dimension; i++) others[i] -= v[i];
    out.set(k.key, own && recent.size === 1 ? 0 : cosine(v, others));
  }
  return out;
}

/** The event indices of the latest session among `indices`, by each event's session. */
export function latestSessionEvents(indices: readonly number[], sessionOf: readonly number[]): Set<number> {
  const last = indices.reduce((m, i) => Math.max(m, sessionOf[i]), -1);
  return new Set(indices.filter((i) => sessionOf[i] === last));
}
