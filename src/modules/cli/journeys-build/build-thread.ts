import { workerData } from 'node:worker_threads';
import { serveTasks } from '../../../lib/concurrency/worker-pool';
import { JourneyParams } from '../../journeys/domain/journey-params';
import { chooseEmbedder, EmbedderMinimums } from '../../journeys/domain/embedder-choice';
import { PlatformEmbedder } from '../../journeys/domain/platform-embedder';
import { RankingModel } from '../../ranking/domain';
import { ownThreadCpuSeconds } from '../../../lib/concurrency/thread-cpu';
import { EventPacker, PackedEvents, transferablesOf } from './packed-events';
import { OwnLines } from './own-lines';
import { packStrings, PackedStrings } from './packed-strings';
import { RoutedLines } from './routed-lines';
import { buildUserLines, LineContext } from './user-lines';
import { UserShard } from './user-shard';

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
  | { kind: 'open'; shard: number; detailLimit: number }
  | ({ kind: 'read' } & RoutedLines)
  | { kind: 'tally' }
  | { kind: 'cpu' }
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
let input: OwnLines | undefined;
let context: LineContext | undefined;

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
    case 'open':
      input = new OwnLines(m.shard, shards, now, shard, m.detailLimit);
      return { result: true };
    case 'read':
      input!.read(m);
      return { result: true };
    case 'tally':
      return { result: input!.tally };
    case 'cpu':
      return { result: ownThreadCpuSeconds() };
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
