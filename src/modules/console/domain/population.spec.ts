import { commonJourneys } from './population';

const build = (now: string[], before?: string[]) => ({
  journeys: now.map((name) => ({ name })),
  ...(before && { previous: { journeys: before.map((name) => ({ name })) } }),
});

describe(commonJourneys.name, () => {
  it('counts each name once per user, case-insensitively, most common first, with its trend', () => {
    const result = commonJourneys(
      [
        build(['Kitchen Remodel', 'kitchen remodel', 'Marathon'], ['Marathon']),
        build(['Kitchen Remodel'], ['Marathon', 'Kitchen Remodel']),
        build(['Wedding'], ['Marathon']),
        build(['Kitchen Remodel']),
      ],
      2,
    );
    expect(result).toEqual({
      sampled: 4,
      withPrevious: 3,
      journeys: [
        { name: 'Kitchen Remodel', users: 3, share: 0.75, previousShare: 1 / 3, trend: 'rising' },
        { name: 'Marathon', users: 1, share: 0.25, previousShare: 1, trend: 'falling' },
      ],
    });
  });

  it('marks names absent from every previous build as new, and has no trend without previous builds', () => {
    expect(commonJourneys([build(['A'], ['B'])], 5).journeys[0]).toMatchObject({ name: 'A', trend: 'new' });
    expect(commonJourneys([build(['A'])], 5).journeys[0]).toMatchObject({ previousShare: null, trend: null });
    expect(commonJourneys([], 5)).toEqual({ sampled: 0, withPrevious: 0, journeys: [] });
  });
});
