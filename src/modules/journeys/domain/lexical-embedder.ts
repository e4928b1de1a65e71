import { KeywordRecurrence } from './keyword-recurrence';
import { charNgrams, fnv1a } from '../../../lib/text/ngrams';
import { Embedder, normalizeInPlace } from './embedder';
import { Lexicon } from './lexicon';

export const LEXICAL_DIMENSION = 256;
const CACHE_LIMIT = 50_000;

/**
 * The embedder for a platform with too little activity to learn from: keywords are close when they share
 * words or spellings, nothing more. Each word and each of its character trigrams is hashed to a signed
 * coordinate (feature hashing); a word and its trigrams weigh the same, so "gwinnette county" is close to
 * "gwinnett county" and to "county fair", and unrelated keywords are near orthogonal.
 */
export class LexicalEmbedder implements Embedder {
  readonly id = 'lexical-v1';
  private readonly cache = new Map<string, Float32Array>();

  /** `vocab` and `lexicon` pass through from a thin trained model: its counts are still the platform's. */
  constructor(
    readonly vocab: readonly string[] = [],
    readonly lexicon?: Lexicon,
    readonly dimension = LEXICAL_DIMENSION,
    /** Keyword recurrence of the trained model, when it learnt from enough examples (it needs far fewer than vectors). */
    readonly recurrence?: KeywordRecurrence,
  ) {}

  embed(key: string): Float32Array {
    let v = this.cache.get(key);
    if (!v) {
      v = this.compute(key);
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(key, v);
    }
    return v;
  }

  private compute(key: string): Float32Array {
    const v = new Float32Array(this.dimension);
    for (const word of key.split(' ').filter(Boolean)) {
      this.add(v, `w:${word}`, 1);
      const grams = charNgrams(word, 3, 3);
      for (const gram of grams) this.add(v, `g:${gram}`, 1 / Math.sqrt(grams.length));
    }
    normalizeInPlace(v);
    return v;
  }

  private add(v: Float32Array, feature: string, weight: number): void {
    const h = fnv1a(feature);
    v[h % this.dimension] += (h & 0x80000000 ? -1 : 1) * weight;
  }
}
