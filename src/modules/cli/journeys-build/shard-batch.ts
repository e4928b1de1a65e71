import { fnv1a } from '../../../lib/text/ngrams';
import { ExtractedEvent } from '../../journeys/domain/keywords';
import { EventPacker, PackedEvents, transferablesOf } from './packed-events';

/** Many strings as one string and their lengths: cloned as a single copy instead of string by string. */
export interface PackedStrings {
  text: string;
  lengths: Uint32Array;
}

/**
 * The valid events of one input block that belong to one shard (the users one thread owns): their ids,
 * users, block-relative line numbers and extracted events. Only the shard's owner unpacks it.
 */
export interface ShardBatch {
  ids: PackedStrings;
  userIds: PackedStrings;
  lines: Uint32Array;
  events: PackedEvents;
}

/** The shard (0 to shards - 1) that owns a user: the same user always lands on the same thread. */
export function shardOf(userId: string, shards: number): number {
  return fnv1a(userId) % shards;
}

export function packStrings(list: readonly string[]): PackedStrings {
  return { text: list.join(''), lengths: Uint32Array.from(list, (s) => s.length) };
}

export function unpackStrings(packed: PackedStrings): string[] {
  const out: string[] = new Array(packed.lengths.length);
  let at = 0;
  for (let i = 0; i < out.length; i++) out[i] = packed.text.slice(at, (at += packed.lengths[i]));
  return out;
}

/** Collects one block's events for one shard. */
export class ShardBatchBuilder {
  private readonly ids: string[] = [];
  private readonly userIds: string[] = [];
  private readonly lines: number[] = [];
  private readonly packer = new EventPacker(true);

  add(id: string, userId: string, line: number, event: ExtractedEvent): void {
    this.ids.push(id);
    this.userIds.push(userId);
    this.lines.push(line);
    this.packer.add(event);
  }

  /** The batch and the buffers to move (not copy) with it. */
  pack(): { batch: ShardBatch; transfer: ArrayBuffer[] } {
    const batch: ShardBatch = {
      ids: packStrings(this.ids),
      userIds: packStrings(this.userIds),
      lines: Uint32Array.from(this.lines),
      events: this.packer.pack(),
    };
    return { batch, transfer: batchTransferables(batch) };
  }
}

/** The buffers to move with a batch, when it is created and again when it is forwarded to its shard. */
export function batchTransferables(batch: ShardBatch): ArrayBuffer[] {
  const own = [batch.ids.lengths, batch.userIds.lengths, batch.lines].map((a) => a.buffer as ArrayBuffer);
  return [...own, ...transferablesOf(batch.events)];
}
