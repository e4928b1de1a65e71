/**
 * The `Embedder` port: keyword key -> unit vector. Inference calls it synchronously on its hot path, so an
 * embedder backed by a remote API (OpenAI) resolves its vectors ahead of the build and serves them from its
 * cache; the default `platform` embedder is an in-memory model trained on the install's own events.
 */
export interface Embedder {
  /** Identifies the model (kind and version); stored next to journeys so stale vectors are recognisable. */
  readonly id: string;
  readonly dimension: number;
  /** Unit vector of a keyword key; an all-zero vector when the embedder knows nothing about it. */
  embed(key: string): Float32Array;
}

/** Dot product of two equal-length vectors (the cosine when both are unit vectors). */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Scales a vector to unit length in place; a zero vector stays zero. */
export function normalizeInPlace(v: Float32Array | number[]): void {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i] * v[i];
  if (n === 0) return;
  const inv = 1 / Math.sqrt(n);
  for (let i = 0; i < v.length; i++) v[i] *= inv;
}

/** L2-normalised weighted mean of vectors. */
export function meanVector(
  vectors: readonly ArrayLike<number>[],
  weights: readonly number[],
  dimension: number,
): Float32Array {
  const out = new Float32Array(dimension);
  vectors.forEach((v, j) => {
    for (let i = 0; i < dimension; i++) out[i] += v[i] * weights[j];
  });
  normalizeInPlace(out);
  return out;
}
