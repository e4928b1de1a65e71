import { extractEventKeywords } from './keywords';
import {
  oneEditApart,
  PlatformLexicon,
  specificityOf,
  VARIANT_MEANING_MIN_COUNT,
  VARIANT_MIN_SIMILARITY,
} from './lexicon';
import { trainPlatformEmbedder } from './platform-training';
import { handLexicon } from './testing/keywords.fixture';
import { fixtureHistories } from './testing/platform.fixture';

describe('oneEditApart', () => {
  it.each([
    ['serum', 'sreum', true],
    ['costume', 'costtume', true],
    ['costume', 'costme', true],
    ['costume', 'costune', true],
    ['costume', 'costume', false],
    ['dress', 'dresser', false],
    ['serum', 'muser', false],
  ])('%s / %s -> %s', (a, b, expected) => {
    expect(oneEditApart(a, b)).toBe(expected);
    expect(oneEditApart(b, a)).toBe(expected);
  });
});

describe(PlatformLexicon.name, () => {
  const lex = handLexicon([
    ['retinol serum', 40, 12, 35],
    ['halloween costume', 25, 20, 25],
    ['clear organization', 12, 10, 12],
    ['organization clear', 2, 2, 0],
    ['kitchen cabinet', 50, 40, 45, 'kitchen cabinets'],
    ['retinol sreum', 3, 3, 3],
    ['home', 300, 60, 10],
    ['bath mat', 9, 8, 9],
  ]);

  it('knows a rare misspelling or reordering of a common keyword, and leaves real keywords alone', () => {
    expect(lex.canonical('retinol sreum')).toBe('retinol serum');
    expect(lex.canonical('halloween costtume')).toBe('halloween costume');
    expect(lex.canonical('organization clear')).toBe('clear organization');
    expect(lex.canonical('retinol serum')).toBeUndefined();
    expect(lex.canonical('bath math')).toBeUndefined();
    expect(lex.canonical('something else')).toBeUndefined();
  });

  it('never folds a word whose first letter differs: misspellings keep it, other words do not', () => {
    const sewing = handLexicon([
      ['smocking', 200, 50, 180],
      ['smockimg', 3, 3, 3],
      ['pmocking', 3, 3, 3],
    ]);
    expect(sewing.canonical('smockimg')).toBe('smocking');
    expect(sewing.canonical('pmocking')).toBeUndefined();
  });

  it('reports shares, whole counts and the surface most users write', () => {
    expect(lex.userShare('home')).toBeCloseTo(0.6);
    expect(lex.userShare('unknown')).toBeUndefined();
    expect(lex.wholeCount('organization clear')).toBe(0);
    expect(lex.surface('kitchen cabinet')).toBe('kitchen cabinets');
    expect(lex.surface('home')).toBe('home');
  });

  it('scales the weight of generic keywords, only on a large enough platform', () => {
    const params = { genericShare: 0.15, genericMinUsers: 50 };
    expect(specificityOf('home', lex, params)).toBeCloseTo(0.25);
    expect(specificityOf('retinol serum', lex, params)).toBe(1);
    expect(specificityOf('unknown', lex, params)).toBe(1);
    expect(specificityOf('home', lex, { ...params, genericMinUsers: 500 })).toBe(1);
    expect(specificityOf('home', undefined, params)).toBe(1);
  });
});

describe('a variant the model has seen used often', () => {
  const entries: Array<[string, number, number, number]> = [
    ['glaze', 400, 90, 380],
    ['graze', 40, 12, 35],
    ['stoneware mug', 300, 80, 290],
    ['stonware mug', 24, 6, 20],
    ['stonewar mug', 6, 3, 6],
  ];
  const stats = handLexicon(entries).toJSON();
  const vocab = entries.map((e) => e[0]);
  const related = new Set(['stonware mug|stoneware mug']);
  const similarity = (a: string, b: string) => (related.has(`${a}|${b}`) ? 0.8 : 0.05);

  it('folds only into a form that means the same: a misspelling does, a real word one letter away does not', () => {
    const lex = new PlatformLexicon(vocab, stats, similarity);
    expect(lex.canonical('stonware mug')).toBe('stoneware mug');
    expect(lex.canonical('graze')).toBeUndefined();
    // By spelling and counts alone both would fold.
    const alone = new PlatformLexicon(vocab, stats);
    expect(alone.canonical('graze')).toBe('glaze');
    expect(alone.canonical('stonware mug')).toBe('stoneware mug');
  });

  it('folds a rarely used key by spelling and counts alone: a vector of a few uses says little', () => {
    const lex = new PlatformLexicon(vocab, stats, () => 0);
    expect(stats.counts[vocab.indexOf('stonewar mug')]).toBeLessThan(VARIANT_MEANING_MIN_COUNT);
    expect(lex.canonical('stonewar mug')).toBe('stoneware mug');
    // A key the model has no vector for at all (below its vocabulary) too.
    expect(lex.canonical('stoneware mgu')).toBeUndefined();
    expect(lex.canonical('stonewaare mug')).toBe('stoneware mug');
    expect(lex.canonical('graze')).toBeUndefined();
  });

  it('learns which is which from where people use the words, through the trained platform model', () => {
    const day = 86_400_000;
    const start = Date.UTC(2026, 0, 5);
    // Potters search the glaze alongside their mugs (a few misspell the mug); farmers search graze with fencing.
    const potter = (u: number) =>
      ['glaze', 'stoneware mug', 'glaze recipe', 'wheel throwing', u % 5 === 0 ? 'stonware mug' : 'glaze'].flatMap(
        (query, i) => [0, 1, 2].map((week) => ({ query, at: start + week * 7 * day + u * 3_600_000 + i * 60_000 })),
      );
    const farmer = (u: number) =>
      ['graze', 'cattle fence', 'hay bale'].flatMap((query, i) =>
        [0, 1, 2].map((week) => ({ query, at: start + week * 7 * day + u * 3_600_000 + i * 60_000 })),
      );
    const users = [
      ...Array.from({ length: 40 }, (_, u) => potter(u)),
      ...Array.from({ length: 8 }, (_, u) => farmer(u)),
    ];
    const histories = users.map((searches) =>
      searches
        .sort((a, b) => a.at - b.at)
        .map(({ query, at }) => extractEventKeywords({ type: 'search', occurredAt: new Date(at), query })),
    );
    const model = trainPlatformEmbedder(() => [...fixtureHistories(), ...histories], { seed: 3 });
    const uses = (key: string) => model.lexicon!.toJSON().counts[model.vocab.indexOf(key)];
    expect(uses('graze')).toBeGreaterThanOrEqual(VARIANT_MEANING_MIN_COUNT);
    expect(uses('stonware mug')).toBeGreaterThanOrEqual(VARIANT_MEANING_MIN_COUNT);
    expect(model.similarity('graze', 'glaze')).toBeLessThan(VARIANT_MIN_SIMILARITY);
    expect(model.lexicon!.canonical('graze')).toBeUndefined();
    expect(model.lexicon!.canonical('stonware mug')).toBe('stoneware mug');
  });
});
