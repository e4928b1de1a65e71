import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_LIMITS } from '../../../src/lib/events/activity-event';
import { RawEvent } from '../../../src/lib/synthetic/population';
import { readLines } from './text-files';

/** A hand-labelled query: its time-gap session and its task inside that session. */
export interface TaskLabel {
  userId: string;
  session: string;
  task: string;
}

export interface AolDataset {
  events: RawEvent[];
  /** Labels by event id, for the labelled queries that could be aligned to an event. */
  labels: Map<string, TaskLabel>;
  /** Labelled rows that matched no event (reported, never guessed). */
  unaligned: number;
}

const ALIGN_RADIUS = 25;

/**
 * One user's raw AOL log as events, following the dataset's own cleaning: rows whose query is `-` or one
 * character are dropped, adjacent rows with the same query and clicked URL (reloads) are collapsed, and each
 * remaining row is an event at its position in that stream: a `search`, or a `click` (with the query that led
 * to it) when the row has a clicked URL. AOL gives no time zone; times are read as UTC, only gaps matter.
 */
export function convertAolLog(anonId: string, lines: readonly string[]): RawEvent[] {
  const events: RawEvent[] = [];
  let previous = '';
  for (const line of lines) {
    const fields = line.split('\t');
    if (fields.length < 3) continue;
    const query = fields[1].trim();
    const time = fields[2].trim();
    const url = (fields[4] ?? '').trim();
    if (query === '-' || query.length <= 1 || !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(time)) continue;
    const signature = `${query}\u0000${url}`;
    if (signature === previous) continue;
    previous = signature;
    const position = events.length;
    events.push({
      id: `aol-${anonId}-${position}`,
      userId: `aol-${anonId}`,
      type: url ? 'click' : 'search',
      occurredAt: `${time.replace(' ', 'T')}Z`,
      query: query.slice(0, EVENT_LIMITS.queryLength),
      ...(url && { item: { id: url.slice(0, EVENT_LIMITS.idLength) } }),
    });
  }
  return events;
}

/**
 * Attaches the task labels (all-tasks.txt rows: AnonID, session, task, queryID, query) to events: the event
 * with the same query text (case-insensitive) whose position is closest to queryID - 1, as the dataset's
 * notes describe. Each event takes at most one label.
 */
export function alignTaskLabels(
  taskLines: readonly string[],
  eventsByAnonId: ReadonlyMap<string, readonly RawEvent[]>,
): { labels: Map<string, TaskLabel>; unaligned: number } {
  const labels = new Map<string, TaskLabel>();
  let unaligned = 0;
  for (const line of taskLines) {
    const [anonId, session, task, queryId, ...rest] = line.split('\t');
    const query = rest.join('\t').trim().toLowerCase();
    const events = eventsByAnonId.get(anonId ?? '');
    const target = Number(queryId) - 1;
    if (!events || !session || !task || !Number.isInteger(target)) {
      unaligned++;
      continue;
    }
    let found: RawEvent | undefined;
    for (let d = 0; d <= ALIGN_RADIUS && !found; d++) {
      for (const p of d === 0 ? [target] : [target - d, target + d]) {
        const e = events[p];
        if (e && !labels.has(e.id) && e.query?.toLowerCase() === query) {
          found = e;
          break;
        }
      }
    }
    if (found) labels.set(found.id, { userId: found.userId, session, task });
    else unaligned++;
  }
  return { labels, unaligned };
}

/** Reads the 13 users' logs (perAuthorAllQueries/) and the labelled tasks (all-tasks.txt). */
export function readAol(dir: string): AolDataset {
  const logs = join(dir, 'perAuthorAllQueries');
  const byUser = new Map<string, RawEvent[]>();
  for (const anonId of readdirSync(logs).sort()) {
    byUser.set(anonId, convertAolLog(anonId, readLines(join(logs, anonId))));
  }
  const { labels, unaligned } = alignTaskLabels(readLines(join(dir, 'all-tasks.txt')), byUser);
  return { events: [...byUser.values()].flat(), labels, unaligned };
}
