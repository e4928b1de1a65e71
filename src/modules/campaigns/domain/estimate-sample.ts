/**
 * Sampled audience estimates: a figure counted on a uniform random sample of audience facts is
 * scaled to the whole population, with a 95% Wilson score interval (sound near 0 and near 100%).
 */

/** The bounds, in users, a sampled figure lies within at 95% confidence. */
export interface EstimateInterval {
  low: number;
  high: number;
}

const Z_95 = 1.959964;

/** The 95% Wilson score interval of a proportion `hits / n`, as fractions of 1. */
export function wilsonInterval(hits: number, n: number, z = Z_95): EstimateInterval {
  if (n <= 0) return { low: 0, high: 1 };
  const p = hits / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** A figure seen `hits` times in a sample of `n` of `population` facts: the scaled count and its interval. */
export function scaleFigure(
  hits: number,
  n: number,
  population: number,
): { value: number; interval: EstimateInterval } {
  if (n <= 0) return { value: 0, interval: { low: 0, high: population } };
  const { low, high } = wilsonInterval(hits, n);
  return {
    value: Math.round((hits * population) / n),
    interval: { low: Math.floor(low * population), high: Math.ceil(high * population) },
  };
}

/** How a figure reads: the number itself, or "about N (± M)" when sampled. */
export function figureText(value: number, interval?: EstimateInterval): string {
  if (!interval) return String(value);
  const margin = Math.max(value - interval.low, interval.high - value);
  return `about ${value} (± ${margin})`;
}
