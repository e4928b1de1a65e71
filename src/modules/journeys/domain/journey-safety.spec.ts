import { assessJourneySafety, DEFAULT_SAFETY_POLICY } from './journey-safety';

const journey = (name: string, ...keywords: string[]) => ({ name, keywords: keywords.map((text) => ({ text })) });

describe('assessJourneySafety', () => {
  it.each<[string, ReturnType<typeof journey>, { blocked: boolean; sensitiveCategories: string[] }]>([
    [
      'an ordinary journey',
      journey('Kitchen Renovation', 'kitchen cabinets', 'backsplash'),
      { blocked: false, sensitiveCategories: [] },
    ],
    [
      'a health journey by keyword',
      journey('Meal Ideas', 'diabetes recipes', 'low sugar'),
      { blocked: false, sensitiveCategories: ['health'] },
    ],
    [
      'two categories',
      journey('Pregnancy Budget', 'debt relief'),
      { blocked: false, sensitiveCategories: ['fertility', 'finance'] },
    ],
    [
      'a blocked term in a keyword',
      journey('Night Out', 'escort services'),
      { blocked: true, sensitiveCategories: [] },
    ],
    [
      'a word that merely contains a term',
      journey('Debtor Prison History', 'debtors'),
      { blocked: false, sensitiveCategories: [] },
    ],
  ])('%s', (_case, input, expected) => {
    expect(assessJourneySafety(input)).toMatchObject(expected);
  });

  it('names the blocking term and honours a custom policy', () => {
    const policy = { ...DEFAULT_SAFETY_POLICY, blockedTerms: ['crypto'] };
    expect(assessJourneySafety(journey('Crypto Gains', 'bitcoin'), policy)).toEqual({
      blocked: true,
      blockedBy: 'crypto',
      sensitiveCategories: [],
    });
  });

  it('judges a text again under another policy', () => {
    const gains = journey('Crypto Gains', 'bitcoin');
    expect(assessJourneySafety(gains)).toMatchObject({ blocked: false });
    expect(assessJourneySafety(gains, { ...DEFAULT_SAFETY_POLICY, blockedTerms: ['crypto'] })).toMatchObject({
      blocked: true,
    });
    const older = { ...DEFAULT_SAFETY_POLICY, sensitiveCategories: {} };
    const test = journey('Test Results', 'pregnancy test');
    expect(assessJourneySafety(test, older).sensitiveCategories).toEqual([]);
    expect(assessJourneySafety(test).sensitiveCategories).toEqual(['fertility']);
  });
});
