import { statisticsFromRecords } from './statistics-as-of';

describe(statisticsFromRecords.name, () => {
  const counts = [
    { arm: 'a', day: '2026-03-02', assigned: 3, delivered: 2 },
    { arm: 'b', day: '2026-03-02', assigned: 2, delivered: 2 },
  ];
  const users = [
    { userId: 'u1', arm: 'a', day: '2026-03-02', channel: 'email' as const },
    { userId: 'u2', arm: 'a', day: '2026-03-02', channel: 'email' as const },
    { userId: 'u3', arm: 'b', day: '2026-03-02', channel: 'email' as const },
  ];

  it('rebuilds each user value as the live rows hold it: a rate once, a count per outcome, Σy² of the counts', () => {
    const rows = statisticsFromRecords(counts, users, [
      { userId: 'u1', kind: 'open', machine: true },
      { userId: 'u1', kind: 'open' },
      { userId: 'u1', kind: 'conversion' },
      { userId: 'u1', kind: 'conversion' },
      { userId: 'u1', kind: 'conversion' },
      { userId: 'u2', kind: 'open', machine: true },
      { userId: 'u2', kind: 'conversion' },
      { userId: 'u3', kind: 'click' },
      { userId: 'unknown', kind: 'click' },
    ]);
    expect(rows).toEqual([
      {
        arm: 'a',
        day: '2026-03-02',
        assigned: 3,
        delivered: 2,
        sums: {
          'email-open-rate': { sum: 2, sumSquares: 2 },
          'email-open-rate-human': { sum: 1, sumSquares: 1 },
          'conversion-rate': { sum: 2, sumSquares: 2 },
          // u1 converted 3 times and u2 once: Σy = 4, Σy² = 9 + 1.
          'conversions-per-user': { sum: 4, sumSquares: 10 },
        },
      },
      { arm: 'b', day: '2026-03-02', assigned: 2, delivered: 2, sums: { 'click-rate': { sum: 1, sumSquares: 1 } } },
    ]);
  });

  it('sums the values by the split each user was drawn under too, where recorded', () => {
    const drawn = [{ ...users[0], split: 's1' }, { ...users[1], split: 's2' }, users[2]];
    const rows = statisticsFromRecords([{ ...counts[0], splits: { s1: 2, s2: 1 } }, counts[1]], drawn, [
      { userId: 'u1', kind: 'conversion' },
      { userId: 'u1', kind: 'conversion' },
      { userId: 'u2', kind: 'conversion' },
      { userId: 'u3', kind: 'conversion' },
    ]);
    expect(rows[0].sums['conversions-per-user']).toEqual({ sum: 3, sumSquares: 5 });
    expect(rows[0].splitSums).toEqual({
      s1: { 'conversion-rate': { sum: 1, sumSquares: 1 }, 'conversions-per-user': { sum: 2, sumSquares: 4 } },
      s2: { 'conversion-rate': { sum: 1, sumSquares: 1 }, 'conversions-per-user': { sum: 1, sumSquares: 1 } },
    });
    expect(rows[1].splitSums).toBeUndefined();
  });
});
