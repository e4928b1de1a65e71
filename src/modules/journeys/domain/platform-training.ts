import { charNgrams, fnv1a } from '../../../lib/text/ngrams';
import { normalizeInPlace } from './embedder';
import { ExtractedEvent } from './keywords';
import { trainKeywordRecurrence } from './recurrence-training';
import { LexiconJson } from './lexicon';
import { PlatformEmbedder } from './platform-embedder';
import { SparseSymmetric, truncatedSvd } from './svd';

export interface PlatformTrainingOptions {
  dimension: number;
  /** A keyword must appear in this many events to get its own vector; rarer ones use sub-word vectors. */
  minCount: number;
  /**
   * ... and be used by this many users. A word only one user wrote says nothing shared about words, and kept it
   * would stay their personal data in every model trained before their erasure; the recurrence model keeps the
   * same rule.
   */
  minUsers: number;
  /** The co-occurrence matrix is dense over the vocabulary: memory grows with maxVocab squared. */
  maxVocab: number;
  /** Keywords of a user's consecutive events this close in time co-occur (at half weight). */
  windowMinutes: number;
  ngramMin: number;
  ngramMax: number;
  ngramBuckets: number;
  seed: number;
  /**
   * A model trained on fewer events, with a smaller vocabulary, or whose vocabulary is mostly used by fewer
   * than three users (less than minSharedVocabulary of it used by three or more) is too thin to cluster
   * with: its vectors would encode a few users' habits. Clustering then uses character n-grams and word
   * overlap (the lexical embedder) until a retrain on more data.
   */
  minTrainingEvents: number;
  minVocabulary: number;
  minSharedVocabulary: number;
}

export const DEFAULT_TRAINING_OPTIONS: PlatformTrainingOptions = {
  dimension: 64,
  minCount: 3,
  minUsers: 1,
  maxVocab: 6000,
  windowMinutes: 30,
  ngramMin: 3,
  ngramMax: 4,
  ngramBuckets: 1 << 15,
  seed: 1,
  minTrainingEvents: 500,
  minVocabulary: 100,
  minSharedVocabulary: 0.5,
};

/** Every user's events in time order; called once per pass, so the source can be streamed or re-read. */
export type UserEventSource = () => Iterable<readonly ExtractedEvent[]>;

/** Users with at least this many events count in the lexicon's user shares: passers-by say little about words. */
export const LEXICON_MIN_USER_EVENTS = 3;

interface Vocabulary {
  keys: string[];
  counts: number[];
  users: number;
  events: number;
}

function vocabularyOf(source: UserEventSource, options: PlatformTrainingOptions): Vocabulary {
  const counts = new Map<string, number>();
  const userCounts = new Map<string, number>();
  const seen = new Set<string>();
  let users = 0;
  let events = 0;
  for (const list of source()) {
    users++;
    events += list.length;
    seen.clear();
    for (const e of list) {
      for (const key of new Set(e.mentions.map((m) => m.key))) {
        counts.set(key, (counts.get(key) ?? 0) + 1);
        seen.add(key);
      }
    }
    for (const key of seen) userCounts.set(key, (userCounts.get(key) ?? 0) + 1);
  }
  const kept = [...counts]
    .filter(([key, n]) => n >= options.minCount && userCounts.get(key)! >= options.minUsers)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxVocab);
  return { keys: kept.map(([key]) => key), counts: kept.map(([, n]) => n), users, events };
}

/** Per vocabulary key: users who mention it, events where it was a whole text, and the surface most written. */
function lexiconOf(source: UserEventSource, index: Map<string, number>, counts: number[]): LexiconJson {
  const size = index.size;
  const userCounts = new Array<number>(size).fill(0);
  const wholeCounts = new Array<number>(size).fill(0);
  const surfaces = new Map<number, Map<string, number>>();
  let users = 0;
  const seen = new Set<number>();
  for (const events of source()) {
    seen.clear();
    for (const e of events) {
      for (const m of e.mentions) {
        const i = index.get(m.key);
        if (i === undefined) continue;
        seen.add(i);
        if (m.whole) wholeCounts[i]++;
        let forms = surfaces.get(i);
        if (!forms) surfaces.set(i, (forms = new Map()));
        forms.set(m.surface, (forms.get(m.surface) ?? 0) + 1);
      }
    }
    if (events.length < LEXICON_MIN_USER_EVENTS) continue;
    users++;
    for (const i of seen) userCounts[i]++;
  }
  const keys = [...index.keys()];
  const surfaceOf = (i: number) => {
    let best = keys[i];
    let bestCount = -1;
    for (const [form, n] of surfaces.get(i) ?? []) {
      if (n > bestCount || (n === bestCount && form < best)) [best, bestCount] = [form, n];
    }
    return best === keys[i] ? '' : best;
  };
  return { users, counts, userCounts, wholeCounts, surfaces: keys.map((_, i) => surfaceOf(i)) };
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

/**
 * Trains the platform embedder: vocabulary, co-occurrence, PPMI, truncated SVD, sub-word bucket vectors; with
 * it the lexicon and keyword recurrence learnt from the same histories.
 */
export function trainPlatformEmbedder(
  source: UserEventSource,
  overrides: Partial<PlatformTrainingOptions> = {},
): PlatformEmbedder {
  const options = { ...DEFAULT_TRAINING_OPTIONS, ...overrides };
  const vocabulary = vocabularyOf(source, options);
  const vocab = vocabulary.keys;
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
  return new PlatformEmbedder(
    dimension,
    vocab,
    vectors,
    { min: options.ngramMin, max: options.ngramMax, buckets: options.ngramBuckets, vectors: buckets },
    {
      training: { users: vocabulary.users, events: vocabulary.events },
      lexicon: lexiconOf(source, index, vocabulary.counts),
      recurrence: trainKeywordRecurrence(source, { minUsers: options.minUsers }).toJSON(),
    },
  );
}
