import { Embedder } from './embedder';
import { LexicalEmbedder } from './lexical-embedder';
import { Lexicon } from './lexicon';
import { PlatformEmbedder } from './platform-embedder';
import { DEFAULT_TRAINING_OPTIONS, PlatformTrainingOptions } from './platform-training';

/** Words used by this many users are the platform's, not one user's habit. */
const SHARED_BY_USERS = 3;
/** The recurrence model has five weights: a few hundred (user, keyword) examples fit it, however thin the vectors. */
export const MIN_RECURRENCE_EXAMPLES = 200;
const percent = (x: number) => `${Math.round(100 * x)}%`;

/** What a trained model must have seen to be clustered with. */
export type EmbedderMinimums = Pick<
  PlatformTrainingOptions,
  'minTrainingEvents' | 'minVocabulary' | 'minSharedVocabulary'
>;

/** The embedder a build clusters with, and why. */
export interface EmbedderChoice {
  embedder: Embedder & { readonly vocab: readonly string[]; readonly lexicon?: Lexicon };
  kind: 'platform' | 'lexical';
  /** Set when the trained model was passed over: what it lacked. */
  reason?: string;
}

function recurrenceOf(model: PlatformEmbedder) {
  const examples = model.recurrence?.json.examples ?? 0;
  return examples >= MIN_RECURRENCE_EXAMPLES ? model.recurrence : undefined;
}

/**
 * The trained platform model when it saw enough activity of enough users, else the lexical embedder
 * (character n-grams and word overlap) with the model's vocabulary and lexicon: co-occurrence vectors learnt
 * from a few hundred events, or from a handful of users whose words no one else uses, are mostly noise or
 * those users' habits, and they glue unrelated keywords together. The fallback keeps the model's keyword
 * recurrence when it learnt from enough examples.
 */
export function chooseEmbedder(
  model: PlatformEmbedder,
  minimums: EmbedderMinimums = DEFAULT_TRAINING_OPTIONS,
): EmbedderChoice {
  const events = model.training?.events;
  const short: string[] = [];
  if (events !== undefined && events < minimums.minTrainingEvents) {
    short.push(`${events} events (minimum ${minimums.minTrainingEvents})`);
  }
  if (model.vocab.length < minimums.minVocabulary) {
    short.push(`a vocabulary of ${model.vocab.length} (minimum ${minimums.minVocabulary})`);
  }
  const shared = model.lexicon?.sharedShare(SHARED_BY_USERS);
  if (shared !== undefined && model.vocab.length > 0 && shared < minimums.minSharedVocabulary) {
    short.push(
      `a vocabulary ${percent(shared)} used by ${SHARED_BY_USERS}+ users (minimum ${percent(minimums.minSharedVocabulary)})`,
    );
  }
  if (short.length === 0) return { embedder: model, kind: 'platform' };
  return {
    embedder: new LexicalEmbedder(model.vocab, model.lexicon, undefined, recurrenceOf(model)),
    kind: 'lexical',
    reason: `trained on ${short.join(' and ')}`,
  };
}
