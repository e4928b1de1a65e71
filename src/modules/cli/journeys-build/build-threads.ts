import { join } from 'node:path';
import { WorkerPool } from '../../../lib/concurrency/worker-pool';
import { ExtractedEvent } from '../../journeys/domain/keywords';
import type { BuildSetup, BuiltUsers, PackedUsers, ParsedBlock, ThreadMessage } from './build-thread';
import { inputBlocks } from './input-blocks';
import { batchTransferables } from './shard-batch';
import { mergeBuiltUsers, mergeTrainingLists } from './shard-merge';
import { RepeatedIds } from './repeated-ids';

/** Input bytes per parse task: large enough that messaging is noise, small enough to keep every thread busy. */
const BLOCK_BYTES = 1 << 20;
const USERS_PER_BATCH = 100;

export interface ReadCounts {
  lines: number;
  blank: number;
  duplicates: number;
  events: number;
  users: number;
}

/**
 * `journeys build` on worker threads. Each thread owns the users whose id hashes to it (its shard). Threads
 * parse raw byte blocks of the input and return each shard's events packed into typed arrays; this thread
 * only forwards them, in input order, to their owners, reports invalid lines, and at the end merges the
 * shards' output lines into user id order. No event is unpacked here.
 */
export class BuildThreads {
  private readonly pool: WorkerPool;
  private readonly inFlight: number;

  constructor(
    threads: number,
    now: Date,
    private readonly blockBytes = BLOCK_BYTES,
  ) {
    const script = join(__dirname, `build-thread${__filename.slice(__filename.lastIndexOf('.'))}`);
    this.pool = new WorkerPool(script, threads, { now: now.toISOString(), shards: threads });
    this.inFlight = threads * 2;
  }

  private get shards(): number[] {
    return Array.from({ length: this.pool.size }, (_, i) => i);
  }

  private on<T>(shard: number, message: ThreadMessage, transfer: ArrayBuffer[] = []): Promise<T> {
    return quiet(this.pool.runOnThread<T>(shard, message, transfer));
  }

  /** Reads and validates the file into the shards; invalid lines are reported in input order. */
  async readEvents(
    file: string,
    report: (line: number, reason: string) => void,
    progress?: (bytes: number) => void,
  ): Promise<ReadCounts> {
    const pending: Array<Promise<ParsedBlock>> = [];
    const added: Array<Promise<number>> = [];
    let lines = 0;
    let blank = 0;
    let block = 0;
    const take = async () => {
      const parsed = await pending.shift()!;
      for (const { line, reason } of parsed.invalid) report(lines + line, reason);
      lines += parsed.lines;
      blank += parsed.blank;
      parsed.shards.forEach((batch, shard) =>
        added.push(this.on<number>(shard, { kind: 'add', block, batch }, batchTransferables(batch))),
      );
      block++;
    };
    for await (const { bytes, length } of inputBlocks(file, this.blockBytes, progress)) {
      pending.push(quiet(this.pool.run<ParsedBlock>({ kind: 'parse', bytes, length } as ThreadMessage, [bytes])));
      while (pending.length >= this.inFlight) await take();
    }
    while (pending.length > 0) await take();
    const repeated = new RepeatedIds(this.shards.length, (shard, message) => this.on(shard, message));
    let duplicates = (await Promise.all(added)).reduce((a, b) => a + b, 0);
    const drops = await repeated.acrossShards();
    duplicates += drops.reduce((a, ids) => a + ids.length, 0);
    const counts = await Promise.all(
      drops.map((ids, shard) => this.on<{ events: number; users: number }>(shard, { kind: 'drop', ids })),
    );
    const events = counts.reduce((a, c) => a + c.events, 0);
    return { lines, blank, duplicates, events, users: counts.reduce((a, c) => a + c.users, 0) };
  }

  /** Every user's time-ordered events in user id order, for embedder training. */
  async trainingLists(): Promise<Array<readonly ExtractedEvent[]>> {
    return mergeTrainingLists(
      await Promise.all(this.shards.map((shard) => this.on<PackedUsers>(shard, { kind: 'export' }))),
    );
  }

  /** Builds every user in id order, handing the output lines to `write` in that order. */
  async build(
    setup: BuildSetup,
    write: (text: string, journeys: number, users: number) => Promise<void>,
  ): Promise<void> {
    await this.pool.broadcast({ kind: 'setup', ...setup } as ThreadMessage);
    const next = (shard: number) => this.on<BuiltUsers>(shard, { kind: 'build', users: USERS_PER_BATCH });
    await mergeBuiltUsers(this.shards.length, next, USERS_PER_BATCH, write);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Keeps a promise that is awaited later (in order) from counting as an unhandled rejection meanwhile. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
