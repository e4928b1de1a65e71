import { Db } from 'mongodb';
import { useDriverClient } from '../../setup/mongo';

describe('embedded mongo aggregation', () => {
  const mongo = useDriverClient('agg');
  let db: Db;

  beforeAll(async () => {
    db = mongo.db;
    await db.collection('users').insertMany([
      { _id: 1 as never, name: 'ann', team: 'red', profile: { city: 'Oslo' } },
      { _id: 2 as never, name: 'bob', team: 'blue', profile: { city: 'Rome' } },
      { _id: 3 as never, name: 'cid', team: 'red', profile: { city: 'Oslo' } },
    ]);
    await db.collection('orders').insertMany(
      Array.from({ length: 300 }, (_, i) => ({
        userId: (i % 3) + 1,
        amount: i,
        items: [`sku${i % 4}`, `sku${(i + 1) % 4}`],
      })),
    );
  });

  it('groups, sorts and counts', async () => {
    const totals = await db
      .collection('orders')
      .aggregate([
        { $match: { amount: { $gte: 100 } } },
        { $group: { _id: '$userId', total: { $sum: '$amount' }, n: { $sum: 1 } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(totals.map((t) => t.n)).toEqual([66, 67, 67]);
    expect(totals.reduce((sum, t) => sum + t.total, 0)).toBe(
      Array.from({ length: 200 }, (_, i) => i + 100).reduce((a, b) => a + b),
    );
    const [counted] = await db
      .collection('orders')
      .aggregate([{ $unwind: '$items' }, { $count: 'n' }])
      .toArray();
    expect(counted).toEqual({ n: 600 });
  });

  it('groups by a document of dotted paths: missing members left out, paths through arrays fanned out', async () => {
    await db.collection('facts').insertMany([
      { _id: 1 as never, c: { push: true }, locale: 'fr' },
      { _id: 2 as never, c: { push: true }, locale: 'fr' },
      { _id: 3 as never, c: { push: false } },
      { _id: 4 as never, c: 'scalar', locale: 'de' },
      { _id: 5 as never, c: [{ push: true }, { push: false }], locale: 'de' },
    ]);
    const groups = await db
      .collection('facts')
      .aggregate([
        { $match: { _id: { $gte: 1 } } },
        { $group: { _id: { push: '$c.push', locale: '$locale' }, n: { $sum: 1 } } },
        { $sort: { n: -1, '_id.locale': 1 } },
      ])
      .toArray();
    expect(groups).toEqual([
      { _id: { push: true, locale: 'fr' }, n: 2 },
      { _id: { push: false }, n: 1 },
      { _id: { locale: 'de' }, n: 1 },
      { _id: { push: [true, false], locale: 'de' }, n: 1 },
    ]);
  });

  it('joins across collections with $lookup and shapes results with $facet', async () => {
    const [facets] = await db
      .collection('users')
      .aggregate([
        { $lookup: { from: 'orders', localField: '_id', foreignField: 'userId', as: 'orders' } },
        { $addFields: { spent: { $sum: '$orders.amount' }, orders: '$$REMOVE' } },
        {
          $facet: {
            top: [{ $sort: { spent: -1 } }, { $limit: 1 }, { $project: { name: 1 } }],
            byTeam: [{ $sortByCount: '$team' }],
          },
        },
      ])
      .toArray();
    expect(facets.top).toEqual([{ _id: 3, name: 'cid' }]);
    expect(facets.byTeam).toEqual([
      { _id: 'red', count: 2 },
      { _id: 'blue', count: 1 },
    ]);
    const piped = await db
      .collection('users')
      .aggregate([
        { $match: { team: 'red' } },
        {
          $lookup: {
            from: 'orders',
            let: { uid: '$_id' },
            pipeline: [{ $match: { $expr: { $eq: ['$userId', '$$uid'] } } }, { $count: 'n' }],
            as: 'stats',
          },
        },
        { $project: { _id: 0, name: 1, n: { $first: '$stats.n' } } },
      ])
      .toArray();
    expect(piped).toEqual([
      { name: 'ann', n: 100 },
      { name: 'cid', n: 100 },
    ]);
  });

  it('runs leading $match/$sort/$skip/$limit like find: BSON order, index-backed', async () => {
    const mixed = db.collection('mixed');
    await mixed.insertMany([{ v: 'x' }, { v: 3 }, { v: new Date(5) }, { v: null }, { v: [9, -1] }, { v: true }]);
    const sorted = await mixed.aggregate([{ $sort: { v: 1 } }, { $project: { _id: 0, v: 1 } }]).toArray();
    expect(sorted.map((d) => d.v)).toEqual([null, [9, -1], 3, 'x', true, new Date(5)]);
    await db.collection('orders').createIndex({ amount: -1 });
    const top = await db
      .collection('orders')
      .aggregate([
        { $match: { userId: 2 } },
        { $sort: { amount: -1 } },
        { $skip: 1 },
        { $limit: 3 },
        { $project: { _id: 0, amount: 1 } },
      ])
      .toArray();
    expect(top).toEqual([{ amount: 295 }, { amount: 292 }, { amount: 289 }]);
    const viaFind = await db
      .collection('orders')
      .find({ userId: 2 })
      .sort({ amount: -1 })
      .skip(1)
      .limit(3)
      .project({ _id: 0, amount: 1 })
      .toArray();
    expect(viaFind).toEqual(top);
  });

  it('never changes stored documents through pipeline stages', async () => {
    await db
      .collection('users')
      .aggregate([{ $set: { 'profile.city': 'Paris', extra: 1 } }, { $unwind: { path: '$name' } }])
      .toArray();
    expect(await db.collection('users').findOne({ _id: 1 as never })).toEqual({
      _id: 1,
      name: 'ann',
      team: 'red',
      profile: { city: 'Oslo' },
    });
  });

  it('batches large results through getMore and writes $out collections', async () => {
    const all = await db
      .collection('orders')
      .aggregate([{ $sort: { amount: -1 } }], { batchSize: 40 })
      .toArray();
    expect(all).toHaveLength(300);
    expect(all[0].amount).toBe(299);
    await db
      .collection('orders')
      .aggregate([{ $match: { amount: { $lt: 10 } } }, { $project: { amount: 1 } }, { $out: 'small' }])
      .toArray();
    expect(await db.collection('small').countDocuments()).toBe(10);
    await expect(
      db
        .collection('orders')
        .aggregate([{ $merge: { into: 'x' } }])
        .toArray(),
    ).rejects.toMatchObject({ code: 238 });
  });

  it('leaves the $out collection as it was when the new contents break a unique index', async () => {
    const target = db.collection('kept');
    await target.insertMany([{ _id: 'a' as never }, { _id: 'b' as never }]);
    // Unwinding keeps each order's _id on every item, so the output repeats _ids.
    await expect(
      db
        .collection('orders')
        .aggregate([{ $match: { amount: { $lt: 2 } } }, { $unwind: '$items' }, { $out: 'kept' }])
        .toArray(),
    ).rejects.toMatchObject({ code: 11000 });
    expect((await target.find().toArray()).map((d) => d._id)).toEqual(['a', 'b']);
    await expect(
      db
        .collection('orders')
        .aggregate([{ $unwind: '$items' }, { $out: 'never' }])
        .toArray(),
    ).rejects.toMatchObject({ code: 11000 });
    expect(await db.listCollections({ name: 'never' }).toArray()).toEqual([]);
  });
});
