import { cohesion } from './clustering';
import { Embedder } from './embedder';
import { JourneyParams } from './journey-params';
import { DraftInput } from './journey-draft';
import { tightKeywords } from './keyword-list';
import { ExtractedEvent } from './keywords';
import { Lexicon } from './lexicon';
import { aggregateKeywords } from './user-keywords';

/**
 * The journey of a user whose few events form no cluster: their strongest keywords, even those seen once,
 * listed as tightly as any journey's. It says what it is (basis `strongest-keywords`, confidence capped by
 * the caller), because a campaign with something honest to say beats one with nothing.
 */
export function sparseJourneyInput(
  events: readonly ExtractedEvent[],
  context: { now: number; params: JourneyParams; embedder: Embedder; lexicon?: Lexicon },
): DraftInput | undefined {
  const { params } = context;
  if (events.length < params.sparseMinEvents) return undefined;
  const all = aggregateKeywords(events, context.now, { ...params, minKeywordEvents: 1 }, context.lexicon);
  const listed = tightKeywords(all, { ...params, maxKeywords: params.sparseMaxKeywords });
  if (listed.length === 0) return undefined;
  const keys = new Set(listed.flatMap((k) => [k.key, ...k.variants]));
  const indices = events.flatMap((e, i) => (e.mentions.some((m) => keys.has(m.key)) ? [i] : []));
  const listedVectors = listed.map((k) => context.embedder.embed(k.key));
  return {
    members: listed,
    listed,
    listedVectors,
    cohesion: cohesion(
      listedVectors,
      listed.map((_, i) => i),
    ),
    indices,
    basis: 'strongest-keywords',
  };
}
