import { assignJourneyIds, keywordOverlap } from './identity';

const kw = (...texts: string[]) => texts.map((text, i) => ({ text, weight: 1 - i * 0.1 }));

describe('keywordOverlap', () => {
  it('is 1 for the same list (plural or not) and 0 for disjoint lists', () => {
    expect(keywordOverlap(kw('kitchen cabinets', 'quartz'), kw('kitchen cabinet', 'quartz'))).toBeCloseTo(1);
    expect(keywordOverlap(kw('yoga'), kw('knitting'))).toBe(0);
  });
});

describe('assignJourneyIds', () => {
  const previous = [
    { id: 'j_kitchen', keywords: kw('kitchen', 'kitchen cabinet', 'quartz countertop') },
    { id: 'j_yoga', keywords: kw('yoga', 'yin yoga') },
  ];

  it('keeps the id of a continuing journey and mints a stable id for a new one', () => {
    const current = [
      { keywords: kw('yoga', 'yoga poses', 'yin yoga') },
      { keywords: kw('kitchen', 'kitchen cabinets', 'backsplash') },
      { keywords: kw('sourdough') },
    ];
    const ids = assignJourneyIds('u1', current, previous, 0.3);
    expect(ids.slice(0, 2)).toEqual(['j_yoga', 'j_kitchen']);
    expect(ids[2]).toMatch(/^j_[0-9a-f]{16}$/);
    expect(assignJourneyIds('u1', current, previous, 0.3)).toEqual(ids);
    expect(assignJourneyIds('u2', current, previous, 0.3)[2]).not.toBe(ids[2]);
  });

  it('gives each previous id to at most one journey, the closest', () => {
    const current = [{ keywords: kw('kitchen') }, { keywords: kw('kitchen', 'kitchen cabinet', 'quartz countertop') }];
    const ids = assignJourneyIds('u1', current, previous, 0.3);
    expect(ids[1]).toBe('j_kitchen');
    expect(ids[0]).not.toBe('j_kitchen');
  });

  it('does not continue a journey below the overlap threshold, and never reuses a taken id', () => {
    const ids = assignJourneyIds(
      'u1',
      [{ keywords: kw('kitchen', 'a', 'b', 'c', 'd', 'e') }, { keywords: kw('kitchen', 'a', 'b', 'c', 'd', 'e') }],
      previous,
      0.9,
    );
    expect(ids).not.toContain('j_kitchen');
    expect(new Set(ids).size).toBe(2);
  });
});
