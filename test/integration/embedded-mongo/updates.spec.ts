import { Binary, Db, Long } from 'mongodb';
import { useDriverClient } from '../../setup/mongo';

describe('embedded mongo updates, as MongoDB applies them', () => {
  const mongo = useDriverClient('updates');
  let db: Db;

  beforeAll(() => {
    db = mongo.db;
  });

  it('applies sibling paths under a positional operator ($, $[] and $[id] with arrayFilters)', async () => {
    const c = db.collection('parents');
    const when = new Date('2026-01-02T03:04:05Z');
    await c.insertOne({
      _id: 1 as never,
      children: [
        { _id: 'a', name: 'ann' },
        { _id: 'b', name: 'bob' },
      ],
    });
    await c.updateOne(
      { _id: 1 as never, 'children._id': 'b' },
      { $set: { 'children.$.name': 'bo', 'children.$.updatedAt': when } },
    );
    await c.updateOne({ _id: 1 as never }, { $set: { 'children.$[].seen': true, 'children.$[].rank': 0 } });
    await c.updateOne(
      { _id: 1 as never },
      { $set: { 'children.$[kid].name': 'anna', 'children.$[kid].rank': 1 } },
      { arrayFilters: [{ 'kid._id': 'a' }] },
    );
    expect((await c.findOne({ _id: 1 as never }))!.children).toEqual([
      { _id: 'a', name: 'anna', rank: 1, seen: true },
      { _id: 'b', name: 'bo', rank: 0, seen: true, updatedAt: when },
    ]);
    // A path and its own prefix still conflict.
    await expect(
      c.updateOne({ _id: 1 as never, 'children._id': 'a' }, { $set: { 'children.$': {}, 'children.$.name': 'x' } }),
    ).rejects.toMatchObject({ code: 40, codeName: 'ConflictingUpdateOperators' });
  });

  it("accepts $set of _id to its current value, also in an upsert that repeats the filter's _id", async () => {
    const c = db.collection('ids');
    await c.insertOne({ _id: 10 as never, n: 1 });
    const same = await c.updateOne({ _id: 10 as never }, { $set: { _id: 10, n: 2 } as object });
    expect(same).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    const upsert = await c.updateOne({ _id: 11 as never }, { $set: { _id: 11, n: 3 } as object }, { upsert: true });
    expect(upsert.upsertedId).toBe(11);
    expect(await c.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 10, n: 2 },
      { _id: 11, n: 3 },
    ]);
    await expect(c.updateOne({ _id: 10 as never }, { $set: { _id: 12 } as object })).rejects.toMatchObject({
      code: 66,
      codeName: 'ImmutableField',
    });
  });

  it("refuses an upserted replacement whose _id differs from the filter's (ImmutableField, 66)", async () => {
    const c = db.collection('replaced-ids');
    await expect(c.replaceOne({ _id: 1 as never }, { _id: 2 as never, n: 1 }, { upsert: true })).rejects.toMatchObject({
      code: 66,
      codeName: 'ImmutableField',
    });
    await expect(
      c.findOneAndReplace({ _id: 1 as never }, { _id: 2 as never, n: 1 }, { upsert: true }),
    ).rejects.toMatchObject({ code: 66 });
    expect(await c.countDocuments()).toBe(0);
    await c.replaceOne({ _id: 1 as never }, { _id: 1 as never, n: 2 }, { upsert: true });
    await c.replaceOne({ _id: 3 as never }, { n: 3 }, { upsert: true });
    expect(await c.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, n: 2 },
      { _id: 3, n: 3 },
    ]);
  });

  it('pulls array elements matching a condition with $or', async () => {
    const c = db.collection('teams');
    await c.insertOne({
      _id: 1 as never,
      members: [
        { name: 'a', role: 'b' },
        { name: 'a', role: 'c' },
        { name: 'd', role: 'b' },
      ],
    });
    const result = await c.updateOne(
      { _id: 1 as never },
      { $pull: { members: { $or: [{ name: 'a', role: 'b' }, { name: 'd' }] } } as object },
    );
    expect(result.modifiedCount).toBe(1);
    expect((await c.findOne({ _id: 1 as never }))!.members).toEqual([{ name: 'a', role: 'c' }]);
    await c.updateOne({ _id: 1 as never }, { $set: { scores: [1, 5, 9, 12] } });
    await c.updateOne({ _id: 1 as never }, { $pull: { scores: { $gte: 9 } } as object });
    expect((await c.findOne({ _id: 1 as never }))!.scores).toEqual([1, 5]);
  });

  it('counts a change of binary subtype alone as a modification', async () => {
    const c = db.collection('blobs');
    const bytes = Buffer.from([1, 2, 3]);
    await c.insertOne({ _id: 1 as never, b: new Binary(bytes, 0) });
    const result = await c.updateOne({ _id: 1 as never }, { $set: { b: new Binary(bytes, 4) } });
    expect(result.modifiedCount).toBe(1);
    expect(((await c.findOne({ _id: 1 as never }))!.b as Binary).sub_type).toBe(4);
    expect((await c.updateOne({ _id: 1 as never }, { $set: { b: new Binary(bytes, 4) } })).modifiedCount).toBe(0);
  });

  it('refuses $push onto a non-array (2) and $set through an array of scalars (PathNotViable, 28)', async () => {
    const c = db.collection('posts');
    await c.insertOne({ _id: 1 as never, title: 'x', comments: ['a', 'b'] });
    await expect(c.updateOne({ _id: 1 as never }, { $push: { title: 'y' } as object })).rejects.toMatchObject({
      code: 2,
      errmsg: expect.stringContaining("The field 'title' must be an array but is of type string"),
    });
    await expect(c.updateOne({ _id: 1 as never }, { $set: { 'comments.body': 'z' } })).rejects.toMatchObject({
      code: 28,
      codeName: 'PathNotViable',
    });
    expect(await c.findOne({ _id: 1 as never })).toEqual({ _id: 1, title: 'x', comments: ['a', 'b'] });
  });

  it('stores $-prefixed field names in replacements and upserted documents (MongoDB 5.0+)', async () => {
    const c = db.collection('dollars');
    await c.insertOne({ _id: 1 as never, a: 1 });
    await c.replaceOne({ _id: 1 as never }, { address: { $street: 'Elm', $number: 12 } });
    expect(await c.findOne({ _id: 1 as never })).toEqual({ _id: 1, address: { $street: 'Elm', $number: 12 } });
    await c.updateOne({ _id: 2 as never }, { $set: { phone: 1, $hotel: 320 } as object }, { upsert: true });
    expect(await c.findOne({ _id: 2 as never })).toEqual({ _id: 2, $hotel: 320, phone: 1 });
    // On an existing document a top-level $-prefixed field cannot be written by an update.
    await expect(c.updateOne({ _id: 2 as never }, { $set: { $hotel: 1 } as object })).rejects.toMatchObject({
      code: 52,
      codeName: 'DollarPrefixedFieldName',
    });
    await c.updateOne({ _id: 1 as never }, { $set: { 'address.$street': 'Oak' } });
    expect((await c.findOne({ _id: 1 as never }))!.address).toEqual({ $street: 'Oak', $number: 12 });
  });

  it('keeps a __proto__ field as data and never pollutes a prototype', async () => {
    const c = db.collection('protos');
    const doc = JSON.parse('{"_id": 1, "__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    await c.insertOne(doc);
    await c.updateOne({ _id: 1 as never }, { $set: { 'b.__proto__': { polluted: 'yes' } } });
    const stored = (await c.findOne({ _id: 1 as never }))!;
    expect(Object.keys(stored)).toEqual(['_id', '__proto__', 'a', 'b']);
    expect(Object.getOwnPropertyDescriptor(stored, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await c.countDocuments({ '__proto__.polluted': true })).toBe(1);
    // Prototype members are not fields.
    expect(await c.countDocuments({ constructor: { $exists: true } })).toBe(0);
    expect(await c.countDocuments({ 'a.toString': { $exists: true } })).toBe(0);
  });

  it('adds new fields in field-name order and promotes int overflow to a 64-bit integer', async () => {
    const c = db.collection('order');
    await c.insertOne({ _id: 1 as never, n: 2147483647 });
    await c.updateOne({ _id: 1 as never }, { $set: { z: 1, a: 1, m: 1 }, $inc: { n: 1 } });
    const stored = (await mongo.client
      .db('updates', { useBigInt64: true })
      .collection('order')
      .findOne({ _id: 1 as never }))!;
    expect(Object.keys(stored)).toEqual(['_id', 'n', 'a', 'm', 'z']);
    expect(stored.n).toBe(2147483648n);
  });

  it('rewrites only the fields an update touches: the others keep their bytes, order and types', async () => {
    const c = db.collection('untouched');
    await c.createIndex({ owner: 1 });
    const big = Long.fromString('9007199254740993');
    await c.insertOne({ _id: 1 as never, owner: 'o1', big, journeys: [{ k: 'a' }], previous: { journeys: [] }, n: 1 });
    // A pipeline that moves the current value aside and writes a new one, as a rebuild does.
    const moved = await c.updateOne({ owner: 'o1', n: 1 }, [
      { $set: { previous: { journeys: '$journeys' } } },
      { $set: { journeys: { $literal: [{ k: '$b' }] }, n: { $add: ['$n', 1] }, added: true } },
    ]);
    expect(moved).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    const raw = await c.findOne({ _id: 1 as never }, { useBigInt64: true });
    expect(Object.keys(raw!)).toEqual(['_id', 'owner', 'big', 'journeys', 'previous', 'n', 'added']);
    expect(raw).toEqual({
      _id: 1,
      owner: 'o1',
      big: 9007199254740993n,
      journeys: [{ k: '$b' }],
      previous: { journeys: [{ k: 'a' }] },
      n: 2,
      added: true,
    });
    // Setting what is already there is no modification; the index on a field left alone still finds it.
    expect(await c.updateOne({ _id: 1 as never }, { $set: { added: true, n: 2 } })).toMatchObject({
      matchedCount: 1,
      modifiedCount: 0,
    });
    await c.updateOne({ owner: 'o1' }, { $set: { owner: 'o2' }, $unset: { previous: '' } });
    expect(await c.countDocuments({ owner: 'o1' })).toBe(0);
    expect(await c.findOne({ owner: 'o2' }, { projection: { _id: 0, owner: 1, previous: 1 } })).toEqual({
      owner: 'o2',
    });
  });
});
