import { contentTokens, keywordKey, singularize, titleCase } from '../../lib/text/normalize';
import { ngramSimilarity } from '../../lib/text/ngrams';
import { dot } from './domain/embedder';
import { assessJourneySafety, SafetyPolicy } from './domain/journey-safety';

/** The part of the platform embedder a neighbourhood needs: its vocabulary and vectors. */
export interface VocabularyEmbedder {
  readonly vocab: readonly string[];
  embed(key: string): ArrayLike<number>;
}

export interface NeighbourhoodOptions {
  maxRelated: number;
  /** A phrase must be at least this similar to the journey to count as related. */
  minSimilarity: number;
  /** Two related phrases at least this similar to each other are one suggestion (the closer one is kept). */
  duplicateSimilarity: number;
}

/** Character-trigram similarity above which two phrases are spellings of one another. */
const SPELLING_VARIANT_SIMILARITY = 0.7;

export const DEFAULT_NEIGHBOURHOOD: NeighbourhoodOptions = {
  maxRelated: 10,
  minSimilarity: 0.25,
  duplicateSimilarity: 0.8,
};

/**
 * Related journeys without an LLM: the platform vocabulary's phrases nearest to the journey embedding
 * (keyword clusters of other users), excluding the journey's own keywords and phrases made mostly of their words, de-duplicated
 * by mutual similarity and filtered by the safety policy. Phrases of two or more words only: single words
 * are shelves ("kitchen"), not journeys.
 */
export function neighbourhoodExpansions(
  journey: { embedding: ArrayLike<number>; keywords: ReadonlyArray<{ text: string }> },
  embedder: VocabularyEmbedder,
  policy: SafetyPolicy,
  options: NeighbourhoodOptions = DEFAULT_NEIGHBOURHOOD,
): string[] {
  const ownTokens = new Set(journey.keywords.flatMap((k) => contentTokens(k.text).map(singularize)));
  const ownKeys = new Set(journey.keywords.map((k) => keywordKey(contentTokens(k.text))));
  const scored: Array<{ key: string; similarity: number; rank: number }> = [];
  for (const [rank, key] of embedder.vocab.entries()) {
    const tokens = key.split(' ');
    // Mostly the journey's own words ("marathon training plan" for Marathon Training) is a variant, not a relative.
    if (tokens.length < 2 || ownKeys.has(key) || tokens.filter((t) => ownTokens.has(t)).length * 2 > tokens.length) {
      continue;
    }
    const similarity = dot(embedder.embed(key), journey.embedding);
    if (similarity >= options.minSimilarity) scored.push({ key, similarity, rank });
  }
  scored.sort((a, b) => b.similarity - a.similarity || (a.key < b.key ? -1 : 1));
  const kept: string[] = [];
  for (const { key, rank } of scored) {
    if (kept.length >= options.maxRelated) break;
    // The vocabulary is ordered by frequency: a rarer spelling of a nearby phrase ("wedding dresss") is a typo.
    if (scored.some((other) => other.rank < rank && isSpellingVariant(other.key, key))) continue;
    if (kept.some((other) => dot(embedder.embed(other), embedder.embed(key)) >= options.duplicateSimilarity)) continue;
    const verdict = assessJourneySafety({ name: key, keywords: [] }, policy);
    if (verdict.blocked || verdict.sensitiveCategories.length > 0) continue;
    kept.push(key);
  }
  return kept.map(titleCase);
}

function isSpellingVariant(a: string, b: string): boolean {
  return Math.abs(a.length - b.length) <= 2 && ngramSimilarity(a, b) >= SPELLING_VARIANT_SIMILARITY;
}
