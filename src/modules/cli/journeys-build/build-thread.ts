import { workerData } from 'node:worker_threads';
import { serveTasks } from '../../../lib/concurrency/worker-pool';
import { extractEventKeywords } from '../../journeys/domain/keywords';
import { JourneyParams } from '../../journeys/domain/journey-params';
import { chooseEmbedder, EmbedderMinimums } from '../../journeys/domain/embedder-choice';
import { PlatformEmbedder } from '../../journeys/domain/platform-embedder';
import { RankingModel } from '../../ranking/domain';
import { parseEventLine, splitLines } from './event-line';
import { EventPacker, PackedEvents, transferablesOf } from './packed-events';
import { packStrings, PackedStrings, ShardBatch, ShardBatchBuilder, shardOf } from './shard-batch';
import { buildUserLines, LineContext } from './user-lines';
import { UserShard } from './user-shard';

/** A block of input lines parsed by a thread: counts, invalid lines by block-relative number, one batch per shard. */
export interface ParsedBlock {
  lines: number;
  /** Empty or whitespace-only lines: skipped, neither events nor invalid. */
  blank: number;
  invalid: Array<{ line: number; reason: string }>;
  shards: ShardBatch[];
}

/** Users in id order with how many events each has and the events in that order. */
export interface PackedUsers {
  userIds: PackedStrings;
  eventCounts: Uint32Array;
  events: PackedEvents;
}

/** Built users in id order and their output lines. */
export interface BuiltUsers {
  userIds: string[];
  lines: string[];
  journeys: number;
}

export interface BuildSetup {
  model: string;
  training: EmbedderMinimums;
  params: JourneyParams;
  ranker?: RankingModel;
  top?: number;
}

export type ThreadMessage =
  | { kind: 'parse'; bytes: ArrayBuffer; length: number }
  | { kind: 'add'; block: number; batch: ShardBatch }
  | { kind: 'hashes' }
  | { kind: 'kept'; hashes: Uint32Array }
  | { kind: 'drop'; ids: string[] }
  | { kind: 'export' }
  | ({ kind: 'setup' } & BuildSetup)
  | { kind: 'build'; users: number };

type Reply = { result: unknown; transfer?: ArrayBuffer[] };

const { now: nowText, shards } = workerData as { now: string; shards: number };
const now = new Date(nowText);
const shard = new UserShard();
let context: LineContext | undefined;

/** Parses raw UTF-8 lines (cut at a line break) and sorts the valid events into their owners' batches. */
function parseBlock(bytes: ArrayBuffer, length: number): Reply {
  const lines = splitLines(Buffer.from(bytes, 0, length).toString('utf8'));
  const batches = Array.from({ length: shards }, () => new ShardBatchBuilder());
  const block: ParsedBlock = { lines: lines.length, blank: 0, invalid: [], shards: [] };
  lines.forEach((line, i) => {
    const parsed = parseEventLine(line, now);
    if ('blank' in parsed) block.blank++;
    if ('invalid' in parsed) block.invalid.push({ line: i + 1, reason: parsed.invalid });
    if (!('event' in parsed)) return;
    const { id, userId } = parsed.event;
    batches[shardOf(userId, shards)].add(id, userId, i, extractEventKeywords(parsed.event));
  });
  const packed = batches.map((b) => b.pack());
  block.shards = packed.map((p) => p.batch);
  return { result: block, transfer: packed.flatMap((p) => p.transfer) };
}

function exportUsers(): Reply {
  const users = shard.allUsers();
  const packer = new EventPacker();
  for (const [, events] of users) for (const e of events) packer.add(e);
  const result: PackedUsers = {
    userIds: packStrings(users.map(([userId]) => userId)),
    eventCounts: Uint32Array.from(users, ([, events]) => events.length),
    events: packer.pack(),
  };
  const own = [result.userIds.lengths.buffer, result.eventCounts.buffer] as ArrayBuffer[];
  return { result, transfer: [...own, ...transferablesOf(result.events)] };
}

function buildNext(count: number): Reply {
  if (!context) throw new Error('build thread used before setup');
  const users = shard.nextUsers(count);
  const { lines, journeys } = buildUserLines(users, context);
  const result: BuiltUsers = { userIds: users.map(([userId]) => userId), lines, journeys };
  return { result };
}

function handle(m: ThreadMessage): Reply {
  switch (m.kind) {
    case 'parse':
      return parseBlock(m.bytes, m.length);
    case 'add':
      return { result: shard.add(m.block, m.batch) };
    case 'hashes': {
      const hashes = shard.idHashes();
      return { result: hashes, transfer: [hashes.buffer as ArrayBuffer] };
    }
    case 'kept':
      return { result: shard.keptWith(m.hashes) };
    case 'drop':
      shard.drop(m.ids);
      return { result: { events: shard.events, users: shard.size } };
    case 'export':
      return exportUsers();
    case 'setup': {
      const { embedder } = chooseEmbedder(PlatformEmbedder.fromJSON(JSON.parse(m.model)), m.training);
      context = { now, embedder, params: m.params, ranker: m.ranker, top: m.top };
      return { result: true };
    }
    case 'build':
      return buildNext(m.users);
  }
}

serveTasks((message) => handle(message as ThreadMessage));
