import { MongoClient } from 'mongodb';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { startTestMongo } from '../../setup/mongo';

describe('embedded mongo under concurrency', () => {
  let server: EmbeddedMongo;

  beforeAll(async () => {
    server = await startTestMongo();
  });

  afterAll(async () => {
    await server.stop();
  });

  it('serves 120 separate client connections at once', async () => {
    const clients = await Promise.all(
      Array.from({ length: 120 }, () => MongoClient.connect(server.uri, { maxPoolSize: 1 })),
    );
    try {
      await Promise.all(clients.map((client, i) => client.db('conc').collection('hits').insertOne({ client: i })));
      const counts = await Promise.all(clients.map((client) => client.db('conc').collection('hits').countDocuments()));
      expect(counts.every((n) => n === 120)).toBe(true);
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });

  it('keeps one document per key when many connections upsert the same unique key', async () => {
    const writers = await Promise.all(
      Array.from({ length: 20 }, () => MongoClient.connect(server.uri, { maxPoolSize: 10 })),
    );
    try {
      const setup = writers[0].db('conc').collection('counters');
      await setup.createIndex({ key: 1 }, { unique: true });
      const attempts = writers.flatMap((client, w) =>
        Array.from({ length: 10 }, (_, i) =>
          client
            .db('conc')
            .collection('counters')
            .updateOne({ key: `k${i % 5}` }, { $inc: { n: 1 }, $setOnInsert: { firstWriter: w } }, { upsert: true }),
        ),
      );
      const results = await Promise.all(attempts);
      const docs = await setup.find().sort({ key: 1 }).toArray();
      expect(docs.map((d) => d.key)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
      expect(docs.reduce((sum, d) => sum + d.n, 0)).toBe(200);
      expect(results.filter((r) => r.upsertedCount === 1)).toHaveLength(5);
      const inserts = await Promise.allSettled(
        writers.map((client) => client.db('conc').collection('counters').insertOne({ key: 'race' })),
      );
      expect(inserts.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(
        inserts.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason.code === 11000),
      ).toBe(true);
    } finally {
      await Promise.all(writers.map((client) => client.close()));
    }
  });
});
