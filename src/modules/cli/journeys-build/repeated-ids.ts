import type { ThreadMessage } from './build-thread';

type Ask = <T>(shard: number, message: ThreadMessage) => Promise<T>;

/**
 * Ids are idempotency keys across the whole input: the first line with an id wins, as in a single-threaded
 * read. Each shard drops the ids it has already seen; an id kept by two shards (the same id on two users) is
 * found by comparing 32-bit hashes of the kept ids, then settled on the few ids whose hashes meet.
 */
export class RepeatedIds {
  constructor(
    private readonly shards: number,
    private readonly ask: Ask,
  ) {}

  /** For each shard, the ids it kept that another shard kept earlier in the input: to drop. */
  async acrossShards(): Promise<string[][]> {
    const drops: string[][] = Array.from({ length: this.shards }, () => []);
    const hashes = await Promise.all(drops.map((_, shard) => this.ask<Uint32Array>(shard, { kind: 'hashes' })));
    const shared = sharedHashes(hashes);
    if (shared.length === 0) return drops;
    const kept = await Promise.all(
      drops.map((_, shard) => this.ask<Array<{ id: string; order: number }>>(shard, { kind: 'kept', hashes: shared })),
    );
    const first = new Map<string, number>();
    for (const list of kept) for (const { id, order } of list) first.set(id, Math.min(order, first.get(id) ?? order));
    kept.forEach((list, shard) => {
      for (const { id, order } of list) if (order > first.get(id)!) drops[shard].push(id);
    });
    return drops;
  }
}

/** The hashes present in more than one shard's list. */
function sharedHashes(lists: Uint32Array[]): Uint32Array {
  const shards = lists.length;
  const tagged = new Float64Array(lists.reduce((a, l) => a + l.length, 0));
  let at = 0;
  lists.forEach((list, shard) => list.forEach((hash) => (tagged[at++] = hash * shards + shard)));
  tagged.sort();
  const shared: number[] = [];
  for (let i = 1; i < tagged.length; i++) {
    const hash = Math.floor(tagged[i] / shards);
    if (tagged[i] !== tagged[i - 1] && hash === Math.floor(tagged[i - 1] / shards) && hash !== shared.at(-1)) {
      shared.push(hash);
    }
  }
  return Uint32Array.from(shared);
}
