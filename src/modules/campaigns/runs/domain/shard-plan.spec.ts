import { planShards } from './shard-plan';

describe(planShards.name, () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `u${String(i).padStart(3, '0')}`);

  it('cuts a batch without send times into shards of at most shardSize, numbered on', () => {
    const shards = planShards(ids(5), new Map(), { firstShard: 7, shardSize: 2 });
    expect(shards).toEqual([
      { shard: 7, userIds: ['u000', 'u001'] },
      { shard: 8, userIds: ['u002', 'u003'] },
      { shard: 9, userIds: ['u004'] },
    ]);
  });

  it('groups users by send time, earliest first, and is the same for the same batch', () => {
    const paris = new Date('2026-03-03T17:00:00Z');
    const newYork = new Date('2026-03-03T23:00:00Z');
    const users = ids(6);
    const times = new Map(users.map((u, i) => [u, i % 2 === 0 ? newYork : paris]));
    const shards = planShards(users, times, { firstShard: 0, shardSize: 2 });
    expect(shards).toEqual([
      { shard: 0, userIds: ['u001', 'u003'], sendAt: paris },
      { shard: 1, userIds: ['u005'], sendAt: paris },
      { shard: 2, userIds: ['u000', 'u002'], sendAt: newYork },
      { shard: 3, userIds: ['u004'], sendAt: newYork },
    ]);
    expect(planShards(users, times, { firstShard: 0, shardSize: 2 })).toEqual(shards);
  });

  it('plans nothing for an empty batch', () => {
    expect(planShards([], new Map(), { firstShard: 3, shardSize: 2 })).toEqual([]);
  });
});
