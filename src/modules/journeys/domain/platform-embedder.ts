import { charNgrams, fnv1a } from '../../../lib/text/ngrams';
import { dot, Embedder, normalizeInPlace } from './embedder';
import { KeywordRecurrence, RecurrenceJson } from './keyword-recurrence';
import { LexiconJson, PlatformLexicon } from './lexicon';

export const PLATFORM_MODEL_FORMAT = 'journeycast/platform-embedder';
/**
 * Version 2 adds the training size and the lexicon, version 3 keyword recurrence; older models still load,
 * without them.
 */
export const PLATFORM_MODEL_VERSION = 3;
const READABLE_VERSIONS = [1, 2, 3];

/** How much data a model was trained on. */
export interface TrainingSize {
  users: number;
  events: number;
}

/** The serialized model: vocabulary, term vectors and sub-word bucket vectors (little-endian float32, base64). */
export interface PlatformModelJson {
  format: typeof PLATFORM_MODEL_FORMAT;
  version: number;
  dimension: number;
  vocab: string[];
  vectors: string;
  ngram: { min: number; max: number; buckets: number; ids: number[]; vectors: string };
  training?: TrainingSize;
  lexicon?: LexiconJson;
  recurrence?: RecurrenceJson;
}

const UNSEEN_CACHE_LIMIT = 50_000;

function encode(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

function decode(text: string, length: number): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength !== length * 4) throw new Error('platform model: vector data has the wrong length');
  const out = new Float32Array(length);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** The default embedder: co-occurrence vectors learnt from the install's events, sub-word vectors for the rest. */
export class PlatformEmbedder implements Embedder {
  readonly id = `platform-v${PLATFORM_MODEL_VERSION}`;
  /** Training size and keyword statistics; absent in models of version 1. */
  readonly training?: TrainingSize;
  readonly lexicon?: PlatformLexicon;
  /** How likely users are to use a keyword again; absent in models before version 3. */
  readonly recurrence?: KeywordRecurrence;
  private readonly index = new Map<string, number>();
  private readonly unseen = new Map<string, Float32Array>();

  constructor(
    readonly dimension: number,
    readonly vocab: readonly string[],
    private readonly vectors: Float32Array,
    private readonly ngram: { min: number; max: number; buckets: number; vectors: Map<number, Float32Array> },
    extras: { training?: TrainingSize; lexicon?: LexiconJson; recurrence?: RecurrenceJson } = {},
  ) {
    vocab.forEach((key, i) => this.index.set(key, i));
    this.training = extras.training;
    if (extras.lexicon) this.lexicon = new PlatformLexicon(vocab, extras.lexicon, (a, b) => this.similarity(a, b));
    if (extras.recurrence) this.recurrence = new KeywordRecurrence(extras.recurrence);
  }

  /** Whether the key has its own trained vector (otherwise it is embedded from sub-words). */
  has(key: string): boolean {
    return this.index.has(key);
  }

  /** The key's trained vector, or one composed from its known words and character n-grams (cached). */
  embed(key: string): Float32Array {
    const i = this.index.get(key);
    if (i !== undefined) return this.vectors.subarray(i * this.dimension, (i + 1) * this.dimension);
    let v = this.unseen.get(key);
    if (!v) {
      v = this.embedUnseen(key);
      if (this.unseen.size >= UNSEEN_CACHE_LIMIT) this.unseen.clear();
      this.unseen.set(key, v);
    }
    return v;
  }

  /** Cosine similarity of two keys. */
  similarity(a: string, b: string): number {
    return dot(this.embed(a), this.embed(b));
  }

  /** Unseen phrase: its known words plus its character n-grams; unseen word: its character n-grams. */
  private embedUnseen(key: string): Float32Array {
    const out = new Float32Array(this.dimension);
    const tokens = key.split(' ');
    if (tokens.length > 1) for (const t of tokens) add(out, this.embed(t), 1);
    for (const gram of charNgrams(key, this.ngram.min, this.ngram.max)) {
      const bucket = this.ngram.vectors.get(fnv1a(gram) % this.ngram.buckets);
      if (bucket) add(out, bucket, 1);
    }
    normalizeInPlace(out);
    return out;
  }

  /** The serialized, versioned model (JSON.stringify calls this). */
  toJSON(): PlatformModelJson {
    const ids = [...this.ngram.vectors.keys()].sort((a, b) => a - b);
    const buckets = new Float32Array(ids.length * this.dimension);
    ids.forEach((id, j) => buckets.set(this.ngram.vectors.get(id)!, j * this.dimension));
    return {
      format: PLATFORM_MODEL_FORMAT,
      version: PLATFORM_MODEL_VERSION,
      dimension: this.dimension,
      vocab: [...this.vocab],
      vectors: encode(this.vectors),
      ngram: { min: this.ngram.min, max: this.ngram.max, buckets: this.ngram.buckets, ids, vectors: encode(buckets) },
      ...(this.training && { training: this.training }),
      ...(this.lexicon && { lexicon: this.lexicon.toJSON() }),
      ...(this.recurrence && { recurrence: this.recurrence.toJSON() }),
    };
  }

  /** Loads a serialized model, refusing other formats and versions rather than guessing. */
  static fromJSON(json: unknown): PlatformEmbedder {
    const m = json as Partial<PlatformModelJson>;
    if (m?.format !== PLATFORM_MODEL_FORMAT) {
      throw new Error(`not a platform embedder model (format ${String(m?.format)})`);
    }
    if (!READABLE_VERSIONS.includes(m.version as number)) {
      throw new Error(
        `platform model version ${String(m.version)} is not supported (expected ${READABLE_VERSIONS.join(' or ')})`,
      );
    }
    const { dimension, vocab, vectors, ngram, training, lexicon, recurrence } = m as PlatformModelJson;
    if (
      recurrence &&
      (recurrence.rates.length !== recurrence.keys.length ||
        (recurrence.users && recurrence.users.length !== recurrence.keys.length))
    ) {
      throw new Error('platform model: recurrence rates or users have the wrong length');
    }
    if (lexicon && lexicon.counts.length !== vocab.length) {
      throw new Error('platform model: lexicon has the wrong length');
    }
    const bucketData = decode(ngram.vectors, ngram.ids.length * dimension);
    const buckets = new Map<number, Float32Array>();
    ngram.ids.forEach((id, j) => buckets.set(id, bucketData.slice(j * dimension, (j + 1) * dimension)));
    return new PlatformEmbedder(
      dimension,
      vocab,
      decode(vectors, vocab.length * dimension),
      { ...ngram, vectors: buckets },
      { training, lexicon, recurrence },
    );
  }
}

function add(target: Float32Array, v: ArrayLike<number>, w: number): void {
  for (let i = 0; i < target.length; i++) target[i] += v[i] * w;
}
