import { useDriverClient } from '../../setup/mongo';

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

describe('embedded mongo TTL indexes', () => {
  const mongo = useDriverClient('ttl');

  it('expires documents whose indexed date is older than expireAfterSeconds and keeps the rest', async () => {
    const sessions = mongo.client.db('ttl').collection('sessions');
    await sessions.createIndex({ lastSeen: 1 }, { expireAfterSeconds: 1 });
    const now = Date.now();
    await sessions.insertMany([
      { name: 'stale', lastSeen: new Date(now - 60_000) },
      { name: 'stale-array', lastSeen: [new Date(now + 3_600_000), new Date(now - 60_000)] },
      { name: 'soon', lastSeen: new Date(now) },
      { name: 'fresh', lastSeen: new Date(now + 3_600_000) },
      { name: 'not-a-date', lastSeen: 'yesterday' },
      { name: 'missing' },
    ]);
    const expired = await waitFor(
      async () => (await sessions.countDocuments({ name: { $in: ['stale', 'stale-array', 'soon'] } })) === 0,
      5000,
    );
    expect(expired).toBe(true);
    expect((await sessions.find().toArray()).map((d) => d.name).sort()).toEqual(['fresh', 'missing', 'not-a-date']);
    expect((await sessions.listIndexes().toArray())[1]).toMatchObject({ key: { lastSeen: 1 }, expireAfterSeconds: 1 });
  });
});
