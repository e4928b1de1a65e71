import { Collection, Db, Decimal128, Document, Filter, Long, MongoServerError, Sort } from 'mongodb';
import { useDriverClient } from '../../setup/mongo';

/** The _ids of the documents a filter finds, in _id order. */
const found = async (c: Collection, filter: Filter<Document> = {}, sort: Sort = { _id: 1 }) =>
  (await c.find(filter).sort(sort).toArray()).map((d) => d._id as unknown);

describe('embedded mongo queries, updates, write results and projections the product relies on, as MongoDB documents them', () => {
  const mongo = useDriverClient('semantics');
  let db: Db;

  beforeAll(() => {
    db = mongo.db;
  });

  it('matches a whole array by exact equality (order matters) or an element equal to it, and $nor negates that', async () => {
    const c = db.collection('array-equality');
    await c.insertMany([
      { _id: 1 as never, t: ['fr-CA', 'fr'] },
      { _id: 2 as never, t: ['fr', 'fr-CA'] },
      { _id: 3 as never, t: [['fr-CA', 'fr'], 'x'] },
      { _id: 4 as never, t: ['fr-CA', 'fr', 'en'] },
      { _id: 5 as never },
      { _id: 6 as never, t: 'fr-CA' },
    ]);
    expect(await found(c, { t: ['fr-CA', 'fr'] })).toEqual([1, 3]);
    // The value 't.0' reaches is an array, so its elements are compared too (not those of 't' itself).
    expect(await found(c, { 't.0': 'fr-CA' })).toEqual([1, 3, 4]);
    expect(await found(c, { t: 'fr' })).toEqual([1, 2, 4]);
    expect(await found(c, { $and: [{ t: 'fr-CA' }, { 't.0': 'fr-CA' }], $nor: [{ t: ['fr-CA', 'fr'] }] })).toEqual([4]);
    const r = await c.updateMany(
      { $and: [{ t: 'fr-CA' }, { 't.0': 'fr-CA' }], $nor: [{ t: ['fr-CA', 'fr'] }] },
      { $set: { t: ['fr-CA', 'fr'] } },
    );
    expect(r).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await c.findOne({ _id: 6 as never })).toEqual({ _id: 6, t: 'fr-CA' });
  });

  it("'a.0' with $exists tells non-empty arrays from empty or missing ones", async () => {
    const c = db.collection('exists-element');
    await c.insertMany([
      { _id: 1 as never, a: [] },
      { _id: 2 as never, a: [{ x: 1 }] },
      { _id: 3 as never },
      { _id: 4 as never, a: [null] },
    ]);
    expect(await found(c, { 'a.0': { $exists: true } })).toEqual([2, 4]);
    expect(await found(c, { 'a.0': { $exists: false } })).toEqual([1, 3]);
    expect(await found(c, { a: { $size: 0 } })).toEqual([1]);
  });

  it('$in with null and $eq null match missing fields; $ne null excludes them and arrays holding null', async () => {
    const c = db.collection('nulls');
    await c.insertMany([
      { _id: 1 as never, a: null },
      { _id: 2 as never },
      { _id: 3 as never, a: 1 },
      { _id: 4 as never, a: [null, 2] },
      { _id: 5 as never, a: [] },
      { _id: 6 as never, a: { b: 1 } },
    ]);
    expect(await found(c, { a: { $in: [null, 1] } })).toEqual([1, 2, 3, 4]);
    expect(await found(c, { a: null })).toEqual([1, 2, 4]);
    expect(await found(c, { a: { $ne: null } })).toEqual([3, 5, 6]);
    expect(await found(c, { a: { $nin: [null] } })).toEqual([3, 5, 6]);
    expect(await found(c, { 'a.b': null })).toEqual([1, 2, 3, 4, 5]);
    expect(await found(c, { 'a.b': { $exists: false } })).toEqual([1, 2, 3, 4, 5]);
  });

  it('$elemMatch holds every condition for one element, with $exists false and $or inside', async () => {
    const c = db.collection('elem-match');
    await c.insertMany([
      { _id: 1 as never, at: [{ e: 'x', skipped: true }, { e: 'y' }] },
      { _id: 2 as never, at: [{ e: 'x' }] },
      { _id: 3 as never, at: [{ e: 'x', skipped: null }] },
      {
        _id: 4 as never,
        at: [
          { e: 'x', n: 1 },
          { e: 'z', n: 5 },
        ],
      },
    ]);
    expect(await found(c, { at: { $elemMatch: { e: 'x', skipped: { $exists: false } } } })).toEqual([2, 4]);
    expect(await found(c, { at: { $elemMatch: { $or: [{ e: 'y' }, { n: { $gte: 5 } }], e: { $ne: 'x' } } } })).toEqual([
      1, 4,
    ]);
    expect(await found(c, { at: { $elemMatch: { e: { $in: ['z'] }, n: { $lt: 5 } } } })).toEqual([]);
  });

  it('sorts an array field by its smallest element ascending and largest descending, empty arrays first', async () => {
    const c = db.collection('array-sort');
    await c.insertMany([
      { _id: 1 as never, a: [3, 9] },
      { _id: 2 as never, a: [5] },
      { _id: 3 as never, a: [] },
      { _id: 4 as never, a: 4 },
      { _id: 5 as never },
      { _id: 6 as never, a: null },
    ]);
    expect(await found(c, {}, { a: 1, _id: 1 })).toEqual([3, 5, 6, 1, 4, 2]);
    expect(await found(c, {}, { a: -1, _id: 1 })).toEqual([1, 2, 4, 5, 6, 3]);
  });

  it('$inc creates a missing nested path, $min/$max on dates set a missing field and keep the earlier/later one', async () => {
    const c = db.collection('inc-min-max');
    const early = new Date('2026-01-01T00:00:00Z');
    const late = new Date('2026-02-01T00:00:00Z');
    await c.insertOne({ _id: 1 as never });
    await c.updateOne(
      { _id: 1 as never },
      { $inc: { 'values.clicks': -1 }, $min: { 'r.first': late }, $max: { last: early } },
    );
    await c.updateOne({ _id: 1 as never }, { $min: { 'r.first': early }, $max: { last: late } });
    const noop = await c.updateOne({ _id: 1 as never }, { $min: { 'r.first': late }, $max: { last: early } });
    expect(noop.modifiedCount).toBe(0);
    expect(await c.findOne({ _id: 1 as never })).toEqual({
      _id: 1,
      last: late,
      r: { first: early },
      values: { clicks: -1 },
    });
  });

  it('$addToSet with $each adds each missing value once; $push with $each and a negative $slice keeps the last ones', async () => {
    const c = db.collection('add-push');
    await c.insertOne({ _id: 1 as never, s: ['a'], p: [1, 2] });
    await c.updateOne({ _id: 1 as never }, {
      $addToSet: { s: { $each: ['b', 'a', 'b'] }, n: 'x' },
      $push: { p: { $each: [3, 4], $slice: -3 }, q: { $each: [1], $slice: -2 } },
    } as never);
    expect(await c.findOne({ _id: 1 as never })).toEqual({ _id: 1, s: ['a', 'b'], p: [2, 3, 4], n: ['x'], q: [1] });
    // Documents are equal only with the same fields in the same order.
    await c.updateOne({ _id: 1 as never }, { $set: { d: [{ a: 1, b: 2 }] } });
    await c.updateOne({ _id: 1 as never }, {
      $addToSet: {
        d: {
          $each: [
            { b: 2, a: 1 },
            { a: 1, b: 2 },
          ],
        },
      },
    } as never);
    expect((await c.findOne({ _id: 1 as never }))!.d).toEqual([
      { a: 1, b: 2 },
      { b: 2, a: 1 },
    ]);
  });

  it('an upsert builds its document from the equalities of the filter (dotted, $eq, $and), not from $elemMatch or ranges', async () => {
    const c = db.collection('upserts');
    const at = new Date('2026-03-01T00:00:00Z');
    const res = await c.findOneAndUpdate(
      {
        userId: 'u',
        'key.exp': 'e1',
        n: { $eq: 2 },
        $and: [{ m: 3 }],
        r: { $gt: 1 },
        list: { $elemMatch: { a: 1 } },
      },
      {
        $setOnInsert: { createdAt: at },
        $push: { exposures: { $each: [at], $slice: -5 } } as never,
        $min: { first: at },
      },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(res.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false });
    const { _id, ...rest } = res.value!;
    expect(_id).toBeDefined();
    expect(rest).toEqual({
      userId: 'u',
      key: { exp: 'e1' },
      n: 2,
      m: 3,
      createdAt: at,
      exposures: [at],
      first: at,
    });
    const again = await c.findOneAndUpdate(
      { userId: 'u' },
      { $setOnInsert: { createdAt: new Date(0) }, $push: { exposures: { $each: [at], $slice: -1 } } as never },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(again.lastErrorObject).toMatchObject({ n: 1, updatedExisting: true });
    expect(again.value).toMatchObject({ createdAt: at, exposures: [at] });
  });

  it('an upsert takes an $in of one value and an $or of one branch as equalities, as MongoDB simplifies them', async () => {
    const c = db.collection('upsert-simplified');
    await c.updateOne(
      {
        k: 1,
        one: { $in: ['only'] },
        twice: { $in: [2, 2] },
        $or: [{ branch: 'b', 'x.y': 1 }],
        none: null,
        many: { $in: [1, 2] },
      },
      { $set: { v: 1 } },
      { upsert: true },
    );
    await c.updateOne(
      { k: 2, $or: [{ a: 1 }, { a: 2 }], re: { $in: [/x/] }, 'n.0': 'z' },
      { $set: { v: 2 } },
      { upsert: true },
    );
    expect(
      await c
        .find({}, { projection: { _id: 0 } })
        .sort({ k: 1 })
        .toArray(),
    ).toEqual([
      { k: 1, one: 'only', twice: 2, branch: 'b', x: { y: 1 }, none: null, v: 1 },
      { k: 2, n: { '0': 'z' }, v: 2 },
    ]);
  });

  it('$pull removes elements matching a value or a document condition (extra fields included), no-op on a missing field', async () => {
    const c = db.collection('pull');
    await c.insertOne({
      _id: 1 as never,
      sample: ['u1', 'u2', 'u1'],
      worst: [{ userId: 'u1', g: 1 }, { userId: 'u2' }],
      nested: [['u1'], 'u1'],
    });
    await c.updateOne({ _id: 1 as never }, {
      $pull: {
        sample: 'u1',
        worst: { userId: 'u1' },
        nested: 'u1',
        gone: 'u1',
      },
    } as never);
    expect(await c.findOne({ _id: 1 as never })).toEqual({
      _id: 1,
      sample: ['u2'],
      worst: [{ userId: 'u2' }],
      nested: [['u1']],
    });
    const missing = await c.updateOne({ _id: 1 as never }, { $pull: { other: 'x' } } as never);
    expect(missing).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
  });

  it('positional $ updates the first element the filter matched; $[] every element; $[id] the arrayFilters matches', async () => {
    const c = db.collection('positional');
    await c.insertOne({
      _id: 1 as never,
      tags: ['a', 'b', 'b'],
      unsent: [
        { state: 'pending', n: 1 },
        { state: 'sent', n: 2 },
        { state: 'pending', n: 3 },
      ],
    });
    await c.updateOne({ _id: 1 as never, tags: 'b' }, { $set: { 'tags.$': 'B' } });
    await c.updateOne({ _id: 1 as never, 'unsent.n': { $gt: 1 } }, { $inc: { 'unsent.$.n': 10 } });
    await c.updateOne(
      { _id: 1 as never },
      { $set: { 'unsent.$[u].state': 'cancelled' } },
      { arrayFilters: [{ 'u.state': 'pending' }] },
    );
    await c.updateOne({ _id: 1 as never }, { $set: { 'unsent.$[].seen': true } });
    expect(await c.findOne({ _id: 1 as never })).toEqual({
      _id: 1,
      tags: ['a', 'B', 'b'],
      unsent: [
        { state: 'cancelled', n: 1, seen: true },
        { state: 'sent', n: 12, seen: true },
        { state: 'cancelled', n: 3, seen: true },
      ],
    });
  });

  it('distinct unwinds arrays and returns each value once; bulkWrite upserts report their ids by index', async () => {
    const c = db.collection('distinct-bulk');
    await c.insertMany([
      { _id: 1 as never, m: { r: ['x', 'y'] } },
      { _id: 2 as never, m: { r: 'x' } },
      { _id: 3 as never, m: [{ r: 'z' }] },
      { _id: 4 as never },
    ]);
    expect((await c.distinct('m.r')).sort()).toEqual(['x', 'y', 'z']);
    expect(await c.distinct('m.r', { 'm.r': { $in: ['y'] } })).toEqual(['x', 'y']);
    const bulk = await c.bulkWrite(
      [
        { updateOne: { filter: { _id: 1 as never }, update: { $set: { k: 1 } }, upsert: true } },
        { updateOne: { filter: { _id: 9 as never }, update: { $setOnInsert: { k: 2 } }, upsert: true } },
        { updateOne: { filter: { key: 'new' }, update: { $set: { k: 3 } }, upsert: true } },
      ],
      { ordered: false },
    );
    expect(bulk.upsertedCount).toBe(2);
    expect(bulk.matchedCount).toBe(1);
    expect(Object.keys(bulk.upsertedIds)).toEqual(['1', '2']);
    expect(bulk.upsertedIds[1]).toBe(9);
    expect(await c.findOne({ key: 'new' }, { projection: { _id: 0 } })).toEqual({ key: 'new', k: 3 });
  });

  it('$expr compares an array size with a field', async () => {
    const c = db.collection('expr-size');
    await c.insertMany([
      { _id: 1 as never, done: [1, 2], count: 2 },
      { _id: 2 as never, done: [1], count: 2 },
    ]);
    expect(await found(c, { $expr: { $gte: [{ $size: '$done' }, '$count'] } })).toEqual([1]);
  });

  it('$size of a missing or non-array value fails the command (17124) in $expr, updates and $project, instead of matching nothing', async () => {
    const c = db.collection('size-not-array');
    await c.insertMany([
      { _id: 1 as never, done: [1], count: 2 },
      { _id: 2 as never, count: 2 },
      { _id: 3 as never, done: 'x', count: 2 },
    ]);
    const bySize = { $expr: { $gte: [{ $size: '$done' }, '$count'] } };
    const failure = { code: 17124, codeName: 'Location17124' };
    await expect(c.find(bySize).toArray()).rejects.toMatchObject(failure);
    await expect(c.updateOne({ _id: 2 as never, ...bySize }, { $set: { done: [] } })).rejects.toMatchObject(failure);
    await expect(
      c.aggregate([{ $match: { _id: 3 } }, { $project: { n: { $size: '$done' } } }]).toArray(),
    ).rejects.toMatchObject(failure);
    expect(await c.aggregate([{ $match: { _id: 1 } }, { $project: { n: { $size: '$done' } } }]).toArray()).toEqual([
      { _id: 1, n: 1 },
    ]);
  });

  it('expression comparisons follow BSON order across types, and a missing field is its own value below null', async () => {
    const c = db.collection('expression-compare');
    await c.insertMany([
      { _id: 1 as never, a: 5, d: new Date(0), s: 'x', arr: [1, 2], dec: Decimal128.fromString('5') },
      { _id: 2 as never, a: null },
      { _id: 3 as never },
    ]);
    const projected = await c
      .aggregate([
        {
          $project: {
            aGtNull: { $gt: ['$a', null] },
            dGtNull: { $gt: ['$d', null] },
            dGt5: { $gt: ['$d', 5] },
            xGt5: { $gt: ['x', 5] },
            aGtMissing: { $gt: ['$a', '$nope'] },
            aEqNull: { $eq: ['$a', null] },
            aNeNull: { $ne: ['$a', null] },
            aLteNull: { $lte: ['$a', null] },
            aGteNull: { $gte: ['$a', null] },
            aLtNull: { $lt: ['$a', null] },
            aEqMissing: { $eq: ['$a', '$nope'] },
            aCmpNull: { $cmp: ['$a', null] },
            arrEq2: { $eq: ['$arr', 2] },
            arrLt: { $lt: ['$arr', [1, 3]] },
            objLtArr: { $lt: [{ z: 1 }, [0]] },
            decEq5: { $eq: ['$dec', 5] },
            when: { $cond: [{ $gt: ['$d', 5] }, 'dated', 'undated'] },
          },
        },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(projected).toEqual([
      {
        _id: 1,
        aGtNull: true,
        dGtNull: true,
        dGt5: true,
        xGt5: true,
        aGtMissing: true,
        aEqNull: false,
        aNeNull: true,
        aLteNull: false,
        aGteNull: true,
        aLtNull: false,
        aEqMissing: false,
        aCmpNull: 1,
        arrEq2: false,
        arrLt: true,
        objLtArr: true,
        decEq5: true,
        when: 'dated',
      },
      {
        _id: 2,
        aGtNull: false,
        dGtNull: false,
        dGt5: false,
        xGt5: true,
        aGtMissing: true,
        aEqNull: true,
        aNeNull: false,
        aLteNull: true,
        aGteNull: true,
        aLtNull: false,
        aEqMissing: false,
        aCmpNull: 0,
        arrEq2: false,
        arrLt: true,
        objLtArr: true,
        decEq5: false,
        when: 'undated',
      },
      {
        _id: 3,
        aGtNull: false,
        dGtNull: false,
        dGt5: false,
        xGt5: true,
        aGtMissing: false,
        aEqNull: false,
        aNeNull: true,
        aLteNull: true,
        aGteNull: false,
        aLtNull: true,
        aEqMissing: true,
        aCmpNull: -1,
        arrEq2: false,
        arrLt: true,
        objLtArr: true,
        decEq5: false,
        when: 'undated',
      },
    ]);
    expect(await found(c, { $expr: { $gt: ['$a', null] } })).toEqual([1]);
    expect(await found(c, { $expr: { $eq: ['$a', null] } })).toEqual([2]);
    expect(await found(c, { $expr: { $gt: ['$d', 5] } })).toEqual([1]);
    expect(await c.aggregate([{ $match: { $expr: { $ne: ['$a', null] } } }, { $count: 'n' }]).toArray()).toEqual([
      { n: 2 },
    ]);
    const r = await c.updateMany({ $expr: { $eq: ['$a', '$nope'] } }, { $set: { flagged: true } });
    expect(r).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await found(c, { flagged: true })).toEqual([3]);
  });

  it('expression comparisons compare strings under the collation of the command', async () => {
    const c = db.collection('expression-collation');
    await c.insertMany([
      { _id: 1 as never, s: 'x' },
      { _id: 2 as never, s: 'Y' },
    ]);
    const collation = { locale: 'en', strength: 2 };
    expect(await c.find({ $expr: { $eq: ['$s', 'X'] } }, { collation }).toArray()).toEqual([{ _id: 1, s: 'x' }]);
    expect(await found(c, { $expr: { $eq: ['$s', 'X'] } })).toEqual([]);
    const projected = await c
      .aggregate([{ $project: { lt: { $lt: ['$s', 'y'] } } }, { $sort: { _id: 1 } }], { collation })
      .toArray();
    expect(projected).toEqual([
      { _id: 1, lt: true },
      { _id: 2, lt: false },
    ]);
    // Without a collation 'Y' sorts before 'y' by code point.
    expect(
      (await c.aggregate([{ $project: { lt: { $lt: ['$s', 'y'] } } }, { $sort: { _id: 1 } }]).toArray())[1],
    ).toEqual({ _id: 2, lt: true });
    const computed = await c
      .find({}, { collation, projection: { isX: { $eq: ['$s', 'X'] } } })
      .sort({ _id: 1 })
      .toArray();
    expect(computed).toEqual([
      { _id: 1, isX: true },
      { _id: 2, isX: false },
    ]);
    await c.updateMany({}, [{ $set: { isY: { $eq: ['$s', 'y'] } } }], { collation });
    expect(await found(c, { isY: true })).toEqual([2]);
    const grouped = await c
      .aggregate([{ $group: { _id: null, xs: { $sum: { $cond: [{ $eq: ['$s', 'X'] }, 1, 0] } } } }], { collation })
      .toArray();
    expect(grouped).toEqual([{ _id: null, xs: 1 }]);
  });

  it('$max and $min expressions and accumulators skip null and missing values and otherwise follow BSON order', async () => {
    const c = db.collection('expression-extremes');
    await c.insertMany([
      { _id: 1 as never, a: 5, d: new Date(0), arr: [3, 'x', null], m: 5 },
      { _id: 2 as never, a: null, m: 'x' },
      { _id: 3 as never, m: true },
    ]);
    const projected = await c
      .aggregate([
        {
          $project: {
            hi: { $max: ['$a', 'x', '$d'] },
            lo: { $min: ['$a', '$nope'] },
            hiOfArray: { $max: '$arr' },
            loOfArray: { $min: '$arr' },
            hiOfScalar: { $max: '$a' },
            hiMixed: { $max: [5, 'x', true] },
            loMixed: { $min: [true, 'x', 5] },
          },
        },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(projected).toEqual([
      { _id: 1, hi: new Date(0), lo: 5, hiOfArray: 'x', loOfArray: 3, hiOfScalar: 5, hiMixed: true, loMixed: 5 },
      { _id: 2, hi: 'x', lo: null, hiOfArray: null, loOfArray: null, hiOfScalar: null, hiMixed: true, loMixed: 5 },
      { _id: 3, hi: 'x', lo: null, hiOfArray: null, loOfArray: null, hiOfScalar: null, hiMixed: true, loMixed: 5 },
    ]);
    expect(await c.aggregate([{ $group: { _id: null, hi: { $max: '$m' }, lo: { $min: '$m' } } }]).toArray()).toEqual([
      { _id: null, hi: true, lo: 5 },
    ]);
    // $bucket's accumulators run in the expression evaluator rather than in $group.
    const buckets = await c
      .aggregate([
        { $bucket: { groupBy: '$_id', boundaries: [1, 10], output: { hi: { $max: '$m' }, lo: { $min: '$m' } } } },
      ])
      .toArray();
    expect(buckets).toEqual([{ _id: 1, hi: true, lo: 5 }]);
  });

  it('counts an update as modified only when the stored document changes', async () => {
    const c = db.collection('modified');
    const at = new Date('2026-04-01T00:00:00Z');
    await c.insertOne({ _id: 1 as never, s: 'a', d: at, counts: { a: 1, b: 2 }, set: ['x'], log: [1, 2] });
    const same = async (update: object) => (await c.updateOne({ _id: 1 as never }, update)).modifiedCount;
    expect(await same({ $set: { s: 'a', d: new Date(at), counts: { a: 1, b: 2 } } })).toBe(0);
    expect(await same({ $unset: { missing: 1 } })).toBe(0);
    expect(await same({ $addToSet: { set: 'x' } })).toBe(0);
    expect(await same({ $pull: { set: 'y' } })).toBe(0);
    expect(await same({ $min: { d: new Date('2026-05-01T00:00:00Z') } })).toBe(0);
    expect(await same({ $max: { d: new Date(0) } })).toBe(0);
    expect(await same({ $push: { log: { $each: [], $slice: -5 } } })).toBe(0);
    expect(await same({ $set: { counts: { b: 2, a: 1 } } })).toBe(1);
    expect(await same({ $push: { log: { $each: [3], $slice: -2 } } })).toBe(1);
    expect((await c.findOne({ _id: 1 as never }))!.log).toEqual([2, 3]);
  });

  it('updates array elements by index in filter and update, and skips $[id] elements no filter matches', async () => {
    const c = db.collection('indexed-targets');
    await c.insertOne({
      _id: 1 as never,
      state: 'queued',
      targets: [{ state: 'pending' }, { state: 'accepted' }, { state: 'pending' }],
    });
    const bulk = await c.bulkWrite(
      [0, 1].map((index) => ({
        updateOne: {
          filter: { _id: 1 as never, state: 'queued', [`targets.${index}.state`]: 'pending' },
          update: { $set: { [`targets.${index}.state`]: 'skipped', [`targets.${index}.reason`]: 'gone' } },
        },
      })),
      { ordered: false },
    );
    expect(bulk).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    const end = await c.updateOne(
      { _id: 1 as never, state: 'queued' },
      { $set: { state: 'failed', 'targets.$[unsent].state': 'skipped', 'targets.$[unsent].reason': 'failed' } },
      { arrayFilters: [{ 'unsent.state': 'pending' }] },
    );
    expect(end.modifiedCount).toBe(1);
    expect((await c.findOne({ _id: 1 as never }))!.targets).toEqual([
      { state: 'skipped', reason: 'gone' },
      { state: 'accepted' },
      { state: 'skipped', reason: 'failed' },
    ]);
    await c.insertOne({ _id: 2 as never, state: 'queued' });
    await expect(
      c.updateOne(
        { _id: 2 as never },
        { $set: { state: 'failed', 'targets.$[unsent].state': 'skipped' } },
        { arrayFilters: [{ 'unsent.state': 'pending' }] },
      ),
    ).rejects.toMatchObject({ code: 2 });
  });

  it('a $slice beside included fields keeps only those fields and the sliced array', async () => {
    const c = db.collection('slice-projection');
    await c.insertOne({ _id: 1 as never, n: 'a', when: 1, other: 2, attempts: [{ i: 1 }, { i: 2 }] });
    await c.insertOne({ _id: 2 as never, n: 'b', other: 2 });
    expect(
      await c
        .find({}, { projection: { _id: 0, n: 1, when: 1, attempts: { $slice: 1 } } })
        .sort({ n: 1 })
        .toArray(),
    ).toEqual([{ n: 'a', when: 1, attempts: [{ i: 1 }] }, { n: 'b' }]);
  });

  it('findOneAndUpdate applies its sort to choose the document and returns it before or after', async () => {
    const c = db.collection('fam');
    await c.insertMany([
      { _id: 1 as never, q: 'x', p: 2 },
      { _id: 2 as never, q: 'x', p: 1 },
      { _id: 3 as never, q: 'y', p: 0 },
    ]);
    const before = await c.findOneAndUpdate(
      { q: 'x' },
      { $inc: { p: 10 } },
      { sort: { p: 1 }, returnDocument: 'before' },
    );
    expect(before).toEqual({ _id: 2, q: 'x', p: 1 });
    const after = await c.findOneAndUpdate(
      { q: 'x' },
      { $set: { taken: true } },
      { sort: { p: -1 }, returnDocument: 'after', projection: { _id: 1, taken: 1 } },
    );
    expect(after).toEqual({ _id: 2, taken: true });
    expect(await c.findOneAndUpdate({ q: 'z' }, { $set: { taken: true } })).toBeNull();
  });
  it('$not of a range matches missing, null and other types; $nin on an array field holds when no element is listed', async () => {
    const c = db.collection('not-nin');
    const cut = new Date('2026-01-10T00:00:00Z');
    await c.insertMany([
      { _id: 1 as never, endsAt: new Date('2026-01-01T00:00:00Z'), u: ['a', 'b'] },
      { _id: 2 as never, endsAt: new Date('2026-02-01T00:00:00Z'), u: [] },
      { _id: 3 as never, endsAt: null, u: 'c' },
      { _id: 4 as never },
      { _id: 5 as never, endsAt: 5, u: ['c', 'd'] },
      { _id: 6 as never, endsAt: [new Date('2026-02-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z')] },
    ]);
    expect(await found(c, { endsAt: { $not: { $lte: cut } } })).toEqual([2, 3, 4, 5]);
    expect(await found(c, { u: { $nin: ['a', 'c'] } })).toEqual([2, 4, 6]);
    expect(await found(c, { u: { $in: ['b', 'd'] } })).toEqual([1, 5]);
    expect(
      (await c.deleteMany({ _id: { $in: [1, 2, 3] as never[] }, endsAt: { $not: { $gte: cut } } })).deletedCount,
    ).toBe(2);
  });

  it('$elemMatch holds an $in and a $nin on an array inside the same element, beside an $or and a negated range', async () => {
    const c = db.collection('journey-facts');
    const at = new Date('2026-01-10T00:00:00Z');
    await c.insertMany([
      { _id: 1 as never, j: [{ stage: 'ongoing', terms: ['run', 'shoes'], sensitive: false, confidence: 0.9 }] },
      { _id: 2 as never, j: [{ stage: 'ongoing', terms: ['run', 'debt'], sensitive: false, confidence: 0.9 }] },
      {
        _id: 3 as never,
        j: [
          { stage: 'ongoing', terms: ['run'], sensitive: true, confidence: 0.9 },
          { stage: 'ongoing', terms: ['bike'], sensitive: false, confidence: 0.9 },
        ],
      },
      { _id: 4 as never, j: [{ stage: 'ongoing', terms: ['run'], sensitive: false, confidence: 0.2 }] },
      {
        _id: 5 as never,
        j: [{ stage: 'ongoing', endsAt: new Date(0), terms: ['run'], sensitive: false, confidence: 1 }],
      },
      { _id: 6 as never, j: [{ stage: 'ended', terms: ['run'], sensitive: false, confidence: 1 }] },
    ]);
    const elem = { sensitive: false, confidence: { $gte: 0.5 }, terms: { $in: ['run'], $nin: ['debt'] } };
    expect(
      await found(c, { j: { $elemMatch: { stage: 'ongoing', endsAt: { $not: { $lte: at } }, ...elem } } }),
    ).toEqual([1]);
    expect(
      await found(c, { j: { $elemMatch: { $or: [{ stage: 'ended' }, { endsAt: { $lte: at } }], ...elem } } }),
    ).toEqual([5, 6]);
  });
  it('an upsert applies $setOnInsert and $inc over the equalities it starts from, and not on an update', async () => {
    const c = db.collection('upsert-operators');
    await c.updateOne({ e: 'x', day: 'd' }, { $inc: { assigned: 1, 'splits.s1': 1 } }, { upsert: true });
    await c.updateOne({ e: 'x', day: 'd' }, { $inc: { assigned: 1, 'splits.s2': 1 } }, { upsert: true });
    await c.updateOne({ k: 1 }, { $setOnInsert: { k: 2, at: 1 } }, { upsert: true });
    await c.updateOne({ k: 2 }, { $setOnInsert: { at: 9 }, $set: { seen: true } }, { upsert: true });
    expect(await c.find({}, { projection: { _id: 0 } }).toArray()).toEqual([
      { e: 'x', day: 'd', assigned: 2, splits: { s1: 1, s2: 1 } },
      { k: 2, at: 1, seen: true },
    ]);
  });

  it('bulk upserts run in order: a second upsert of a key the batch inserted updates that document', async () => {
    const c = db.collection('bulk-upserts');
    await c.createIndex({ userId: 1 }, { unique: true });
    const early = new Date('2026-01-01T00:00:00Z');
    const late = new Date('2026-01-02T00:00:00Z');
    const upsert = (userId: string, at: Date) => ({
      updateOne: {
        filter: { userId },
        update: { $max: { lastActiveAt: at }, $setOnInsert: { sampleKey: userId.length } },
        upsert: true,
      },
    });
    const result = await c.bulkWrite(
      [upsert('u1', early), upsert('u1', late), upsert('u1', early), upsert('u22', late)],
      {
        ordered: false,
      },
    );
    expect(result).toMatchObject({ upsertedCount: 2, matchedCount: 2, modifiedCount: 1 });
    expect(
      await c
        .find({}, { projection: { _id: 0 } })
        .sort({ userId: 1 })
        .toArray(),
    ).toEqual([
      { userId: 'u1', lastActiveAt: late, sampleKey: 2 },
      { userId: 'u22', lastActiveAt: late, sampleKey: 3 },
    ]);
  });
  it('$group leaves a missing field out of a compound _id, and $min/$max skip null and missing values', async () => {
    const c = db.collection('grouped');
    const d1 = new Date('2026-01-01T00:00:00Z');
    const d2 = new Date('2026-01-02T00:00:00Z');
    await c.insertMany([
      { state: 'failed', reason: { code: 'bounce' }, shard: 1, sendAt: d2 },
      { state: 'failed', reason: { code: 'bounce' }, shard: 1, sendAt: null },
      { state: 'failed', shard: 1, sendAt: d1 },
      { state: 'failed', reason: { code: null }, shard: 2 },
      { state: 'sent', reason: {}, shard: 2, sendAt: null },
    ]);
    const byKey = await c
      .aggregate([
        { $group: { _id: { state: '$state', reason: '$reason.code' }, n: { $sum: 1 } } },
        { $sort: { n: -1, _id: 1 } },
      ])
      .toArray();
    expect(byKey).toEqual([
      { _id: { state: 'failed', reason: 'bounce' }, n: 2 },
      { _id: { state: 'failed' }, n: 1 },
      { _id: { state: 'failed', reason: null }, n: 1 },
      { _id: { state: 'sent' }, n: 1 },
    ]);
    const byShard = await c
      .aggregate([
        { $group: { _id: '$shard', sendAt: { $min: '$sendAt' }, last: { $max: '$sendAt' } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(byShard).toEqual([
      { _id: 1, sendAt: d1, last: d2 },
      { _id: 2, sendAt: null, last: null },
    ]);
    expect(await c.aggregate([{ $group: { _id: '$missing', n: { $sum: 1 } } }]).toArray()).toEqual([
      { _id: null, n: 5 },
    ]);
  });
  // No two documents tie on a: MongoDB leaves the order of ties open.
  it('a sort read through an index orders arrays, empty arrays and missing values as a sort without one', async () => {
    const docs = [
      { _id: 1, a: [3, 9] },
      { _id: 2, a: [5] },
      { _id: 3, a: [] },
      { _id: 4, a: 4 },
      { _id: 5 },
      { _id: 7, a: 'x' },
      { _id: 8, a: new Date(0) },
      { _id: 9, a: [2, 7] },
    ];
    const plain = db.collection('sort-plain');
    const indexed = db.collection('sort-indexed');
    await indexed.createIndex({ a: 1 });
    for (const c of [plain, indexed]) await c.insertMany(docs.map((d) => ({ ...d }) as never));
    for (const [sort, limit] of [
      [{ a: 1 }, 0],
      [{ a: -1 }, 0],
      [{ a: 1 }, 3],
      [{ a: -1 }, 3],
    ] as const) {
      for (const filter of [{}, { a: { $gte: 4 } }]) {
        const read = async (c: Collection) =>
          (await c.find(filter).sort(sort).limit(limit).toArray()).map((d) => d._id);
        expect(await read(indexed)).toEqual(await read(plain));
      }
    }
    expect(await found(plain, {}, { a: 1 })).toEqual([3, 5, 9, 1, 4, 2, 7, 8]);
    expect(await found(plain, {}, { a: -1 })).toEqual([8, 7, 1, 9, 2, 4, 5, 3]);
  });
  it('filters read through a multikey index (hinted) find what a scan finds: whole arrays, nested arrays, null, missing, $ne', async () => {
    const docs = [
      { _id: 1, t: ['fr-CA', 'fr'] },
      { _id: 2, t: ['fr', 'fr-CA'] },
      { _id: 3, t: [['fr-CA', 'fr'], 'x'] },
      { _id: 4, t: 'fr-CA' },
      { _id: 5 },
      { _id: 6, t: null },
      { _id: 7, t: [] },
      { _id: 8, t: [null, 'fr'] },
      { _id: 9, t: [[]] },
    ];
    const plain = db.collection('multikey-plain');
    const indexed = db.collection('multikey-indexed');
    await indexed.createIndex({ t: 1 });
    for (const c of [plain, indexed]) await c.insertMany(docs.map((d) => ({ ...d }) as never));
    const filters: Filter<Document>[] = [
      { t: ['fr-CA', 'fr'] },
      { t: { $in: [['fr-CA', 'fr'], 'x'] } },
      { t: { $ne: ['fr-CA', 'fr'] } },
      { t: 'fr-CA' },
      { t: null },
      { t: { $in: [null, 'fr'] } },
      { t: { $ne: null } },
      { t: { $exists: false } },
      { t: [] },
      { t: { $in: [[]] } },
      { t: { $gte: 'fr' } },
      { t: { $lt: 'g', $gt: 'e' } },
      { 't.0': 'fr-CA' },
      { $and: [{ t: 'fr-CA' }, { 't.0': 'fr-CA' }], $nor: [{ t: ['fr-CA', 'fr'] }] },
    ];
    for (const filter of filters) {
      const viaIndex = (await indexed.find(filter).hint({ t: 1 }).sort({ _id: 1 }).toArray()).map((d) => d._id);
      expect({ filter, ids: viaIndex }).toEqual({ filter, ids: await found(plain, filter) });
    }
    expect(await found(plain, { t: [] })).toEqual([7, 9]);
    expect(await found(plain, { t: { $ne: null } })).toEqual([1, 2, 3, 4, 7, 9]);
  });

  it('$in, $indexOfArray and the set expressions use BSON equality: numbers across types, documents field by field in order, strings under the collation', async () => {
    const c = db.collection('expression-sets');
    const one = Decimal128.fromString('1');
    await c.insertMany([
      { _id: 1 as never, d: one, l: Long.fromNumber(2, false), o: { a: 1, b: 2 }, s: 'X' },
      { _id: 2 as never, d: 3, o: { b: 2, a: 1 } },
    ]);
    const rows = await c
      .aggregate([
        {
          $project: {
            decimalIn: { $in: ['$d', [1, 2]] },
            longIn: { $in: ['$l', [Decimal128.fromString('2')]] },
            documentIn: { $in: ['$o', [{ a: 1, b: 2 }]] },
            missingIn: { $in: ['$missing', [null]] },
            index: { $indexOfArray: [[0, 2.0, '$d'], 1] },
            union: {
              $setUnion: [
                [1, '$l', 2],
                ['$d', { a: 1, b: 2 }, { b: 2, a: 1 }],
              ],
            },
            common: {
              $setIntersection: [
                [1, 2, '$o'],
                ['$d', Long.fromNumber(2), { a: 1, b: 2 }],
              ],
            },
            left: {
              $setDifference: [
                ['$d', 2, 4],
                [1, Long.fromNumber(2)],
              ],
            },
            subset: {
              $setIsSubset: [
                ['$d', 2.0],
                [1, 2, 5],
              ],
            },
            same: {
              $setEquals: [
                ['$d', 2, 2.0],
                [Decimal128.fromString('2.0'), 1],
              ],
            },
            anyOfMissing: { $setUnion: [[1], '$missing'] },
          },
        },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(rows).toEqual([
      {
        _id: 1,
        decimalIn: true,
        longIn: true,
        documentIn: true,
        missingIn: false,
        index: 2,
        union: [1, 2, { a: 1, b: 2 }, { b: 2, a: 1 }],
        common: [1, 2, { a: 1, b: 2 }],
        left: [4],
        subset: true,
        same: true,
        anyOfMissing: null,
      },
      {
        _id: 2,
        decimalIn: false,
        longIn: false,
        documentIn: false,
        missingIn: false,
        index: -1,
        union: [1, null, 2, 3, { a: 1, b: 2 }, { b: 2, a: 1 }],
        common: [2],
        left: [3, 4],
        subset: false,
        same: false,
        anyOfMissing: null,
      },
    ]);
    const collation = { locale: 'en', strength: 2 };
    expect(
      await c
        .find(
          { $expr: { $in: ['$s', ['x']] } },
          {
            collation,
            projection: {
              _id: 1,
              common: {
                $setIntersection: [
                  ['$s', 'y'],
                  ['x', 'Y'],
                ],
              },
            },
          },
        )
        .toArray(),
    ).toEqual([{ _id: 1, common: ['X', 'y'] }]);
    expect(await c.countDocuments({ $expr: { $in: ['$s', ['x']] } })).toBe(0);
  });

  it('$sortArray orders values and documents in BSON order across number types', async () => {
    const c = db.collection('sort-array');
    await c.insertOne({
      _id: 1 as never,
      values: [2, Decimal128.fromString('1'), 'x', null, 1.5, { a: 1 }, Long.fromNumber(3)],
      docs: [{ k: 2 }, { k: Decimal128.fromString('1.5') }, { k: 'a' }, {}, { k: Long.fromNumber(3) }],
    });
    const [row] = await c
      .aggregate([
        {
          $project: {
            _id: 0,
            up: { $sortArray: { input: '$values', sortBy: 1 } },
            down: { $sortArray: { input: '$values', sortBy: -1 } },
            byK: { $sortArray: { input: '$docs', sortBy: { k: 1 } } },
          },
        },
      ])
      .toArray();
    expect(row.up).toEqual([null, Decimal128.fromString('1'), 1.5, 2, 3, 'x', { a: 1 }]);
    expect(row.down).toEqual([{ a: 1 }, 'x', 3, 2, 1.5, Decimal128.fromString('1'), null]);
    expect(row.byK).toEqual([{}, { k: Decimal128.fromString('1.5') }, { k: 2 }, { k: 3 }, { k: 'a' }]);
  });

  it("$in without an array and set expressions over non-arrays fail the command with MongoDB's codes", async () => {
    const c = db.collection('expression-set-errors');
    await c.insertOne({ _id: 1 as never, s: 'x' });
    const codeOf = async (expr: Document) =>
      c
        .aggregate([{ $project: { v: expr } }])
        .toArray()
        .then(
          () => 0,
          (e: unknown) => (e instanceof MongoServerError ? e.code : -1),
        );
    expect(await codeOf({ $in: [1, '$missing'] })).toBe(40081);
    expect(await codeOf({ $setUnion: [[1], '$s'] })).toBe(17043);
    expect(await codeOf({ $setIntersection: ['$s', [1]] })).toBe(17047);
    expect(await codeOf({ $setDifference: [[1], '$s'] })).toBe(17049);
    expect(await codeOf({ $setIsSubset: [null, [1]] })).toBe(17046);
    expect(await codeOf({ $setEquals: [[1], '$missing'] })).toBe(17044);
  });

  it('$and, $or, $not, $cond, $switch, $filter and $anyElementTrue/$allElementsTrue take only false, null, missing and zeros of any number type as false', async () => {
    const c = db.collection('expression-truth');
    await c.insertOne({
      _id: 1 as never,
      d0: Decimal128.fromString('0'),
      l0: Long.fromNumber(0),
      s: '',
      a: [],
      nan: NaN,
    });
    const [row] = await c
      .aggregate([
        {
          $project: {
            _id: 0,
            and: { $and: ['$s', '$a', '$nan'] },
            andDecimalZero: { $and: [true, '$d0'] },
            or: { $or: ['$d0', '$l0', '$missing', null, 0] },
            notEmptyString: { $not: ['$s'] },
            notDecimalZero: { $not: '$d0' },
            cond: { $cond: ['$d0', 'yes', 'no'] },
            condObject: { $cond: { if: '$s', then: 'yes', else: 'no' } },
            switch: {
              $switch: {
                branches: [
                  { case: '$d0', then: 'zero' },
                  { case: '$s', then: 'empty' },
                ],
                default: 'none',
              },
            },
            any: { $anyElementTrue: [['$d0', '$l0', 0, null]] },
            all: { $allElementsTrue: [['$s', '$a', 1]] },
            filtered: { $filter: { input: ['$d0', '$s', 0, '$nan', 'x'], as: 'v', cond: '$$v', limit: 2 } },
            above: { $filter: { input: [1, 2, 3], cond: { $gt: ['$$this', { $add: ['$l0', 1] }] } } },
          },
        },
      ])
      .toArray();
    expect(row).toEqual({
      and: true,
      andDecimalZero: false,
      or: false,
      notEmptyString: false,
      notDecimalZero: true,
      cond: 'no',
      condObject: 'yes',
      switch: 'empty',
      any: false,
      all: true,
      filtered: ['', NaN],
      above: [2, 3],
    });
    const noBranch = await c
      .aggregate([{ $project: { v: { $switch: { branches: [{ case: '$d0', then: 1 }] } } } }])
      .toArray()
      .then(
        () => 0,
        (e: unknown) => (e instanceof MongoServerError ? e.code : -1),
      );
    expect(noBranch).toBe(40066);
  });

  it('$setWindowFields computes accumulators over a partition and over a window, while $function from a client stays refused', async () => {
    const c = db.collection('window-fields');
    await c.insertMany([
      { _id: 1 as never, k: 'a', t: 2, v: 20 },
      { _id: 2 as never, k: 'a', t: 1, v: 10 },
      { _id: 3 as never, k: 'b', t: 1, v: 5 },
      { _id: 4 as never, k: 'a', t: 3, v: 30 },
    ]);
    const rows = await c
      .aggregate([
        {
          $setWindowFields: {
            partitionBy: '$k',
            sortBy: { t: 1 },
            output: {
              total: { $sum: '$v' },
              running: { $sum: '$v', window: { documents: ['unbounded', 'current'] } },
            },
          },
        },
        { $project: { k: 0, t: 0, v: 0 } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(rows).toEqual([
      { _id: 1, total: 60, running: 30 },
      { _id: 2, total: 60, running: 10 },
      { _id: 3, total: 5, running: 5 },
      { _id: 4, total: 60, running: 60 },
    ]);
    await expect(
      c
        .aggregate([{ $project: { v: { $function: { body: 'function () { return 1; }', args: [], lang: 'js' } } } }])
        .toArray(),
    ).rejects.toThrow(/scriptEnabled/);
  });

  it('$addToSet in $bucket and $setWindowFields keeps one of values equal in BSON as $group does', async () => {
    const c = db.collection('add-to-set-stages');
    await c.insertMany(
      [1, Long.fromNumber(1), Decimal128.fromString('1'), { a: 1, b: 2 }, { b: 2, a: 1 }, 'X'].map((v, i) => ({
        _id: i as never,
        k: 1,
        v,
      })),
    );
    const expected = [1, { a: 1, b: 2 }, { b: 2, a: 1 }, 'X'];
    const [grouped] = await c.aggregate([{ $group: { _id: '$k', s: { $addToSet: '$v' } } }]).toArray();
    expect(grouped.s).toEqual(expected);
    const [bucket] = await c
      .aggregate([{ $bucket: { groupBy: '$k', boundaries: [0, 5], output: { s: { $addToSet: '$v' } } } }])
      .toArray();
    expect(bucket.s).toEqual(expected);
    const [windowed] = await c
      .aggregate([{ $setWindowFields: { partitionBy: '$k', output: { s: { $addToSet: '$v' } } } }, { $limit: 1 }])
      .toArray();
    expect(windowed.s).toEqual(expected);
  });
});
