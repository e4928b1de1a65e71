/** The similarity-penalty diversifier: score_i <- score_i * penalty^occurrence_i, then re-rank. */

export type DiversificationVariant = 'single-pass' | 'greedy' | 'none';

export interface DiversificationParams {
  /** Multiplier per similar journey ranked above; 1 disables the penalty. */
  penalty: number;
  /** Cosine similarity at or above which two journeys count as similar. */
  threshold: number;
  variant: DiversificationVariant;
}

export interface Diversifiable {
  score: number;
  embedding: readonly number[];
}

export interface Diversified<T> {
  item: T;
  /** Score after the penalty. */
  score: number;
  /** Number of similar journeys ranked above when the penalty was applied. */
  occurrence: number;
}

/** Symmetric n x n flags (row-major): cosine of the two embeddings at or above the threshold. */
function similarityMatrix(items: readonly Diversifiable[], threshold: number): Uint8Array {
  const n = items.length;
  const norms = items.map((it) => Math.sqrt(it.embedding.reduce((s, v) => s + v * v, 0)));
  const similar = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) {
    const a = items[i].embedding;
    for (let j = 0; j < i; j++) {
      if (norms[i] === 0 || norms[j] === 0) continue;
      const b = items[j].embedding;
      let dot = 0;
      for (let k = 0; k < a.length; k++) dot += a[k] * b[k];
      if (dot / (norms[i] * norms[j]) >= threshold) similar[i * n + j] = similar[j * n + i] = 1;
    }
  }
  return similar;
}

/** Sorts by score descending; equal scores keep their input order. */
function byScore<T extends { score: number }>(entries: T[]): T[] {
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => b.entry.score - a.entry.score || a.index - b.index)
    .map((x) => x.entry);
}

/**
 * Re-ranks items by the penalised score. `single-pass` counts similar items above each one in the
 * ranker's order; `greedy` picks one item at a time and counts similar items already picked.
 */
export function diversify<T extends Diversifiable>(
  items: readonly T[],
  params: DiversificationParams,
): Diversified<T>[] {
  const ranked = byScore(items.map((item) => ({ item, score: item.score, occurrence: 0 })));
  if (params.variant === 'none' || params.penalty === 1 || ranked.length < 2) return ranked;
  const similar = similarityMatrix(
    ranked.map((r) => r.item),
    params.threshold,
  );
  if (params.variant === 'single-pass') {
    for (let i = 0; i < ranked.length; i++) {
      for (let j = 0; j < i; j++) ranked[i].occurrence += similar[i * ranked.length + j];
      ranked[i].score *= Math.pow(params.penalty, ranked[i].occurrence);
    }
    return byScore(ranked);
  }
  const remaining = ranked.map((_, i) => i);
  const occurrence = ranked.map(() => 0);
  const picked: Diversified<T>[] = [];
  while (remaining.length > 0) {
    let best = 0;
    let bestScore = -Infinity;
    remaining.forEach((r, pos) => {
      const adjusted = ranked[r].score * Math.pow(params.penalty, occurrence[r]);
      if (adjusted > bestScore) {
        best = pos;
        bestScore = adjusted;
      }
    });
    const [chosen] = remaining.splice(best, 1);
    picked.push({ item: ranked[chosen].item, score: bestScore, occurrence: occurrence[chosen] });
    for (const r of remaining) occurrence[r] += similar[chosen * ranked.length + r];
  }
  return picked;
}
