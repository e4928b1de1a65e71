import { countsOf, ledgerCountsOf } from './run-state';

describe(ledgerCountsOf.name, () => {
  const shards = (...sizes: number[]) => new Map(sizes.map((n, shard) => [shard, n]));

  it.each([
    ['nothing processed yet', shards(3, 2), [], 0, { 'held-out': 0, failed: 0, done: 0, pending: 5 }],
    [
      'notified users done, entries held out or failed',
      shards(3, 2),
      [
        { shard: 0, status: 'held-out', n: 1 },
        { shard: 1, status: 'failed', n: 1 },
      ],
      2,
      { 'held-out': 1, failed: 1, done: 2, pending: 1 },
    ],
    [
      'a shard listing no users: its pending entries are its users',
      shards(2),
      [
        { shard: 1, status: 'pending', n: 2 },
        { shard: 1, status: 'done', n: 1 },
      ],
      3,
      { 'held-out': 0, failed: 0, done: 3, pending: 2 },
    ],
    ['never more done than the audience', shards(1), [], 4, { 'held-out': 0, failed: 0, done: 1, pending: 0 }],
  ])('%s', (_, listed, entries, notified, expected) => {
    expect(ledgerCountsOf(listed, entries, notified)).toEqual(expected);
  });

  it('gives countsOf an audience of every listed user', () => {
    const counts = countsOf(ledgerCountsOf(shards(4), [{ shard: 0, status: 'held-out', n: 1 }], 3), [
      { state: 'sent', n: 3 },
    ]);
    expect(counts).toMatchObject({ audience: 4, pending: 0, heldOut: 1, eligible: 3, sent: 3 });
  });
});
