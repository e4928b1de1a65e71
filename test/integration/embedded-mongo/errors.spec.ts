import { Db, Long, MongoBulkWriteError } from 'mongodb';
import { useDriverClient } from '../../setup/mongo';

describe('embedded mongo errors and bulk writes', () => {
  const mongo = useDriverClient('errs');
  let db: Db;

  beforeAll(async () => {
    db = mongo.db;
    await db.collection('users').createIndex({ email: 1 }, { unique: true });
    await db.collection('users').createIndex({ handle: 1 }, { unique: true, sparse: true });
  });

  beforeEach(async () => {
    await db.collection('users').deleteMany({});
  });

  it('refuses an update past 16 MiB after updates whose results were not measured', async () => {
    const users = db.collection<{ email: string; parts: string[] }>('users');
    await users.insertOne({ email: 'big', parts: [] });
    const part = 'x'.repeat(3 * 1024 * 1024);
    for (let i = 0; i < 5; i++) await users.updateOne({ email: 'big' }, { $push: { parts: part } });
    const error = await users.updateOne({ email: 'big' }, { $push: { parts: part } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 10334 });
    expect((await users.findOne({ email: 'big' }))!.parts).toHaveLength(5);
  });

  it('reports ordered bulk failures at the first error and stops', async () => {
    const users = db.collection('users');
    const error = await users
      .insertMany([{ email: 'a' }, { email: 'b' }, { email: 'a' }, { email: 'c' }], { ordered: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoBulkWriteError);
    const bulk = error as MongoBulkWriteError;
    expect(bulk.code).toBe(11000);
    expect(bulk.insertedCount).toBe(2);
    expect(bulk.writeErrors).toHaveLength(1);
    expect(await users.countDocuments()).toBe(2);
  });

  it('reports every unordered failure with its index, key pattern and key value', async () => {
    const users = db.collection('users');
    await users.insertOne({ email: 'x', handle: 'hx' });
    const error = (await users
      .bulkWrite(
        [
          { insertOne: { document: { email: 'y' } } },
          { insertOne: { document: { email: 'x' } } },
          { insertOne: { document: { email: 'z', handle: 'hx' } } },
          { updateOne: { filter: { email: 'y' }, update: { $set: { handle: 'hy' } } } },
          { updateOne: { filter: { email: 'y' }, update: { $set: { email: 'x' } } } },
          { deleteOne: { filter: { email: 'nobody' } } },
          { replaceOne: { filter: { email: 'w' }, replacement: { email: 'w', handle: 'hw' }, upsert: true } },
        ],
        { ordered: false },
      )
      .catch((e: unknown) => e)) as MongoBulkWriteError;
    expect(error).toBeInstanceOf(MongoBulkWriteError);
    const failures = (Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors]).map((w) => ({
      index: w.index,
      code: w.code,
    }));
    expect(failures.map((f) => [f.index, f.code])).toEqual([
      [1, 11000],
      [2, 11000],
      [4, 11000],
    ]);
    expect(error.result.insertedCount).toBe(1);
    expect(error.result.modifiedCount).toBe(1);
    expect(error.result.upsertedCount).toBe(1);
    expect(error.writeErrors).toBeDefined();
    expect(await users.countDocuments()).toBe(3);
    // The driver keeps only code and message per write error; the raw reply carries the key details.
    const raw = await db.command({
      insert: 'users',
      documents: [{ email: 'x' }, { email: 'q', handle: 'hy' }, { email: 'r' }],
      ordered: false,
    });
    expect(raw).toMatchObject({ n: 1, ok: 1 });
    expect(raw.writeErrors).toEqual([
      expect.objectContaining({ index: 0, code: 11000, keyPattern: { email: 1 }, keyValue: { email: 'x' } }),
      expect.objectContaining({ index: 1, code: 11000, keyPattern: { handle: 1 }, keyValue: { handle: 'hy' } }),
    ]);
    expect(raw.writeErrors[1].errmsg).toBe(
      'E11000 duplicate key error collection: errs.users index: handle_1 dup key: { handle: "hy" }',
    );
  });

  it('returns NamespaceNotFound, CommandNotFound, IllegalOperation and BadValue like MongoDB', async () => {
    await expect(db.collection('ghost').listIndexes().toArray()).rejects.toMatchObject({
      code: 26,
      codeName: 'NamespaceNotFound',
    });
    await expect(db.command({ collStats: 'ghost' })).rejects.toMatchObject({ code: 26 });
    await expect(db.command({ renameCollection: 'a' })).rejects.toMatchObject({
      code: 59,
      codeName: 'CommandNotFound',
    });
    await expect(db.command({ mapReduce: 'users' })).rejects.toMatchObject({ code: 59 });
    await expect(db.collection('users').find({ $foo: 1 }).toArray()).rejects.toMatchObject({
      code: 2,
      codeName: 'BadValue',
    });
    await expect(
      db
        .collection('users')
        .find({ a: { $bogus: 1 } })
        .toArray(),
    ).rejects.toMatchObject({ code: 2 });
    await expect(
      db
        .collection('users')
        .aggregate([{ $nope: 1 }])
        .toArray(),
    ).rejects.toMatchObject({ code: 40324, codeName: 'Location40324' });
    // Server-side JavaScript stays off: a client must not run code inside the app's process.
    await db.collection('scripts').insertOne({ email: 'a' });
    await expect(db.collection('scripts').find({ $where: 'this.email === "a"' }).toArray()).rejects.toMatchObject({
      code: 2,
    });
    await expect(
      db
        .collection('scripts')
        .aggregate([{ $project: { x: { $function: { body: 'function() { return 1 }', args: [], lang: 'js' } } } }])
        .toArray(),
    ).rejects.toMatchObject({ code: 2 });
    await expect(
      db
        .collection('users')
        .find({ $text: { $search: 'x' } })
        .toArray(),
    ).rejects.toMatchObject({ code: 27, errmsg: 'text index required for $text query' });
    await db.collection('users').updateOne({ email: 'e' }, { $set: { _id: 5 } as object }, { upsert: true });
    expect(await db.collection('users').findOne({ _id: 5 as never })).toEqual({ _id: 5, email: 'e' });
    await expect(
      db.collection('users').updateOne({ email: 'e' }, { $set: { _id: 6 } as object }),
    ).rejects.toMatchObject({ code: 66 });
    await expect(
      db.collection('users').replaceOne({ email: 'e' }, { _id: 7, email: 'e' } as object),
    ).rejects.toMatchObject({ code: 66 });
    await expect(db.collection('users').updateOne({}, { $unknown: { a: 1 } } as object)).rejects.toMatchObject({
      code: 9,
    });
    await expect(db.collection('users').insertOne({ _id: [1] as unknown as undefined })).rejects.toMatchObject({
      code: 2,
    });
    await expect(db.collection('users').watch().tryNext()).rejects.toMatchObject({ code: 40573 });
    await expect(db.createCollection('capped', { capped: true, size: 1000 })).rejects.toMatchObject({ code: 238 });
    await db.createCollection('dup');
    await expect(db.command({ create: 'dup' })).rejects.toMatchObject({ code: 48 });
  });

  it('rejects transactions with IllegalOperation instead of pretending to be atomic', async () => {
    const session = mongo.client.startSession();
    try {
      session.startTransaction();
      const error = await db
        .collection('users')
        .insertOne({ email: 'tx' }, { session })
        .catch((e: unknown) => e);
      // The driver rewrites a standalone's IllegalOperation into its retryable-writes hint.
      expect(error).toMatchObject({ originalError: { code: 20, codeName: 'IllegalOperation' } });
    } finally {
      await session.abortTransaction().catch(() => undefined);
      await session.endSession();
    }
    expect(await db.collection('users').countDocuments({ email: 'tx' })).toBe(0);
    await expect(
      db.command({
        insert: 'users',
        documents: [{ email: 'tx' }],
        txnNumber: Long.fromNumber(1),
        autocommit: false,
        startTransaction: true,
      }),
    ).rejects.toMatchObject({
      code: 20,
      errmsg: 'Transaction numbers are only allowed on a replica set member or mongos',
    });
    await expect(
      db.command({ commitTransaction: 1, txnNumber: Long.fromNumber(1), autocommit: false }),
    ).rejects.toMatchObject({ code: 20 });
  });
});
