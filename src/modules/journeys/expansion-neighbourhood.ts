import { contentTokens, keywordKey, singularize, titleCase } from '../../lib/text/normalize';
import { ngramSimilarity } from '../../lib/text/ngrams';
import { dot } from './domain/embedder';
import { assessJourneySafety, SafetyPolicy } from './domain/journey-safety';
import { Lexicon } from './domain/lexicon';

/** The part of the platform embedder a neighbourhood needs: its vocabulary and vectors, and its lexicon if any. */
export interface VocabularyEmbedder {
  readonly vocab: readonly string[];
  readonly lexicon?: Lexicon;
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
 * are shelves ("kitchen"), not journeys. With the platform lexicon, only phrases someone wrote whole (a query,
 * title or board name, never a pair straddling two phrases) that are not a misspelling or reordering of a
 * commoner phrase, shown the way most users write them.
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
    if (!fitToSuggest(key, embedder.lexicon)) continue;
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
  return kept.map((key) => titleCase(embedder.lexicon?.surface(key) ?? key));
}

/** A phrase the lexicon knows only as part of longer texts, or as a variant of a commoner one, is no suggestion. */
function fitToSuggest(key: string, lexicon: Lexicon | undefined): boolean {
  if (!lexicon || lexicon.userShare(key) === undefined) return true;
  return lexicon.wholeCount(key) > 0 && lexicon.canonical(key) === undefined;
}

function isSpellingVariant(a: string, b: string): boolean {
  return Math.abs(a.length - b.length) <= 2 && ngramSimilarity(a, b) >= SPELLING_VARIANT_SIMILARITY;
}
