import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { WorkerPool } from '../../../lib/concurrency/worker-pool';
import { UserEventStore } from '../../journeys/domain/event-store';
import { ExtractedEvent, KeywordMention } from '../../journeys/domain/keywords';
import { EmbedderMinimums } from '../../journeys/domain/embedder-choice';
import { PlatformEmbedder } from '../../journeys/domain/platform-embedder';
import { JourneyParams } from '../../journeys/domain/journey-params';
import { RankingModel } from '../../ranking/domain';
import { ParsedBlock, ThreadMessage, UserBatch } from './build-thread';
import { EventPacker, transferablesOf, unpackEvents } from './packed-events';

/** Input text per parse task: large enough that messaging is noise, small enough to keep every thread busy. */
const BLOCK_CHARS = 1 << 20;

/**
 * `journeys build` on worker threads. Threads receive raw text blocks and return the valid events packed
 * into typed arrays; this thread keeps the store (ids, users, training) in input order. Threads then receive
 * batches of users, packed the same way, and return finished output lines, written here in user order.
 */
export class BuildThreads {
  private readonly pool: WorkerPool;
  private readonly inFlight: number;

  constructor(
    threads: number,
    now: Date,
    private readonly blockChars = BLOCK_CHARS,
  ) {
    const script = join(__dirname, `build-thread${__filename.slice(__filename.lastIndexOf('.'))}`);
    this.pool = new WorkerPool(script, threads, { now: now.toISOString() });
    this.inFlight = threads * 2;
  }

  /** Reads and validates the file into `store`; invalid lines are reported in input order. Returns the line, blank line and duplicate counts. */
  async readEvents(
    file: string,
    store: UserEventStore,
    report: (line: number, reason: string) => void,
    progress?: (bytes: number) => void,
  ): Promise<{ lines: number; blank: number; duplicates: number }> {
    const input = createReadStream(file, { encoding: 'utf8', highWaterMark: this.blockChars });
    const pending: Array<Promise<ParsedBlock>> = [];
    const shared = new Map<string, KeywordMention>();
    let lines = 0;
    let blank = 0;
    let duplicates = 0;
    const take = async () => {
      const block = await pending.shift()!;
      // One shared object per distinct mention, as the single-threaded store keeps them.
      const mentions = block.events.mentions.map((m) => {
        const key = JSON.stringify(m);
        const known = shared.get(key);
        if (known) return known;
        shared.set(key, m);
        return m;
      });
      const events = unpackEvents(block.events, mentions);
      for (const { line, reason } of block.invalid) report(lines + line, reason);
      events.forEach((e, i) => store.addExtracted(block.ids[i], block.userIds[i], e) || duplicates++);
      lines += block.lines;
      blank += block.blank;
    };
    const send = (text: string) =>
      pending.push(quiet(this.pool.run<ParsedBlock>({ kind: 'parse', text } as ThreadMessage)));
    let carry = '';
    for await (const chunk of input as AsyncIterable<string>) {
      carry += chunk;
      const cut = carry.lastIndexOf('\n') + 1;
      if (cut === 0) continue;
      send(carry.slice(0, cut));
      carry = carry.slice(cut);
      progress?.(input.bytesRead);
      while (pending.length >= this.inFlight) await take();
    }
    if (carry.length > 0) send(carry);
    while (pending.length > 0) await take();
    return { lines, blank, duplicates };
  }

  /** Builds every user of the store in id order, handing each batch's lines to `write` in that order. */
  async build(
    users: Iterable<Array<[string, ExtractedEvent[]]>>,
    setup: {
      model: PlatformEmbedder;
      training: EmbedderMinimums;
      params: JourneyParams;
      ranker?: RankingModel;
      top?: number;
    },
    write: (text: string, journeys: number, users: number) => Promise<void>,
  ): Promise<void> {
    // Each thread makes the same embedder choice from the same model as a single-threaded build.
    const { model, ...rest } = setup;
    await this.pool.broadcast({ kind: 'setup', model: JSON.stringify(model), ...rest } as ThreadMessage);
    const pending: Array<Promise<{ text: string; journeys: number; users: number }>> = [];
    const take = async () => {
      const done = await pending.shift()!;
      await write(done.text, done.journeys, done.users);
    };
    for (const batch of users) {
      const packer = new EventPacker();
      for (const [, events] of batch) for (const e of events) packer.add(e);
      const events = packer.pack();
      const message: UserBatch = {
        userIds: batch.map(([userId]) => userId),
        eventCounts: Uint32Array.from(batch.map(([, list]) => list.length)),
        events,
      };
      const transfer = [...transferablesOf(events), message.eventCounts.buffer as ArrayBuffer];
      const built = this.pool.run<{ text: string; journeys: number }>(
        { kind: 'build', batch: message } as ThreadMessage,
        transfer,
      );
      pending.push(quiet(built.then((r) => ({ ...r, users: batch.length }))));
      while (pending.length >= this.inFlight) await take();
    }
    while (pending.length > 0) await take();
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
