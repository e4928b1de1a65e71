import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collection, MongoClient } from 'mongodb';
import { EmbeddedMongo } from '../../../src/embedded-mongo';

jest.setTimeout(120_000);

async function fill(collection: Collection, count: number): Promise<void> {
  for (let from = 0; from < count; from += 10_000) {
    await collection.insertMany(
      Array.from({ length: 10_000 }, (_, i) => ({
        user: `u${(from + i) % 5000}`,
        n: from + i,
        note: 'x'.repeat(200),
      })),
    );
  }
}

/**
 * Pings over a second connection for as long as `work` runs and counts the answers that arrived
 * before it finished. A command that stopped the world would let none through.
 */
async function pingsDuring(uri: string, work: () => Promise<unknown>): Promise<number> {
  const pinger = await MongoClient.connect(uri, { maxPoolSize: 1 });
  await pinger.db('admin').command({ ping: 1 });
  let finished = false;
  let answered = 0;
  try {
    const running = work().finally(() => (finished = true));
    while (!finished) {
      await pinger.db('admin').command({ ping: 1 });
      if (!finished) answered++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await running;
    return answered;
  } finally {
    await pinger.close();
  }
}

describe('embedded mongo under long commands', () => {
  it('answers another client while a large aggregation, sort and scan run', async () => {
    const server = await EmbeddedMongo.start();
    const client = await MongoClient.connect(server.uri);
    try {
      const events = client.db('long').collection('events');
      await fill(events, 100_000);
      const grouped = await pingsDuring(server.uri, () =>
        events.aggregate([{ $match: { n: { $gte: 0 } } }, { $group: { _id: '$user', n: { $sum: 1 } } }]).toArray(),
      );
      expect(grouped).toBeGreaterThan(0);
      const sorted = await pingsDuring(server.uri, () =>
        events.find({ note: /x/ }).sort({ user: -1, n: 1 }).limit(5).toArray(),
      );
      expect(sorted).toBeGreaterThan(0);
      const counted = await pingsDuring(server.uri, () => events.countDocuments({ note: { $exists: true } }));
      expect(counted).toBeGreaterThan(0);
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it('answers another client while a large snapshot is written, and the snapshot holds every document', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'embedded-mongo-snapshot-'));
    let server = await EmbeddedMongo.start({ dir });
    let client = await MongoClient.connect(server.uri);
    try {
      await fill(client.db('big').collection('events'), 80_000);
      let writes = 0;
      const answered = await pingsDuring(server.uri, async () => {
        const snapshot = server.snapshot();
        // Writes go on while the snapshot is written; they land in the new journal.
        for (; writes < 20; writes++) await client.db('big').collection('during').insertOne({ i: writes });
        await snapshot;
      });
      expect(answered).toBeGreaterThan(0);
      await client.close();
      await server.stop();
      server = await EmbeddedMongo.start({ dir });
      client = await MongoClient.connect(server.uri);
      expect(await client.db('big').collection('events').estimatedDocumentCount()).toBe(80_000);
      expect(await client.db('big').collection('during').countDocuments()).toBe(writes);
    } finally {
      await client.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
