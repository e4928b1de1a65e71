import { hash } from './hash';

/** A half-open interval [start, end) of the unit line; a user whose hash falls in it gets that variation. */
export type BucketRange = readonly [start: number, end: number];

/** A legacy GrowthBook namespace: users whose namespace hash falls in [start, end) may enter. */
export type Namespace = readonly [id: string, start: number, end: number];

/** `n` equal weights summing to 1 (none for n <= 0). */
export function getEqualWeights(n: number): number[] {
  if (n <= 0) return [];
  return new Array<number>(n).fill(1 / n);
}

/**
 * GrowthBook's bucket ranges: variation i starts at the sum of the weights before it and covers
 * `coverage` of its weight. Starts never depend on coverage, so raising coverage never moves a user.
 * Weights that are missing, of the wrong length or not summing to ~1 fall back to equal weights.
 */
export function getBucketRanges(
  numVariations: number,
  coverage = 1,
  weights?: readonly number[] | null,
): BucketRange[] {
  const cover = Math.min(1, Math.max(0, coverage));
  let w: readonly number[] = weights ?? getEqualWeights(numVariations);
  if (w.length !== numVariations) w = getEqualWeights(numVariations);
  const total = w.reduce((a, b) => a + b, 0);
  if (total < 0.99 || total > 1.01) w = getEqualWeights(numVariations);
  let start = 0;
  return w.map((weight) => {
    const range: BucketRange = [start, start + cover * weight];
    start += weight;
    return range;
  });
}

/** Index of the first range containing `n`, or -1 when none does (the user is not in the experiment). */
export function chooseVariation(n: number, ranges: readonly BucketRange[]): number {
  for (let i = 0; i < ranges.length; i++) {
    if (n >= ranges[i][0] && n < ranges[i][1]) return i;
  }
  return -1;
}

/** Whether a user id falls in a legacy namespace's range (hash v1 of "__" + namespace id, as GrowthBook). */
export function inNamespace(userId: string, namespace: Namespace): boolean {
  const n = hash(`__${namespace[0]}`, userId, 1);
  return n !== null && n >= namespace[1] && n < namespace[2];
}
