import { coverageOf, KeywordNamer, NamingCandidate, nameScore } from './naming';

const candidate = (key: string, weight: number, overrides: Partial<NamingCandidate> = {}): NamingCandidate => ({
  key,
  text: key,
  weight,
  centrality: 0.9,
  sources: ['search'],
  ...overrides,
});

describe(KeywordNamer.name, () => {
  const namer = new KeywordNamer();

  it('prefers a well-supported phrase over a single word and presents it in title case', () => {
    expect(namer.name([candidate('kitchen', 1), candidate('kitchen remodel', 0.8), candidate('quartz', 0.5)])).toBe(
      'Kitchen Remodel',
    );
  });

  it("prefers central keywords and the user's own words over broad categories", () => {
    expect(
      namer.name([candidate('home improvement', 1, { sources: ['category'] }), candidate('kitchen cabinet', 0.8)]),
    ).toBe('Kitchen Cabinet');
    expect(namer.name([candidate('wedding venue', 1, { centrality: 0.1 }), candidate('wedding dress', 0.9)])).toBe(
      'Wedding Dress',
    );
  });

  it('uses the display text and returns an empty name for no candidates', () => {
    expect(namer.name([candidate('tokyo itinerary', 1, { text: 'tokyo itineraries' })])).toBe('Tokyo Itineraries');
    expect(namer.name([])).toBe('');
  });

  it('prefers the phrase that speaks for the most of the cluster over a narrower, heavier one', () => {
    const cluster = [
      candidate('farmhouse sink', 1),
      candidate('kitchen remodel', 0.7),
      candidate('kitchen island', 0.6),
      candidate('kitchen cabinets', 0.6),
    ];
    expect(namer.name(cluster)).toBe('Kitchen Remodel');
    expect(coverageOf(cluster[1], cluster)).toBeCloseTo(1.9 / 2.9);
    expect(coverageOf(cluster[0], cluster)).toBeCloseTo(1 / 2.9);
  });

  it('scores weight monotonically', () => {
    expect(nameScore(candidate('yin yoga', 1))).toBeGreaterThan(nameScore(candidate('yin yoga', 0.5)));
  });
});
