import { threadId, workerData } from 'node:worker_threads';
import { serveTasks } from '../../../lib/concurrency/worker-pool';
import { extractEventKeywords } from '../../journeys/domain/keywords';
import { JourneyParams } from '../../journeys/domain/journey-params';
import { chooseEmbedder, EmbedderMinimums } from '../../journeys/domain/embedder-choice';
import { PlatformEmbedder } from '../../journeys/domain/platform-embedder';
import { RankingModel } from '../../ranking/domain';
import { parseEventLine, splitLines } from './event-line';
import { EventPacker, PackedEvents, transferablesOf, unpackEvents } from './packed-events';
import { buildUserLines, LineContext } from './user-lines';

/** A block of input lines parsed by a thread: the valid events packed, the invalid lines by block-relative number. */
export interface ParsedBlock {
  thread: number;
  lines: number;
  /** Empty or whitespace-only lines: skipped, neither events nor invalid. */
  blank: number;
  invalid: Array<{ line: number; reason: string }>;
  ids: string[];
  userIds: string[];
  events: PackedEvents;
}

/** A batch of users to build: their ids, how many events each has, and the events in that order. */
export interface UserBatch {
  userIds: string[];
  eventCounts: Uint32Array;
  events: PackedEvents;
}

export type ThreadMessage =
  | { kind: 'parse'; text: string }
  | {
      kind: 'setup';
      model: string;
      training: EmbedderMinimums;
      params: JourneyParams;
      ranker?: RankingModel;
      top?: number;
    }
  | { kind: 'build'; batch: UserBatch };

const now = new Date((workerData as { now: string }).now);
let context: LineContext | undefined;

function parseBlock(text: string): { result: ParsedBlock; transfer: ArrayBuffer[] } {
  const lines = splitLines(text);
  const block: Omit<ParsedBlock, 'events'> = {
    thread: threadId,
    lines: lines.length,
    blank: 0,
    invalid: [],
    ids: [],
    userIds: [],
  };
  const packer = new EventPacker(true);
  lines.forEach((line, i) => {
    const parsed = parseEventLine(line, now);
    if ('blank' in parsed) block.blank++;
    if ('invalid' in parsed) block.invalid.push({ line: i + 1, reason: parsed.invalid });
    if (!('event' in parsed)) return;
    block.ids.push(parsed.event.id);
    block.userIds.push(parsed.event.userId);
    packer.add(extractEventKeywords(parsed.event));
  });
  const events = packer.pack();
  return { result: { ...block, events }, transfer: transferablesOf(events) };
}

function buildBatch(batch: UserBatch): { result: { text: string; journeys: number } } {
  if (!context) throw new Error('build thread used before setup');
  const events = unpackEvents(batch.events);
  let offset = 0;
  const users = batch.userIds.map((userId, i) => {
    const own = events.slice(offset, (offset += batch.eventCounts[i]));
    return [userId, own] as const;
  });
  const { lines, journeys } = buildUserLines(users, context);
  return { result: { text: lines.map((line) => `${line}\n`).join(''), journeys } };
}

serveTasks((message) => {
  const m = message as ThreadMessage;
  if (m.kind === 'parse') return parseBlock(m.text);
  if (m.kind === 'build') return buildBatch(m.batch);
  const { embedder } = chooseEmbedder(PlatformEmbedder.fromJSON(JSON.parse(m.model)), m.training);
  context = { now, embedder, params: m.params, ranker: m.ranker, top: m.top };
  return { result: true };
});
