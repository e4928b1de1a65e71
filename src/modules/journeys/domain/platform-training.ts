import { charNgrams, fnv1a } from '../../../lib/text/ngrams';
import { normalizeInPlace } from './embedder';
import { ExtractedEvent } from './keywords';
import { PlatformEmbedder } from './platform-embedder';
import { SparseSymmetric, truncatedSvd } from './svd';

export interface PlatformTrainingOptions {
  dimension: number;
  /** A keyword must appear in this many events to get its own vector; rarer ones use sub-word vectors. */
  minCount: number;
  /** The co-occurrence matrix is dense over the vocabulary: memory grows with maxVocab squared. */
  maxVocab: number;
  /** Keywords of a user's consecutive events this close in time co-occur (at half weight). */
  windowMinutes: number;
  ngramMin: number;
  ngramMax: number;
  ngramBuckets: number;
  seed: number;
}

export const DEFAULT_TRAINING_OPTIONS: PlatformTrainingOptions = {
  dimension: 64,
  minCount: 3,
  maxVocab: 6000,
  windowMinutes: 30,
  ngramMin: 3,
  ngramMax: 4,
  ngramBuckets: 1 << 15,
  seed: 1,
};

/** Every user's events in time order; called once per pass, so the source can be streamed or re-read. */
export type UserEventSource = () => Iterable<readonly ExtractedEvent[]>;

function vocabularyOf(source: UserEventSource, options: PlatformTrainingOptions): string[] {
  const counts = new Map<string, number>();
  for (const events of source()) {
    for (const e of events) {
      for (const key of new Set(e.mentions.map((m) => m.key))) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts]
    .filter(([, n]) => n >= options.minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxVocab)
    .map(([key]) => key);
}

/** Counts co-occurrences within an event (same query, item or board) and between a user's events minutes apart. */
function cooccurrences(source: UserEventSource, index: Map<string, number>, windowMs: number): Float32Array {
  const size = index.size;
  const counts = new Float32Array(size * size);
  const pair = (i: number, j: number, w: number) => {
    counts[i * size + j] += w;
    counts[j * size + i] += w;
  };
  for (const events of source()) {
    let previous: number[] = [];
    let previousAt = -Infinity;
    for (const e of events) {
      const ids = [...new Set(e.mentions.map((m) => index.get(m.key)).filter((i): i is number => i !== undefined))];
      for (let a = 0; a < ids.length; a++) for (let b = a + 1; b < ids.length; b++) pair(ids[a], ids[b], 1);
      if (e.at - previousAt <= windowMs) {
        for (const i of previous) for (const j of ids) if (i !== j) pair(i, j, 0.5);
      }
      previous = ids;
      previousAt = e.at;
    }
  }
  return counts;
}

/** Positive pointwise mutual information of a dense symmetric count matrix, as sparse CSR. */
function ppmi(counts: Float32Array, size: number): SparseSymmetric {
  const rows = new Float64Array(size);
  let total = 0;
  for (let i = 0; i < size; i++) {
    let s = 0;
    for (let j = 0; j < size; j++) s += counts[i * size + j];
    rows[i] = s;
    total += s;
  }
  const rowStart = new Int32Array(size + 1);
  const cols: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const c = counts[i * size + j];
      if (c === 0) continue;
      const pmi = Math.log((c * total) / (rows[i] * rows[j]));
      if (pmi > 0) {
        cols.push(j);
        values.push(pmi);
      }
    }
    rowStart[i + 1] = cols.length;
  }
  return { size, rowStart, cols: Int32Array.from(cols), values: Float32Array.from(values) };
}

/** Trains the platform embedder: vocabulary, co-occurrence, PPMI, truncated SVD, sub-word bucket vectors. */
export function trainPlatformEmbedder(
  source: UserEventSource,
  overrides: Partial<PlatformTrainingOptions> = {},
): PlatformEmbedder {
  const options = { ...DEFAULT_TRAINING_OPTIONS, ...overrides };
  const vocab = vocabularyOf(source, options);
  const index = new Map(vocab.map((key, i) => [key, i]));
  const dimension = options.dimension;
  const vectors = new Float32Array(vocab.length * dimension);
  if (vocab.length > 1) {
    const matrix = ppmi(cooccurrences(source, index, options.windowMinutes * 60_000), vocab.length);
    const { vectors: u, values } = truncatedSvd(matrix, Math.min(dimension, vocab.length), options.seed);
    for (let i = 0; i < vocab.length; i++) {
      const row = vectors.subarray(i * dimension, (i + 1) * dimension);
      for (let c = 0; c < u.columns; c++) row[c] = u.get(i, c) * Math.sqrt(values[c]);
      normalizeInPlace(row);
    }
  }
  // Each n-gram bucket averages the vectors of the known keywords containing it: fastText's idea without training.
  const buckets = new Map<number, Float32Array>();
  vocab.forEach((key, i) => {
    const v = vectors.subarray(i * dimension, (i + 1) * dimension);
    for (const gram of new Set(charNgrams(key, options.ngramMin, options.ngramMax))) {
      const id = fnv1a(gram) % options.ngramBuckets;
      let b = buckets.get(id);
      if (!b) buckets.set(id, (b = new Float32Array(dimension)));
      for (let c = 0; c < dimension; c++) b[c] += v[c];
    }
  });
  for (const b of buckets.values()) normalizeInPlace(b);
  return new PlatformEmbedder(dimension, vocab, vectors, {
    min: options.ngramMin,
    max: options.ngramMax,
    buckets: options.ngramBuckets,
    vectors: buckets,
  });
}
