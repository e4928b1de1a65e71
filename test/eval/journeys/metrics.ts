/** Set and ranking metrics of a predicted token list against the tokens of later activity. */

export interface SetScores {
  precision: number;
  recall: number;
  f1: number;
}

/** Precision, recall and F1 of distinct predicted tokens against the truth set; 0 for an empty side. */
export function setScores(predicted: readonly string[], truth: ReadonlySet<string>): SetScores {
  const distinct = new Set(predicted);
  let shared = 0;
  for (const t of distinct) if (truth.has(t)) shared++;
  const precision = distinct.size === 0 ? 0 : shared / distinct.size;
  const recall = truth.size === 0 ? 0 : shared / truth.size;
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

/** 1 when any predicted token occurs in the truth, else 0. */
export function hit(predicted: readonly string[], truth: ReadonlySet<string>): number {
  return predicted.some((t) => truth.has(t)) ? 1 : 0;
}

/**
 * nDCG of a ranked token list with binary gains, against the best list of the same length: the ideal puts
 * min(length, |truth|) relevant tokens first. 0 for an empty list or an empty truth.
 */
export function ndcg(ranked: readonly string[], truth: ReadonlySet<string>): number {
  const seen = new Set<string>();
  let dcg = 0;
  ranked.forEach((t, i) => {
    if (truth.has(t) && !seen.has(t)) dcg += 1 / Math.log2(i + 2);
    seen.add(t);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(ranked.length, truth.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}
