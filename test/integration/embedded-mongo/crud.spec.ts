import { Db, ObjectId } from 'mongodb';
import { useDriverClient } from '../../setup/mongo';

describe('embedded mongo CRUD through the official driver', () => {
  const mongo = useDriverClient('crud');
  let db: Db;

  beforeAll(async () => {
    db = mongo.db;
  });

  it('finds with filter, sort, skip, limit and projection', async () => {
    const people = db.collection('people');
    await people.insertMany(
      Array.from({ length: 20 }, (_, i) => ({
        name: `p${String(i).padStart(2, '0')}`,
        age: i % 7,
        tags: i % 2 ? ['odd'] : ['even'],
      })),
    );
    const page = await people
      .find({ age: { $gte: 3 } })
      .sort({ age: -1, name: 1 })
      .skip(1)
      .limit(4)
      .project({ name: 1 })
      .toArray();
    expect(page.map((d) => d.name)).toEqual(['p13', 'p05', 'p12', 'p19']);
    expect(Object.keys(page[0])).toEqual(['_id', 'name']);
    expect(await people.countDocuments({ tags: 'odd' })).toBe(10);
    expect(await people.findOne({ name: 'p03' }, { projection: { _id: 0, age: 1 } })).toEqual({ age: 3 });
    expect(await people.distinct('tags')).toEqual(['even', 'odd']);
    expect(await people.estimatedDocumentCount()).toBe(20);
    expect(await db.command({ count: 'people', query: { age: { $lt: 2 } }, skip: 1, limit: 4 })).toEqual({
      n: 4,
      ok: 1,
    });
    expect(await db.command({ count: 'nobody' })).toEqual({ n: 0, ok: 1 });
    expect(await db.command({ count: 'people', query: { $or: [{ age: 6 }, { tags: 'odd', age: 0 }] } })).toEqual({
      n: 3,
      ok: 1,
    });
    expect(await db.command({ count: 'people', query: { $expr: { $eq: ['$age', 6] } } })).toEqual({ n: 2, ok: 1 });
    expect(await db.command({ distinct: 'people', key: 'age', query: { tags: 'odd' } })).toEqual({
      values: [0, 1, 2, 3, 4, 5, 6],
      ok: 1,
    });
  });

  it('answers distinct from the key and the fields its query reads, dotted keys, arrays and operators alike', async () => {
    const orders = db.collection('orders');
    await orders.insertMany([
      { _id: 1 as never, user: 'b', at: 3, ship: { city: 'Oslo', tags: ['x', 'y'] }, note: 'large' },
      { _id: 2 as never, user: 'a', at: 1, ship: { city: 'Lima', tags: ['y'] } },
      { _id: 3 as never, user: 'b', at: 2, ship: { city: 'Oslo' }, lines: [{ sku: 's1' }, { sku: 's2' }] },
      { _id: 4 as never, user: 'c', at: 5 },
    ]);
    expect(await orders.distinct('user')).toEqual(['a', 'b', 'c']);
    expect(await orders.distinct('user', { at: { $gte: 2 } })).toEqual(['b', 'c']);
    expect(await orders.distinct('ship.city', { user: 'b' })).toEqual(['Oslo']);
    expect(await orders.distinct('ship.tags')).toEqual(['x', 'y']);
    expect(await orders.distinct('lines.sku')).toEqual(['s1', 's2']);
    expect(await orders.distinct('user', { $or: [{ note: 'large' }, { 'ship.city': 'Lima' }] })).toEqual(['a', 'b']);
    expect(await orders.distinct('at', { $expr: { $gt: ['$at', 2] } })).toEqual([3, 5]);
    expect(await orders.distinct('user', { _id: { $in: [2, 4] as never[] } })).toEqual(['a', 'c']);
    // A query operator the field analysis does not know decodes whole documents, and still matches.
    expect(await orders.distinct('user', { $alwaysTrue: 1, at: { $lt: 3 } })).toEqual(['a', 'b']);
  });

  it('refuses a distinct whose values do not fit in one reply document, as MongoDB does', async () => {
    const big = db.collection('big_values');
    await big.insertMany(Array.from({ length: 17 }, (_, i) => ({ v: `${i}-`.padEnd(1024 * 1024, 'x') })));
    await expect(big.distinct('v')).rejects.toMatchObject({ code: 17217, codeName: 'Location17217' });
    expect(await big.distinct('v', { v: /^1[0-5]-/ })).toHaveLength(6);
    // An aggregation's cursor has no such cap.
    expect(await big.aggregate([{ $group: { _id: '$v' } }]).toArray()).toHaveLength(17);
  });

  it('streams cursors over more than 101 documents with getMore and kills them early', async () => {
    const many = db.collection('many');
    await many.insertMany(Array.from({ length: 450 }, (_, i) => ({ i })));
    const all = await many.find().sort({ i: 1 }).toArray();
    expect(all).toHaveLength(450);
    expect(all[449].i).toBe(449);
    const batched = await many.find({}, { batchSize: 50 }).toArray();
    expect(new Set(batched.map((d) => d.i)).size).toBe(450);
    const cursor = many.find({ i: { $lt: 300 } }, { batchSize: 10 });
    let seen = 0;
    let cursorId: unknown;
    for await (const _doc of cursor) {
      cursorId = cursor.id;
      if (++seen === 25) break;
    }
    await expect(db.command({ getMore: cursorId, collection: 'many' })).rejects.toMatchObject({ code: 43 });
    const agg = await many.aggregate([{ $match: { i: { $gte: 100 } } }], { cursor: { batchSize: 7 } }).toArray();
    expect(agg).toHaveLength(350);
  });

  it('updates with multi, upsert, $setOnInsert, arrayFilters and pipelines', async () => {
    const items = db.collection('items');
    await items.insertMany([
      { sku: 'a', qty: 1, grades: [{ g: 80 }, { g: 95 }] },
      { sku: 'b', qty: 2, grades: [{ g: 70 }] },
    ]);
    const multi = await items.updateMany({}, { $inc: { qty: 10 } });
    expect([multi.matchedCount, multi.modifiedCount]).toEqual([2, 2]);
    const unchanged = await items.updateOne({ sku: 'a' }, { $set: { qty: 11 } });
    expect([unchanged.matchedCount, unchanged.modifiedCount]).toEqual([1, 0]);
    await items.updateOne(
      { sku: 'a' },
      { $set: { 'grades.$[hi].top': true } },
      { arrayFilters: [{ 'hi.g': { $gte: 90 } }] },
    );
    expect((await items.findOne({ sku: 'a' }))?.grades).toEqual([{ g: 80 }, { g: 95, top: true }]);
    const up = await items.updateOne(
      { sku: 'c', 'meta.kind': 'new' },
      { $set: { qty: 5 }, $setOnInsert: { created: true } },
      { upsert: true },
    );
    expect(up.upsertedCount).toBe(1);
    expect(up.upsertedId).toBeInstanceOf(ObjectId);
    expect(await items.findOne({ sku: 'c' }, { projection: { _id: 0 } })).toEqual({
      sku: 'c',
      meta: { kind: 'new' },
      qty: 5,
      created: true,
    });
    await items.updateOne({ sku: 'c' }, { $set: { qty: 6 }, $setOnInsert: { created: false } }, { upsert: true });
    expect(await items.findOne({ sku: 'c' })).toMatchObject({ qty: 6, created: true });
    await items.updateMany({ sku: { $in: ['a', 'b'] } }, [{ $set: { total: { $multiply: ['$qty', 2] } } }]);
    expect(
      (
        await items
          .find({ total: { $exists: true } })
          .sort({ sku: 1 })
          .toArray()
      ).map((d) => d.total),
    ).toEqual([22, 24]);
    const replaced = await items.replaceOne({ sku: 'b' }, { sku: 'b', qty: 0 });
    expect(replaced.modifiedCount).toBe(1);
    expect(await items.findOne({ sku: 'b' }, { projection: { _id: 0 } })).toEqual({ sku: 'b', qty: 0 });
  });

  it('deletes one or many', async () => {
    const trash = db.collection('trash');
    await trash.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }, { k: 3 }]);
    expect((await trash.deleteOne({ k: 1 })).deletedCount).toBe(1);
    expect((await trash.deleteMany({ k: { $lte: 2 } })).deletedCount).toBe(2);
    expect(await trash.countDocuments()).toBe(1);
  });

  it('removes a deleted document from every index, whichever fields the filter reads', async () => {
    const items = db.collection('indexed_trash');
    await items.createIndex({ sku: 1 }, { unique: true });
    await items.createIndex({ 'ship.city': 1, at: -1 });
    await items.createIndex({ tags: 1 });
    await items.createIndex({ code: 1 }, { unique: true, partialFilterExpression: { live: true } });
    const docs = [
      { _id: 1, sku: 'a', owner: 'x', ship: { city: 'Oslo' }, at: 1, tags: ['t1', 't2'], code: 'c1', live: true },
      { _id: 2, sku: 'b', owner: 'x', ship: { city: 'Lima' }, at: 2, tags: ['t2'], code: 'c2', live: true },
      { _id: 3, sku: 'c', owner: 'y', ship: { city: 'Oslo' }, at: 3, tags: ['t3'], code: 'c3', live: true },
    ];
    await items.insertMany(docs as never[]);
    // The filter reads only `owner`; the index keys come from the other fields.
    expect((await items.deleteMany({ owner: 'x' })).deletedCount).toBe(2);
    expect(await items.find({ 'ship.city': 'Oslo' }).toArray()).toEqual([docs[2]]);
    expect(await items.countDocuments({ tags: 't2' })).toBe(0);
    expect(await items.countDocuments({ sku: { $in: ['a', 'b'] } })).toBe(0);
    // Unique keys of the deleted documents are free again, in the plain and the partial index.
    await items.insertMany(docs.slice(0, 2).map((d) => ({ ...d, _id: d._id + 10 })) as never[]);
    expect(await items.countDocuments({ code: { $in: ['c1', 'c2'] } })).toBe(2);
    expect((await items.deleteOne({ _id: 3 as never })).deletedCount).toBe(1);
    await expect(items.insertOne({ sku: 'a' })).rejects.toMatchObject({ code: 11000 });
  });

  it('supports every findAndModify variant', async () => {
    const jobs = db.collection<{ _id?: ObjectId; name: string; state: string; n?: number }>('jobs');
    await jobs.insertMany([
      { name: 'x', state: 'new', n: 2 },
      { name: 'y', state: 'new', n: 1 },
    ]);
    const claimed = await jobs.findOneAndUpdate(
      { state: 'new' },
      { $set: { state: 'running' } },
      { sort: { n: 1 }, returnDocument: 'after' },
    );
    expect(claimed).toMatchObject({ name: 'y', state: 'running' });
    const before = await jobs.findOneAndUpdate({ name: 'x' }, { $inc: { n: 1 } }, { projection: { n: 1, _id: 0 } });
    expect(before).toEqual({ n: 2 });
    const meta = await jobs.findOneAndUpdate(
      { name: 'z' },
      { $set: { state: 'new' } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(meta.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false });
    expect(meta.value).toMatchObject({ name: 'z', state: 'new' });
    const replaced = await jobs.findOneAndReplace(
      { name: 'x' },
      { name: 'x2', state: 'done' },
      { returnDocument: 'after' },
    );
    expect(replaced).toMatchObject({ name: 'x2', state: 'done' });
    expect(await jobs.findOneAndDelete({ name: 'y' })).toMatchObject({ name: 'y' });
    expect(await jobs.findOneAndDelete({ name: 'nope' })).toBeNull();
    expect(await jobs.countDocuments()).toBe(2);
  });

  it('manages collections and databases', async () => {
    const admin = mongo.client.db('scratch');
    await admin.createCollection('c1');
    await admin.collection('c2').insertOne({ a: 1 });
    const names = (await admin.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    expect(names).toEqual(['c1', 'c2']);
    expect((await admin.listCollections({ name: 'c2' }).toArray())[0]).toMatchObject({
      name: 'c2',
      type: 'collection',
    });
    const dbs = await mongo.client.db().admin().listDatabases();
    expect(dbs.databases.map((d) => d.name)).toEqual(expect.arrayContaining(['crud', 'scratch']));
    const stats = await admin.command({ collStats: 'c2' });
    expect(stats).toMatchObject({ ns: 'scratch.c2', count: 1, nindexes: 1 });
    expect(await admin.stats()).toMatchObject({ db: 'scratch', collections: 2, objects: 1 });
    expect(await admin.collection('c1').drop()).toBe(true);
    expect(await admin.dropDatabase()).toBe(true);
    expect((await mongo.client.db().admin().listDatabases()).databases.map((d) => d.name)).not.toContain('scratch');
  });

  it('answers handshake and server info commands', async () => {
    const admin = mongo.client.db('admin');
    expect(await admin.command({ ping: 1 })).toEqual({ ok: 1 });
    expect(await admin.command({ hello: 1 })).toMatchObject({ isWritablePrimary: true, maxWireVersion: 21 });
    expect(await admin.command({ buildInfo: 1 })).toMatchObject({ version: '7.0.0' });
    expect(await admin.command({ endSessions: [] })).toEqual({ ok: 1 });
    expect(await admin.command({ connectionStatus: 1 })).toMatchObject({ authInfo: { authenticatedUsers: [] }, ok: 1 });
    expect(await admin.command({ getParameter: 1, featureCompatibilityVersion: 1 })).toMatchObject({
      featureCompatibilityVersion: { version: '7.0' },
    });
  });
});
