import { Db, Document } from 'mongodb';
import { useDriverClient } from '../../setup/mongo';

interface Explained {
  queryPlanner: { winningPlan: { stage: string; inputStage?: { stage: string; indexName: string } } };
  executionStats: { nReturned: number; totalDocsExamined: number; totalKeysExamined: number };
}

describe('embedded mongo indexes', () => {
  const mongo = useDriverClient('idx');
  let db: Db;

  const explain = async (collection: string, filter: Document): Promise<Explained> =>
    (await db.collection(collection).find(filter).explain('executionStats')) as unknown as Explained;

  beforeAll(async () => {
    db = mongo.db;
    const events = db.collection('events');
    await events.insertMany(
      Array.from({ length: 2000 }, (_, i) => ({
        user: `u${i % 100}`,
        at: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
        score: i,
        tags: [`t${i % 3}`, `t${(i % 3) + 1}`],
      })),
    );
    await events.createIndexes([
      { key: { user: 1, at: -1 }, name: 'user_at' },
      { key: { score: 1 } },
      { key: { tags: 1 } },
    ]);
  });

  it('answers equality, range and compound-prefix queries from an index, never a scan', async () => {
    const eq = await explain('events', { score: 1234 });
    expect(eq.queryPlanner.winningPlan.inputStage?.indexName).toBe('score_1');
    expect(eq.executionStats).toMatchObject({ nReturned: 1, totalDocsExamined: 1 });

    const range = await explain('events', { score: { $gte: 100, $lt: 150 } });
    expect(range.executionStats).toMatchObject({ nReturned: 50, totalDocsExamined: 50 });

    const prefix = await explain('events', { user: 'u7' });
    expect(prefix.queryPlanner.winningPlan.inputStage?.indexName).toBe('user_at');
    expect(prefix.executionStats).toMatchObject({ nReturned: 20, totalDocsExamined: 20 });

    const compound = await explain('events', { user: 'u7', at: { $gte: new Date(Date.UTC(2026, 0, 1, 10)) } });
    expect(compound.executionStats.totalDocsExamined).toBe(compound.executionStats.nReturned);
    expect(compound.executionStats.nReturned).toBe(
      await db.collection('events').countDocuments({ user: 'u7', at: { $gte: new Date(Date.UTC(2026, 0, 1, 10)) } }),
    );

    const multikey = await explain('events', { tags: 't3', score: { $lt: 30 } });
    expect(multikey.executionStats.nReturned).toBe(10);
    expect(multikey.executionStats.totalDocsExamined).toBeLessThanOrEqual(30);

    const inList = await explain('events', { score: { $in: [5, 6, 7000] } });
    expect(inList.executionStats).toMatchObject({ nReturned: 2, totalDocsExamined: 2 });

    const hinted = (await db
      .collection('events')
      .find({ score: 5 })
      .hint({ $natural: 1 })
      .explain('executionStats')) as unknown as Explained;
    expect(hinted.executionStats.totalDocsExamined).toBe(2000);
    await expect(db.collection('events').find({ score: 5 }).hint('nope_1').toArray()).rejects.toMatchObject({
      code: 2,
    });

    const unindexed = await explain('events', { missing: 1 });
    expect(unindexed.queryPlanner.winningPlan.stage).toBe('COLLSCAN');
  });

  it('returns the same results through an index as through a scan', async () => {
    const events = db.collection('events');
    const filters: Document[] = [
      { score: { $gt: 1990 } },
      { score: { $lte: 3 } },
      { user: { $in: ['u1', 'u2'] }, at: { $lt: new Date(Date.UTC(2026, 0, 1, 5)) } },
      { tags: { $in: ['t0', 't4'] }, score: { $gte: 1995 } },
    ];
    for (const filter of filters) {
      const viaIndex = await events.find(filter).sort({ score: 1 }).toArray();
      const viaScan = await events.find(filter).hint({ $natural: 1 }).sort({ score: 1 }).toArray();
      expect(viaIndex.length).toBeGreaterThan(0);
      expect(viaIndex.map((d) => d.score)).toEqual(viaScan.map((d) => d.score));
    }
  });

  it('creates, lists and drops indexes with MongoDB conflict errors', async () => {
    const c = db.collection('things');
    expect(await c.createIndex({ a: 1 }, { unique: true })).toBe('a_1');
    expect(await c.createIndex({ a: 1 }, { unique: true })).toBe('a_1');
    await expect(c.createIndex({ a: 1 }, { name: 'a_1', sparse: true })).rejects.toMatchObject({ code: 85 });
    await expect(c.createIndex({ b: 1 }, { name: 'a_1' })).rejects.toMatchObject({ code: 86 });
    await c.createIndex({ b: 1, c: -1 }, { partialFilterExpression: { b: { $exists: true } } });
    const listed = await c.listIndexes().toArray();
    expect(listed.map((i) => i.name)).toEqual(['_id_', 'a_1', 'b_1_c_-1']);
    expect(listed[2]).toMatchObject({ v: 2, key: { b: 1, c: -1 }, partialFilterExpression: { b: { $exists: true } } });
    await expect(c.createIndex({ body: 'text' })).rejects.toMatchObject({ code: 67 });
    await c.dropIndex('a_1');
    await expect(c.dropIndex('a_1')).rejects.toMatchObject({ code: 27 });
    await expect(c.dropIndex('_id_')).rejects.toMatchObject({ code: 72 });
    await c.dropIndexes();
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
    await expect(db.collection('nope').listIndexes().toArray()).rejects.toMatchObject({ code: 26 });
  });

  it('enforces unique, compound unique, sparse and partial unique indexes on insert, update and upsert', async () => {
    const c = db.collection('uniq');
    await c.createIndex({ email: 1 }, { unique: true });
    await c.createIndex({ org: 1, handle: 1 }, { unique: true });
    await c.createIndex({ phone: 1 }, { unique: true, sparse: true });
    await c.createIndex({ code: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await c.insertMany([
      { email: 'a', org: 1, handle: 'x', code: 'c1', active: true },
      { email: 'b', org: 2, handle: 'x', code: 'c1', active: false },
    ]);
    await c.insertOne({ email: 'c', org: 1, handle: 'y' });
    await expect(c.insertOne({ email: 'd', org: 1, handle: 'x' })).rejects.toMatchObject({
      code: 11000,
      keyPattern: { org: 1, handle: 1 },
      keyValue: { org: 1, handle: 'x' },
    });
    await expect(c.updateOne({ email: 'b' }, { $set: { email: 'a' } })).rejects.toMatchObject({
      code: 11000,
      keyValue: { email: 'a' },
    });
    await expect(c.updateOne({ email: 'b' }, { $set: { active: true } })).rejects.toMatchObject({
      code: 11000,
      keyPattern: { code: 1 },
    });
    await expect(
      c.updateOne({ email: 'zz' }, { $set: { org: 1, handle: 'y' } }, { upsert: true }),
    ).rejects.toMatchObject({ code: 11000 });
    expect(await c.findOne({ email: 'b' })).toMatchObject({ active: false });
    await c.createIndex({ tags: 1 }, { unique: true, sparse: true });
    await c.updateOne({ email: 'a' }, { $set: { tags: ['p', 'q'] } });
    await expect(c.updateOne({ email: 'c' }, { $set: { tags: ['q'] } })).rejects.toMatchObject({ code: 11000 });
    await expect(c.createIndex({ org: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    expect((await c.listIndexes().toArray()).map((i) => i.name)).not.toContain('org_1');
  });

  it('sorts in BSON cross-type order, with or without an index to walk', async () => {
    const c = db.collection('sorting');
    await c.insertMany([
      { n: 0, v: 'b' },
      { n: 1, v: 2 },
      { n: 2, v: null },
      { n: 3, v: new Date(0) },
      { n: 4, v: true },
      { n: 5, v: { a: 1 } },
      { n: 6, v: [5, 0] },
      { n: 7 },
      { n: 8, v: 'a' },
      { n: 9, v: 1.5 },
    ]);
    const order = async (dir: 1 | -1, limit = 0) =>
      (await c.find().sort({ v: dir }).limit(limit).toArray()).map((d) => d.n);
    const ascending = [2, 7, 6, 9, 1, 8, 0, 5, 4, 3];
    expect(await order(1)).toEqual(ascending);
    const descending = await order(-1);
    expect(descending.slice(0, 8)).toEqual([3, 4, 5, 0, 8, 6, 1, 9]);
    expect(descending.slice(8).sort()).toEqual([2, 7]);
    await c.createIndex({ v: 1 });
    expect(await order(1)).toEqual(ascending);
    expect(await order(1, 4)).toEqual(ascending.slice(0, 4));
    expect(await order(-1, 8)).toEqual(descending.slice(0, 8));
    expect(
      (
        await c
          .find({ n: { $gte: 5 } })
          .sort({ v: 1 })
          .skip(1)
          .limit(2)
          .toArray()
      ).map((d) => d.n),
    ).toEqual([6, 9]);
  });

  it('uses the _id index for lookups and ranges', async () => {
    const c = db.collection<{ _id: number; v: number }>('ids');
    await c.insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: i, v: i * 2 })));
    const byId = await explain('ids', { _id: 42 });
    expect(byId.executionStats).toMatchObject({ nReturned: 1, totalDocsExamined: 1 });
    const many = await explain('ids', { _id: { $in: Array.from({ length: 1500 }, (_, i) => i) } });
    expect(many.executionStats).toMatchObject({ nReturned: 300, totalDocsExamined: 300 });
    const manyScores = await explain('events', { score: { $in: Array.from({ length: 1500 }, (_, i) => i * 2) } });
    expect(manyScores.executionStats).toMatchObject({ nReturned: 1000, totalDocsExamined: 1000 });
    const range = await explain('ids', { _id: { $gt: 290 } });
    expect(range.executionStats).toMatchObject({ nReturned: 9, totalDocsExamined: 9 });
    expect(await c.findOne({ _id: 299 })).toEqual({ _id: 299, v: 598 });
  });
});
