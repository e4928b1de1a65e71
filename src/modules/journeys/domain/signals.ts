import { Embedder } from './embedder';
import { ExtractedEvent } from './keywords';
import { UserKeyword } from './user-keywords';

/** Session number of each (time-sorted) event: a new session starts after a gap longer than `gapMs`. */
export function sessionsOf(events: readonly ExtractedEvent[], gapMs: number): number[] {
  let session = -1;
  let previous = -Infinity;
  return events.map((e) => {
    if (e.at - previous > gapMs) session++;
    previous = e.at;
    return session;
  });
}

/**
 * The clustering signal of each keyword: its embedding (what it means across the platform) next to its
 * session profile (when this user used it). Both halves are unit vectors scaled by the square roots of their
 * shares, so the dot product of two features is the weighted sum of the two cosine similarities.
 */
export function keywordFeatures(
  keywords: readonly UserKeyword[],
  embeddings: readonly Float32Array[],
  sessions: readonly number[],
  sessionWeight: number,
): Float32Array[] {
  const sessionCount = sessions.length === 0 ? 0 : sessions[sessions.length - 1] + 1;
  const dimension = embeddings[0]?.length ?? 0;
  const embeddingScale = Math.sqrt(1 - sessionWeight);
  const sessionScale = Math.sqrt(sessionWeight);
  return keywords.map((k, j) => {
    const f = new Float32Array(dimension + sessionCount);
    for (let i = 0; i < dimension; i++) f[i] = embeddings[j][i] * embeddingScale;
    let norm = 0;
    for (const e of k.events) {
      const slot = dimension + sessions[e];
      norm += 2 * f[slot] + 1;
      f[slot] += 1;
    }
    const scale = norm > 0 ? sessionScale / Math.sqrt(norm) : 0;
    for (let i = dimension; i < f.length; i++) f[i] *= scale;
    return f;
  });
}

/** Unit embeddings of keywords, in keyword order. */
export function embedKeywords(keywords: readonly UserKeyword[], embedder: Embedder): Float32Array[] {
  return keywords.map((k) => embedder.embed(k.key));
}
