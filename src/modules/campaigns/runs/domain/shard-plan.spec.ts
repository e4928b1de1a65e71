import { planShards } from './shard-plan';

describe(planShards.name, () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `u${String(i).padStart(3, '0')}`);

  it('cuts a batch without send times into shards of at most shardSize, numbered on', () => {
    const plan = planShards(ids(5), new Map(), { firstShard: 7, shardSize: 2 });
    expect(plan.shards).toEqual([{ shard: 7 }, { shard: 8 }, { shard: 9 }]);
    expect(plan.entries.map((e) => e.shard)).toEqual([7, 7, 8, 8, 9]);
  });

  it('groups users by send time, earliest first, and is the same for the same batch', () => {
    const paris = new Date('2026-03-03T17:00:00Z');
    const newYork = new Date('2026-03-03T23:00:00Z');
    const users = ids(6);
    const times = new Map(users.map((u, i) => [u, i % 2 === 0 ? newYork : paris]));
    const plan = planShards(users, times, { firstShard: 0, shardSize: 2 });
    expect(plan.shards).toEqual([
      { shard: 0, sendAt: paris },
      { shard: 1, sendAt: paris },
      { shard: 2, sendAt: newYork },
      { shard: 3, sendAt: newYork },
    ]);
    expect(plan.entries.filter((e) => e.shard === 0).map((e) => e.userId)).toEqual(['u001', 'u003']);
    expect(planShards(users, times, { firstShard: 0, shardSize: 2 })).toEqual(plan);
  });
});
