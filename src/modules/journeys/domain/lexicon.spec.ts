import { oneEditApart, PlatformLexicon, specificityOf } from './lexicon';
import { handLexicon } from './testing/keywords.fixture';

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
