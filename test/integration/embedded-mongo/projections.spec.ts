import { Db, Double, Long } from 'mongodb';
import { useDriverClient } from '../../setup/mongo';

describe('embedded mongo projections, as MongoDB shapes them', () => {
  const mongo = useDriverClient('projections');
  let db: Db;
  const d = (day: number) => new Date(Date.UTC(2026, 0, day));

  beforeAll(async () => {
    db = mongo.db;
    await db.collection('items').insertOne({
      _id: 1 as never,
      name: 'n',
      other: 'o',
      arr: [1, 2, 3, 4, 5, 6, 7],
      tags: [
        { tag: 'a', n: 1 },
        { tag: 'b', n: 2 },
        { tag: 'b', n: 3 },
      ],
      dates: [d(1), d(5), d(9)],
      ids: [7, 3, 4],
    });
  });

  const project = (projection: Record<string, unknown>, filter: Record<string, unknown> = { _id: 1 }) =>
    db.collection('items').findOne(filter, { projection });

  it('keeps every other field with $slice alone, and accepts $slice beside an exclusion', async () => {
    expect(await project({ arr: { $slice: [0, 5] } })).toEqual({
      _id: 1,
      name: 'n',
      other: 'o',
      arr: [1, 2, 3, 4, 5],
      tags: expect.any(Array),
      dates: expect.any(Array),
      ids: [7, 3, 4],
    });
    const excluded = await project({ arr: { $slice: 1 }, other: 0 });
    expect(excluded).toMatchObject({ _id: 1, name: 'n', arr: [1] });
    expect(excluded).not.toHaveProperty('other');
    expect(await project({ arr: { $slice: -2 }, name: 1 })).toEqual({ _id: 1, name: 'n', arr: [6, 7] });
    expect(await project({ arr: { $slice: [-3, 2] }, _id: 0, name: 1 })).toEqual({ name: 'n', arr: [5, 6] });
    await expect(project({ arr: { $slice: [1, 0] } })).rejects.toMatchObject({ code: 28724 });
    await expect(project({ name: 1, other: 0 })).rejects.toMatchObject({ code: 31254 });
  });

  it('returns the first element matched by the filter for a positional projection', async () => {
    expect(await project({ 'tags.$': 1 }, { 'tags.tag': 'b' })).toEqual({ _id: 1, tags: [{ tag: 'b', n: 2 }] });
    expect(await project({ 'tags.$': 1 }, { tags: { $elemMatch: { tag: 'b', n: { $gt: 2 } } } })).toEqual({
      _id: 1,
      tags: [{ tag: 'b', n: 3 }],
    });
    expect(await project({ 'ids.$': 1, name: 1 }, { ids: { $gt: 5 } })).toEqual({ _id: 1, name: 'n', ids: [7] });
  });

  it('runs $elemMatch projections with operator-only conditions', async () => {
    expect(await project({ dates: { $elemMatch: { $gte: d(4) } } })).toEqual({ _id: 1, dates: [d(5)] });
    expect(await project({ ids: { $elemMatch: { $in: [3, 4] } } })).toEqual({ _id: 1, ids: [3] });
    expect(await project({ tags: { $elemMatch: { n: { $gte: 2 } } }, name: 1 })).toEqual({
      _id: 1,
      name: 'n',
      tags: [{ tag: 'b', n: 2 }],
    });
    expect(await project({ ids: { $elemMatch: { $gt: 100 } } })).toEqual({ _id: 1 });
  });

  it('evaluates computed fields and nested inclusions', async () => {
    expect(await project({ total: { $size: '$arr' }, label: { $concat: ['$name', '-', '$other'] }, _id: 0 })).toEqual({
      total: 7,
      label: 'n-o',
    });
    expect(await project({ 'tags.tag': 1, _id: 0 })).toEqual({ tags: [{ tag: 'a' }, { tag: 'b' }, { tag: 'b' }] });
    expect(await project({ tags: { n: 0 }, arr: 0, dates: 0, ids: 0 })).toEqual({
      _id: 1,
      name: 'n',
      other: 'o',
      tags: [{ tag: 'a' }, { tag: 'b' }, { tag: 'b' }],
    });
  });

  it('answers a projection of whole fields with their stored values: order, types, unprojected filters and sorts, every batch', async () => {
    const rows = db.collection('stored');
    await rows.insertMany(
      Array.from({ length: 250 }, (_, i) => ({
        _id: i as never,
        score: (i % 7) + 0.5,
        text: `t${i}`,
        group: i % 3,
        count: Long.fromNumber(i),
        gone: undefined,
        nested: { a: i, b: [i, `${i}`] },
      })),
      { ignoreUndefined: false },
    );
    // The filter and the sort read fields the projection leaves out; batches of 100 come through getMore.
    const cursor = rows.find(
      { group: { $in: [0, 2] } },
      { projection: { nested: 1, score: 1, count: 1, gone: 1 }, sort: { group: 1, text: -1 }, batchSize: 100 },
    );
    const docs = await cursor.toArray();
    const expected = Array.from({ length: 250 }, (_, i) => i)
      .filter((i) => i % 3 !== 1)
      .sort((a, b) => (a % 3) - (b % 3) || (`t${b}` < `t${a}` ? -1 : 1));
    expect(docs.map((d) => d._id)).toEqual(expected);
    expect(Object.keys(docs[0])).toEqual(['_id', 'score', 'count', 'gone', 'nested']);
    expect(docs[1]).toEqual({
      _id: expected[1],
      score: (expected[1] % 7) + 0.5,
      count: expected[1],
      gone: null,
      nested: { a: expected[1], b: [expected[1], `${expected[1]}`] },
    });
    // Stored types are kept: an int64 stays an int64, as MongoDB returns it.
    const typed = await rows.findOne(
      { _id: 14 as never },
      { projection: { _id: 0, score: 1, count: 1 }, promoteValues: false },
    );
    expect(typed!.score).toEqual(new Double(0.5));
    expect(typed!.count).toBeInstanceOf(Long);
    expect(await rows.findOne({ text: 't5' }, { projection: { _id: 0, text: 1 } })).toEqual({ text: 't5' });
  });
});
