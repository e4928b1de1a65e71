import type { BuiltUsers } from './build-thread';
import { mergeBuiltUsers } from './shard-merge';

/** A shard that builds its users (ids in order) in batches of `size`, each batch settled when `release` says. */
function shard(ids: string[], size: number) {
  const batches: BuiltUsers[] = [];
  for (let i = 0; i < ids.length; i += size) {
    const userIds = ids.slice(i, i + size);
    batches.push({ userIds, lines: userIds.map((id) => `{"userId":"${id}"}`), journeys: userIds.length });
  }
  // An empty batch says the shard is done, as a build thread answers once its users run out.
  batches.push({ userIds: [], lines: [], journeys: 0 });
  const pending: Array<() => void> = [];
  let requested = 0;
  return {
    get requested() {
      return requested;
    },
    next(): Promise<BuiltUsers> {
      const batch = batches[Math.min(requested++, batches.length - 1)];
      return new Promise((resolve) => pending.push(() => resolve(batch)));
    },
    /** Settles the oldest unsettled request. */
    release(): boolean {
      const settle = pending.shift();
      settle?.();
      return settle !== undefined;
    },
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('mergeBuiltUsers', () => {
  it('writes every shard’s users once, in user id order, whatever the batch sizes', async () => {
    const ids = Array.from({ length: 57 }, (_, i) => `u${String(i).padStart(3, '0')}`);
    const shards = [
      shard(
        ids.filter((_, i) => i % 3 === 0),
        4,
      ),
      shard(
        ids.filter((_, i) => i % 3 !== 0),
        7,
      ),
    ];
    const written: string[] = [];
    let journeys = 0;
    const merged = mergeBuiltUsers(
      2,
      (s) => shards[s].next(),
      10,
      async (text, j, users) => {
        const lines = text.split('\n').filter(Boolean);
        expect(lines).toHaveLength(users);
        written.push(...lines);
        journeys += j;
      },
    );
    while (shards.some((s) => s.release())) await flush();
    await merged;
    expect(written).toEqual(ids.map((id) => `{"userId":"${id}"}`));
    expect(journeys).toBe(ids.length);
  });

  it('lets a shard build ahead of a slower one, up to the window, and no further', async () => {
    const fast = shard(
      Array.from({ length: 40 }, (_, i) => `b${String(i).padStart(2, '0')}`),
      2,
    );
    const slow = shard(['a0', 'c0'], 2);
    const shards = [slow, fast];
    const merged = mergeBuiltUsers(
      2,
      (s) => shards[s].next(),
      100,
      async () => undefined,
      4,
    );
    // The fast shard settles everything asked of it while the slow one holds its first batch.
    for (let i = 0; i < 20; i++) {
      fast.release();
      await flush();
    }
    expect(fast.requested).toBe(4);
    expect(slow.requested).toBe(4);
    // Once the slow shard's first batch is in, all the fast shard's users (before "c0") flow out.
    slow.release();
    for (let i = 0; i < 40; i++) {
      fast.release();
      await flush();
    }
    expect(fast.requested).toBeGreaterThanOrEqual(21);
    while ([slow, fast].some((s) => s.release())) await flush();
    await merged;
  });
});
