import { CalibrationBin } from './ranking-model';

const EPSILON = 1e-15;

/** Area under the ROC curve by the rank-sum statistic; ties count one half. NaN without both classes. */
export function auc(scores: readonly number[], labels: readonly number[]): number {
  const order = scores.map((s, i) => ({ s, y: labels[i] })).sort((a, b) => a.s - b.s);
  let rankSumPositive = 0;
  let positives = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j].s === order[i].s) j++;
    const meanRank = (i + 1 + j) / 2; // ranks i+1..j share their mean
    for (let k = i; k < j; k++) {
      if (order[k].y === 1) {
        rankSumPositive += meanRank;
        positives++;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSumPositive - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean binary cross-entropy, probabilities clipped away from 0 and 1. */
export function logLoss(probabilities: readonly number[], labels: readonly number[]): number {
  if (probabilities.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = Math.min(1 - EPSILON, Math.max(EPSILON, probabilities[i]));
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / probabilities.length;
}

/** Reliability table over equal-width probability bins; empty bins are left out. */
export function calibrationTable(
  probabilities: readonly number[],
  labels: readonly number[],
  bins = 10,
): CalibrationBin[] {
  const acc = Array.from({ length: bins }, () => ({ count: 0, predicted: 0, positives: 0 }));
  probabilities.forEach((p, i) => {
    const b = Math.min(bins - 1, Math.floor(p * bins));
    acc[b].count++;
    acc[b].predicted += p;
    acc[b].positives += labels[i];
  });
  return acc.flatMap((a, b) =>
    a.count === 0
      ? []
      : [
          {
            lower: b / bins,
            upper: (b + 1) / bins,
            count: a.count,
            meanPredicted: a.predicted / a.count,
            observedRate: a.positives / a.count,
          },
        ],
  );
}

/** Expected calibration error: count-weighted mean gap between predicted and observed rates. */
export function expectedCalibrationError(table: readonly CalibrationBin[]): number {
  const total = table.reduce((s, b) => s + b.count, 0);
  if (total === 0) return Number.NaN;
  return table.reduce((s, b) => s + b.count * Math.abs(b.meanPredicted - b.observedRate), 0) / total;
}

/** NDCG@k of relevances listed in ranked order; NaN when nothing is relevant (the ideal DCG is 0). */
export function ndcgAtK(rankedRelevances: readonly number[], k: number): number {
  const dcg = (rels: readonly number[]) =>
    rels.slice(0, k).reduce((s, rel, i) => s + (Math.pow(2, rel) - 1) / Math.log2(i + 2), 0);
  const ideal = dcg([...rankedRelevances].sort((a, b) => b - a));
  return ideal === 0 ? Number.NaN : dcg(rankedRelevances) / ideal;
}

/** 1 when any of the first k ranked items is relevant, else 0. */
export function hitAtK(rankedRelevances: readonly number[], k: number): number {
  return rankedRelevances.slice(0, k).some((rel) => rel > 0) ? 1 : 0;
}

/** Cosine similarity; 0 when either vector is all zeros. */
export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Mean pairwise cosine similarity of the first k embeddings (lower = more diverse); NaN below two items. */
export function intraListSimilarity(rankedEmbeddings: readonly (readonly number[])[], k: number): number {
  const top = rankedEmbeddings.slice(0, k);
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < top.length; i++) {
    for (let j = i + 1; j < top.length; j++) {
      sum += cosine(top[i], top[j]);
      pairs++;
    }
  }
  return pairs === 0 ? Number.NaN : sum / pairs;
}
