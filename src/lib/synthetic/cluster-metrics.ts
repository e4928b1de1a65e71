/** Agreement between a predicted clustering and ground truth, for evaluating against planted journeys. */

/** One clustered item: its predicted cluster and its true class. */
export interface LabelledItem {
  predicted: string;
  truth: string;
}

function countBy(items: readonly LabelledItem[], key: (i: LabelledItem) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const i of items) out.set(key(i), (out.get(key(i)) ?? 0) + 1);
  return out;
}

/** B-cubed precision, recall and F1 (Bagga & Baldwin), averaged over items. */
export function bcubed(items: readonly LabelledItem[]): { precision: number; recall: number; f1: number } {
  if (items.length === 0) return { precision: 0, recall: 0, f1: 0 };
  const cluster = countBy(items, (i) => i.predicted);
  const cls = countBy(items, (i) => i.truth);
  const both = countBy(items, (i) => `${i.predicted}\u0000${i.truth}`);
  let precision = 0;
  let recall = 0;
  for (const i of items) {
    const shared = both.get(`${i.predicted}\u0000${i.truth}`)!;
    precision += shared / cluster.get(i.predicted)!;
    recall += shared / cls.get(i.truth)!;
  }
  precision /= items.length;
  recall /= items.length;
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

const pairs = (n: number) => (n * (n - 1)) / 2;

/** Adjusted Rand index (Hubert & Arabie): 1 for identical partitions, about 0 for chance agreement. */
export function adjustedRandIndex(items: readonly LabelledItem[]): number {
  const n = items.length;
  if (n < 2) return 1;
  const sumCells = [...countBy(items, (i) => `${i.predicted}\u0000${i.truth}`).values()].reduce(
    (s, c) => s + pairs(c),
    0,
  );
  const sumRows = [...countBy(items, (i) => i.predicted).values()].reduce((s, c) => s + pairs(c), 0);
  const sumCols = [...countBy(items, (i) => i.truth).values()].reduce((s, c) => s + pairs(c), 0);
  const expected = (sumRows * sumCols) / pairs(n);
  const max = (sumRows + sumCols) / 2;
  return max === expected ? 1 : (sumCells - expected) / (max - expected);
}
