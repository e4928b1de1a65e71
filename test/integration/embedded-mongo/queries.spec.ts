import { Binary, Db, Document, Long, ObjectId, UUID } from 'mongodb';
import { useDriverClient } from '../../setup/mongo';

describe('embedded mongo queries, as MongoDB matches them', () => {
  const mongo = useDriverClient('queries');
  let db: Db;

  beforeAll(() => {
    db = mongo.db;
  });

  const labels = async (collection: string, filter: Document, sort: Document = { label: 1 }) =>
    (await db.collection(collection).find(filter).sort(sort).toArray()).map((d) => d.label as string);

  it('matches $type by alias and number, following how numbers are stored', async () => {
    const c = db.collection('types');
    await c.insertMany([
      { label: 'oid', v: new ObjectId() },
      { label: 'bin', v: new Binary(Buffer.from('x')) },
      { label: 'uuid', v: new UUID() },
      { label: 'long', v: Long.fromNumber(5) },
      { label: 'bigLong', v: Long.fromString('9007199254740993') },
      { label: 'double', v: 1.5 },
      { label: 'int', v: 5 },
      { label: 'str', v: 's' },
      { label: 'arr', v: [1.5] },
    ]);
    expect(await labels('types', { v: { $type: 'objectId' } })).toEqual(['oid']);
    expect(await labels('types', { v: { $type: 'binData' } })).toEqual(['bin', 'uuid']);
    expect(await labels('types', { v: { $type: 'long' } })).toEqual(['bigLong', 'long']);
    expect(await labels('types', { v: { $type: 18 } })).toEqual(['bigLong', 'long']);
    expect(await labels('types', { v: { $type: 'double' } })).toEqual(['arr', 'double']);
    expect(await labels('types', { v: { $type: 'int' } })).toEqual(['int']);
    expect(await labels('types', { v: { $type: 'number' } })).toEqual(['arr', 'bigLong', 'double', 'int', 'long']);
    expect(await labels('types', { v: { $type: ['string', 'objectId'] } })).toEqual(['oid', 'str']);
    expect(await labels('types', { v: { $type: 'array' } })).toEqual(['arr']);
    await expect(c.find({ v: { $type: 'nope' } }).toArray()).rejects.toMatchObject({ code: 2 });
  });

  it('round-trips int64 values exactly for useBigInt64 and promoteLongs: false clients', async () => {
    const bigints = mongo.client.db('queries', { useBigInt64: true }).collection('longs');
    await bigints.insertMany([
      { _id: 1 as never, n: 5n },
      { _id: 2 as never, n: 9007199254740993n },
      { _id: 3 as never, n: 9007199254740995n },
    ]);
    expect((await bigints.find().sort({ _id: 1 }).toArray()).map((d) => d.n)).toEqual([
      5n,
      9007199254740993n,
      9007199254740995n,
    ]);
    const longs = mongo.client.db('queries', { promoteLongs: false }).collection('longs');
    expect((await longs.findOne({ _id: 1 as never }))!.n).toEqual(Long.fromNumber(5));
    // Distinct 64-bit integers beyond 2^53 stay distinct for equality, ranges and sorting.
    expect(await bigints.countDocuments({ n: 9007199254740993n })).toBe(1);
    expect((await bigints.find({ n: { $gt: 9007199254740993n } }).toArray()).map((d) => d._id)).toEqual([3]);
    await bigints.updateOne({ _id: 1 as never }, { $inc: { n: 1 } });
    expect((await bigints.findOne({ _id: 1 as never }))!.n).toBe(6n);
    // A client without either option gets a plain number, as from MongoDB.
    expect((await db.collection('longs').findOne({ _id: 1 as never }))!.n).toBe(6);
  });

  it('orders binary data by length, then subtype, then bytes; bit operators read binary data', async () => {
    const c = db.collection('binaries');
    await c.insertMany([
      { label: 'len3', b: new Binary(Buffer.from([1, 2, 3]), 0) },
      { label: 'len1-sub5', b: new Binary(Buffer.from([1]), 5) },
      { label: 'len1-sub0', b: new Binary(Buffer.from([9]), 0) },
      { label: 'len2', b: new Binary(Buffer.from([0, 0]), 0) },
    ]);
    expect(await labels('binaries', {}, { b: 1 })).toEqual(['len1-sub0', 'len1-sub5', 'len2', 'len3']);
    expect(await labels('binaries', { b: { $gt: new Binary(Buffer.from([200]), 0) } })).toEqual([
      'len1-sub5',
      'len2',
      'len3',
    ]);
    const flags = db.collection('flags');
    await flags.insertMany([
      { label: 'bin', f: new Binary(Buffer.from([0b0000_0001, 0b0000_0010])) },
      { label: 'int', f: 0b10_0000_0001 },
      { label: 'neg', f: -1 },
      { label: 'float', f: 1.5 },
    ]);
    expect(await labels('flags', { f: { $bitsAllSet: [0, 9] } })).toEqual(['bin', 'int', 'neg']);
    expect(await labels('flags', { f: { $bitsAnySet: new Binary(Buffer.from([0, 2])) } })).toEqual([
      'bin',
      'int',
      'neg',
    ]);
    expect(await labels('flags', { f: { $bitsAllClear: 2 } })).toEqual(['bin', 'int']);
    expect(await labels('flags', { f: { $bitsAnyClear: [100] } })).toEqual(['bin', 'int']);
  });

  it('matches $all against a scalar field equal to its element', async () => {
    const c = db.collection('books');
    await c.insertMany([
      { label: 'scalar', title: 'x', tags: 'red' },
      { label: 'array', title: ['x', 'y'], tags: ['red', 'blue'] },
      { label: 'other', title: 'z' },
    ]);
    expect(await labels('books', { title: { $all: ['x'] } })).toEqual(['array', 'scalar']);
    expect(await labels('books', { tags: { $all: ['red', 'blue'] } })).toEqual(['array']);
    expect(await labels('books', { title: { $all: [] } })).toEqual([]);
  });

  it('applies collations to find: ICU locale ids, strength 1 and 2, and collated sorting', async () => {
    const c = db.collection('names');
    await c.insertMany(['café', 'Cafe', 'CAFE', 'cafe', 'b', 'A', 'a', 'B'].map((label) => ({ label })));
    const base = { locale: 'en_US', strength: 1 };
    expect((await c.find({ label: 'cafe' }).collation(base).toArray()).map((d) => d.label).sort()).toEqual([
      'CAFE',
      'Cafe',
      'cafe',
      'café',
    ]);
    const accents = { locale: 'fr', strength: 2 };
    expect((await c.find({ label: 'cafe' }).collation(accents).toArray()).map((d) => d.label).sort()).toEqual([
      'CAFE',
      'Cafe',
      'cafe',
    ]);
    expect(await c.countDocuments({ label: { $in: ['A', 'b'] } }, { collation: { locale: 'en', strength: 2 } })).toBe(
      4,
    );
    const sorted = await c
      .find({ label: { $in: ['a', 'A', 'b', 'B'] } })
      .sort({ label: 1 })
      .collation({ locale: 'en' })
      .toArray();
    expect(sorted.map((d) => d.label)).toEqual(['a', 'A', 'b', 'B']);
    await expect(c.find({}).collation({ locale: 'xx_NOPE' }).toArray()).rejects.toMatchObject({ code: 2 });
  });

  it('rejects an unknown query operator even when the collection does not exist', async () => {
    await expect(
      db
        .collection('never_created')
        .find({ a: { $foo: 1 } })
        .toArray(),
    ).rejects.toMatchObject({
      code: 2,
      errmsg: 'unknown operator: $foo',
    });
    await expect(db.collection('never_created').countDocuments({ $bar: 1 })).rejects.toMatchObject({ code: 2 });
    await expect(
      db.collection('never_created').updateOne({ a: { $foo: 1 } }, { $set: { a: 1 } }),
    ).rejects.toMatchObject({ code: 2 });
  });
});
