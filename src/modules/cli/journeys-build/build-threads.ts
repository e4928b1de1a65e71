import { join } from 'node:path';
import { ownThreadCpuSeconds } from '../../../lib/concurrency/thread-cpu';
import { WorkerPool } from '../../../lib/concurrency/worker-pool';
import { BUILD_THREAD_LIMITS } from '../../journeys/inference/build-thread-limits';
import { ExtractedEvent } from '../../journeys/domain/keywords';
import type { BuildSetup, BuiltUsers, PackedUsers, ThreadMessage } from './build-thread';
import type { ReadTally } from './own-lines';
import { mergeBuiltUsers, mergeTrainingLists } from './shard-merge';
import { RepeatedIds } from './repeated-ids';
import { inputBlocks } from './input-blocks';
import { LineRouter, transferablesOfRouted } from './routed-lines';

/** Input bytes read at a time: large enough that a read is noise, small enough for a lively progress bar. */
const BLOCK_BYTES = 1 << 20;
/**
 * Blocks routed to the threads before this thread waits for the oldest to be parsed: enough (16 MB) that
 * the threads keep busy while this one waits for a core on a busy machine.
 */
const BLOCKS_AHEAD = 16;
const USERS_PER_BATCH = 100;

/** CPU seconds per phase: this (the main) thread first, then each worker thread. */
export interface PhaseCpu {
  read: number[];
  build: number[];
}

export interface ReadCounts {
  lines: number;
  blank: number;
  duplicates: number;
  invalid: number;
  events: number;
  users: number;
}

/**
 * `journeys build` on worker threads. Each thread owns the users whose id hashes to it (its shard). This
 * thread reads the input once and routes each line to its owner (see `LineRouter`), which alone parses it
 * (see `OwnLines`): no thread reads or parses another's lines, and no event crosses between threads. This
 * thread also gathers counts and invalid lines, settles ids repeated across shards, and at the end merges
 * the shards' output lines into user id order.
 */
export class BuildThreads {
  private readonly pool: WorkerPool;
  /** Each thread's CPU seconds at the start (worker threads start at 0), the end of reading, of building. */
  private readonly cpu: number[][];

  constructor(
    threads: number,
    now: Date,
    private readonly blockBytes = BLOCK_BYTES,
  ) {
    const script = join(__dirname, `build-thread${__filename.slice(__filename.lastIndexOf('.'))}`);
    this.pool = new WorkerPool(script, threads, { now: now.toISOString(), shards: threads }, BUILD_THREAD_LIMITS);
    this.cpu = [[ownThreadCpuSeconds() ?? 0]];
  }

  private get shards(): number[] {
    return Array.from({ length: this.pool.size }, (_, i) => i);
  }

  private on<T>(shard: number, message: ThreadMessage, transfer: ArrayBuffer[] = []): Promise<T> {
    return quiet(this.pool.runOnThread<T>(shard, message, transfer));
  }

  /**
   * Reads and validates the file into the shards; `report` gets the first `detailLimit` invalid lines in
   * input order (the count has them all).
   */
  async readEvents(
    file: string,
    detailLimit: number,
    report: (line: number, reason: string) => void,
    progress?: (bytes: number) => void,
  ): Promise<ReadCounts> {
    await Promise.all(this.shards.map((shard) => this.on(shard, { kind: 'open', shard, detailLimit })));
    const router = new LineRouter(this.shards.length);
    // This thread reads and routes while the threads parse: a few blocks ahead of them, not the whole file.
    const inFlight: Array<Promise<unknown>> = [];
    let read = 0;
    for await (const block of inputBlocks(file, this.blockBytes, (bytes) => (read = bytes), true)) {
      const at = read;
      const routed = router.route(block);
      const parsed = Promise.all(
        routed.map((lines, shard) => this.on(shard, { kind: 'read', ...lines }, transferablesOfRouted(lines))),
      );
      inFlight.push(quiet(parsed.then(() => progress?.(at))));
      if (inFlight.length >= BLOCKS_AHEAD) await inFlight.shift();
    }
    await Promise.all(inFlight);
    const tallies = await Promise.all(this.shards.map((shard) => this.on<ReadTally>(shard, { kind: 'tally' })));
    const details = tallies.flatMap((t) => t.details).sort((a, b) => a.line - b.line);
    for (const { line, reason } of details.slice(0, detailLimit)) report(line, reason);
    const drops = await new RepeatedIds(this.shards.length, (shard, message) => this.on(shard, message)).acrossShards();
    const counts = await Promise.all(
      drops.map((ids, shard) => this.on<{ events: number; users: number }>(shard, { kind: 'drop', ids })),
    );
    await this.markCpu();
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    return {
      lines: router.lines,
      // Blank lines have no user id to route them by: every thread sees and counts each of them.
      blank: tallies[0].blank,
      invalid: sum(tallies.map((t) => t.invalid)),
      duplicates: sum(tallies.map((t) => t.duplicates)) + sum(drops.map((ids) => ids.length)),
      events: sum(counts.map((c) => c.events)),
      users: sum(counts.map((c) => c.users)),
    };
  }

  /** CPU seconds each phase took on this thread, then on each worker thread (empty off Linux). */
  get phaseCpu(): PhaseCpu {
    const used = (from: number[], to: number[]) => to.map((seconds, i) => seconds - (from[i] ?? 0));
    const [start, read, built] = this.cpu;
    return { read: used(start, read ?? []), build: used(read ?? [], built ?? []) };
  }

  /** Marks the end of a phase: every thread's CPU seconds so far. */
  private async markCpu(): Promise<void> {
    const threads = await Promise.all(this.shards.map((shard) => this.on<number | undefined>(shard, { kind: 'cpu' })));
    const all = [ownThreadCpuSeconds(), ...threads];
    this.cpu.push(all.every((s) => s !== undefined) ? (all as number[]) : []);
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
    await this.markCpu();
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
