import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Db, Document, MongoClient } from 'mongodb';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { useDriverClient } from '../../setup/mongo';

interface Explained {
  queryPlanner: { winningPlan: { stage: string; inputStage?: { stage: string; indexName?: string } } };
}

describe('embedded mongo diagnostics and administration', () => {
  const mongo = useDriverClient('diag');
  let db: Db;

  beforeAll(() => {
    db = mongo.db;
  });

  const planOf = async (collection: string, filter: Document) =>
    ((await db.collection(collection).find(filter).explain('queryPlanner')) as unknown as Explained).queryPlanner
      .winningPlan;

  it('answers serverStatus with real figures for this process', async () => {
    const before = await db.admin().serverStatus();
    await db.collection('counted').insertMany([{ a: 1 }, { a: 2 }, { a: 3 }]);
    await db.collection('counted').find().toArray();
    const status = await db.admin().serverStatus();
    expect(status).toMatchObject({ ok: 1, version: '7.0.0', process: 'mongod', pid: process.pid });
    expect(status.uptimeMillis).toBeGreaterThanOrEqual(0);
    expect(status.localTime).toBeInstanceOf(Date);
    expect(status.connections.current).toBeGreaterThanOrEqual(1);
    expect(status.connections.totalCreated).toBeGreaterThanOrEqual(status.connections.current);
    expect(status.opcounters.insert - before.opcounters.insert).toBe(3);
    expect(status.opcounters.query - before.opcounters.query).toBe(1);
    expect(status.opcounters.command).toBeGreaterThan(before.opcounters.command);
    expect(status.mem.resident).toBeGreaterThan(0);
    expect(status.network.bytesIn).toBeGreaterThan(before.network.bytesIn);
    expect(status.network.numRequests).toBeGreaterThan(before.network.numRequests);
  });

  it('reads parameters with getParameter and changes the settable ones with setParameter', async () => {
    const admin = db.admin();
    expect(await admin.command({ getParameter: 1, featureCompatibilityVersion: 1 })).toEqual({
      featureCompatibilityVersion: { version: '7.0' },
      ok: 1,
    });
    expect(await admin.command({ getParameter: '*' })).toMatchObject({ logLevel: 0, cursorTimeoutMillis: 600000 });
    expect(await admin.command({ setParameter: 1, logLevel: 2 })).toEqual({ was: 0, ok: 1 });
    expect(await admin.command({ getParameter: { showDetails: true }, logLevel: 1 })).toEqual({
      logLevel: { value: 2, settableAtRuntime: true, settableAtStartup: true },
      ok: 1,
    });
    await expect(admin.command({ setParameter: 1, featureCompatibilityVersion: '6.0' })).rejects.toMatchObject({
      code: 2,
    });
    await expect(admin.command({ setParameter: 1, noSuchThing: 1 })).rejects.toMatchObject({ code: 72 });
    await expect(admin.command({ getParameter: 1, noSuchThing: 1 })).rejects.toMatchObject({ code: 72 });
    expect(await admin.command({ getCmdLineOpts: 1 })).toMatchObject({
      parsed: { net: { port: mongo.server.port } },
      ok: 1,
    });
  });

  it('hides and unhides an index with collMod: the planner ignores a hidden index, uniqueness still holds', async () => {
    const c = db.collection('hidden');
    await c.insertMany(Array.from({ length: 50 }, (_, i) => ({ a: i })));
    await c.createIndex({ a: 1 }, { unique: true });
    expect((await planOf('hidden', { a: 7 })).inputStage?.indexName).toBe('a_1');
    expect(await db.command({ collMod: 'hidden', index: { keyPattern: { a: 1 }, hidden: true } })).toEqual({
      hidden_old: false,
      hidden_new: true,
      ok: 1,
    });
    expect((await planOf('hidden', { a: 7 })).stage).toBe('COLLSCAN');
    expect((await c.listIndexes().toArray()).find((i) => i.name === 'a_1')).toMatchObject({ hidden: true });
    await expect(c.insertOne({ a: 7 })).rejects.toMatchObject({ code: 11000 });
    await expect(c.find({ a: 7 }).hint('a_1').toArray()).rejects.toMatchObject({ code: 2 });
    await db.command({ collMod: 'hidden', index: { name: 'a_1', hidden: false } });
    expect((await planOf('hidden', { a: 7 })).inputStage?.indexName).toBe('a_1');
    await expect(db.command({ collMod: 'hidden', index: { name: 'nope', hidden: true } })).rejects.toMatchObject({
      code: 27,
    });
  });

  it('keeps an index hidden across a restart of a data directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'embedded-mongo-collmod-'));
    try {
      let server = await EmbeddedMongo.start({ dir });
      let client = await MongoClient.connect(server.uri);
      await client.db('d').collection('c').createIndex({ x: 1 });
      await client.db('d').command({ collMod: 'c', index: { name: 'x_1', hidden: true } });
      await client.close();
      await server.stop();
      server = await EmbeddedMongo.start({ dir });
      client = await MongoClient.connect(server.uri);
      expect((await client.db('d').collection('c').listIndexes().toArray())[1]).toMatchObject({
        name: 'x_1',
        hidden: true,
      });
      await client.close();
      await server.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates indexes with a collation: uniqueness follows it, listIndexes reports it', async () => {
    const c = db.collection('collated');
    await c.createIndex({ name: 1 }, { unique: true, collation: { locale: 'en', strength: 2 } });
    await c.insertOne({ name: 'Bob' });
    await expect(c.insertOne({ name: 'BOB' })).rejects.toMatchObject({ code: 11000 });
    await c.insertOne({ name: 'Bób' });
    const index = (await c.listIndexes().toArray()).find((i) => i.name === 'name_1');
    expect(index).toMatchObject({ unique: true, collation: { locale: 'en', strength: 2, caseLevel: false } });
  });

  it('honours hint in aggregate, and refuses a hint that names no index', async () => {
    const c = db.collection('hinted');
    await c.insertMany(Array.from({ length: 20 }, (_, i) => ({ a: i % 4, b: i })));
    await c.createIndex({ a: 1 });
    const pipeline = [{ $match: { a: 1 } }, { $group: { _id: '$a', n: { $sum: 1 } } }];
    expect(await c.aggregate(pipeline, { hint: 'a_1' }).toArray()).toEqual([{ _id: 1, n: 5 }]);
    expect(await c.aggregate(pipeline, { hint: { $natural: 1 } }).toArray()).toEqual([{ _id: 1, n: 5 }]);
    await expect(c.aggregate(pipeline, { hint: 'b_1' }).toArray()).rejects.toMatchObject({ code: 2 });
  });

  it('refuses geo index types and $near with MongoDB-shaped errors', async () => {
    const c = db.collection('places');
    await expect(c.createIndex({ loc: '2dsphere' })).rejects.toMatchObject({ code: 67, codeName: 'CannotCreateIndex' });
    await expect(c.createIndex({ loc: '2d' })).rejects.toMatchObject({ code: 67 });
    await expect(
      c.find({ loc: { $near: { $geometry: { type: 'Point', coordinates: [0, 0] } } } }).toArray(),
    ).rejects.toMatchObject({ code: 291, codeName: 'NoQueryExecutionPlans' });
  });
});
