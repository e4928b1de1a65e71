import { dot } from './embedder';
import { chooseEmbedder, MIN_RECURRENCE_EXAMPLES } from './embedder-choice';
import { LexicalEmbedder } from './lexical-embedder';
import { trainPlatformEmbedder } from './platform-training';
import { extractAll, FIXTURE_NOW, trainFixtureEmbedder } from './testing/platform.fixture';

describe(LexicalEmbedder.name, () => {
  const lexical = new LexicalEmbedder();
  const similarity = (a: string, b: string) => dot(lexical.embed(a), lexical.embed(b));

  it('brings together keywords that share words or spellings, and nothing else', () => {
    expect(similarity('marlowe county fair', 'marlow county fair')).toBeGreaterThan(0.7);
    expect(similarity('pottery store', 'pottery direct')).toBeGreaterThan(0.4);
    expect(Math.abs(similarity('kitchen cabinet', 'wedding dress'))).toBeLessThan(0.1);
  });

  it('returns unit vectors of its dimension, the same for the same key', () => {
    const v = lexical.embed('marathon training');
    expect(v).toHaveLength(lexical.dimension);
    expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    expect(Array.from(new LexicalEmbedder().embed('marathon training'))).toEqual(Array.from(v));
  });
});

describe('chooseEmbedder', () => {
  it('clusters with a model trained on enough activity', () => {
    const model = trainFixtureEmbedder();
    expect(chooseEmbedder(model, { minTrainingEvents: 1000, minVocabulary: 100, minSharedVocabulary: 0.5 })).toEqual({
      embedder: model,
      kind: 'platform',
    });
  });

  it('falls back when most of the vocabulary belongs to fewer than three users', () => {
    const model = trainFixtureEmbedder(4);
    const choice = chooseEmbedder(model, { minTrainingEvents: 0, minVocabulary: 0, minSharedVocabulary: 0.9 });
    expect(choice.kind).toBe('lexical');
    expect(choice.reason).toMatch(/^trained on a vocabulary \d+% used by 3\+ users \(minimum 90%\)$/);
  });

  it('keeps keyword recurrence in the fallback only when it learnt from enough examples', () => {
    const model = trainFixtureEmbedder();
    const thin = { minTrainingEvents: 1e9, minVocabulary: 0, minSharedVocabulary: 0 };
    const examples = model.recurrence!.json.examples;
    expect(examples).toBeGreaterThanOrEqual(MIN_RECURRENCE_EXAMPLES);
    const lexical = chooseEmbedder(model, thin).embedder as LexicalEmbedder;
    expect(lexical.recurrence).toBe(model.recurrence);
    const few = trainFixtureEmbedder(2);
    expect(few.recurrence!.json.examples).toBeLessThan(MIN_RECURRENCE_EXAMPLES);
    expect((chooseEmbedder(few, thin).embedder as LexicalEmbedder).recurrence).toBeUndefined();
  });

  it("falls back to n-grams and word overlap for a thin model, keeping the model's lexicon, and says why", () => {
    const events = extractAll([
      { id: 'a', userId: 'u', type: 'search', occurredAt: FIXTURE_NOW.toISOString(), query: 'sourdough starter' },
    ]);
    const thin = trainPlatformEmbedder(() => [events]);
    const choice = chooseEmbedder(thin, { minTrainingEvents: 1000, minVocabulary: 100, minSharedVocabulary: 0.5 });
    expect(choice.kind).toBe('lexical');
    expect(choice.embedder).toBeInstanceOf(LexicalEmbedder);
    expect(choice.embedder.lexicon).toBe(thin.lexicon);
    expect(choice.reason).toBe('trained on 1 events (minimum 1000) and a vocabulary of 0 (minimum 100)');
  });
});
