import { ActivityEvent } from '../../../lib/events/activity-event';

/** What an event says besides its id: two events with one id and the same content are one event sent twice. */
export const EVENT_CONTENT_FIELDS = ['userId', 'type', 'occurredAt', 'query', 'item', 'board', 'properties'] as const;
export type EventContentField = (typeof EVENT_CONTENT_FIELDS)[number];

/** Where an id was used first: by the stored event, or by the event at that index of the same batch. */
export type IdHolder = number | 'stored';

/** What became of one event of a batch. */
export type EventOutcome =
  | { kind: 'accepted' }
  | { kind: 'duplicate' }
  /** Written or replayed for a user whose profile is being erased, and not kept. */
  | { kind: 'erased' }
  | { kind: 'conflict'; with: IdHolder; fields: EventContentField[] };

/** An event that reuses an id with other content, by its batch index. */
export interface EventConflict {
  index: number;
  with: IdHolder;
  fields: EventContentField[];
}

// JSON values as parsed, or as read back from BSON: key order does not matter, numbers compare by value.
function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const aRecord = a as Record<string, unknown>;
    const bRecord = b as Record<string, unknown>;
    const keys = Object.keys(aRecord);
    return (
      keys.length === Object.keys(bRecord).length &&
      keys.every((k) => Object.hasOwn(bRecord, k) && sameValue(aRecord[k], bRecord[k]))
    );
  }
  return a === b;
}

/** The content fields in which two events differ; none when one is a replay of the other. */
export function differingFields(a: ActivityEvent, b: ActivityEvent): EventContentField[] {
  // A field stored as null is one left out: the contract has no null values.
  return EVENT_CONTENT_FIELDS.filter((field) => !sameValue(a[field] ?? undefined, b[field] ?? undefined));
}

/** The first use of each id in a batch, by index, and for each of them the later uses of the same id. */
export function repeatsInBatch(events: readonly ActivityEvent[]): { firsts: number[]; later: Map<number, number[]> } {
  const firstById = new Map<string, number>();
  const firsts: number[] = [];
  const later = new Map<number, number[]>();
  events.forEach((event, index) => {
    const first = firstById.get(event.id);
    if (first === undefined) {
      firstById.set(event.id, index);
      firsts.push(index);
    } else later.set(first, [...(later.get(first) ?? []), index]);
  });
  return { firsts, later };
}

/** The later uses of an id in a batch whose content differs from the first use's: such a batch is never stored whole. */
export function conflictsInBatch(
  events: readonly ActivityEvent[],
  later: ReadonlyMap<number, number[]>,
): EventConflict[] {
  const conflicts: EventConflict[] = [];
  for (const [first, indexes] of later) {
    for (const index of indexes) {
      const fields = differingFields(events[first], events[index]);
      if (fields.length > 0) conflicts.push({ index, with: first, fields });
    }
  }
  return conflicts.sort((a, b) => a.index - b.index);
}

/** How an event compares with the event that holds its id (`holderIs`): a duplicate, or a conflict naming what differs. */
export function compareWithHolder(event: ActivityEvent, holder: ActivityEvent, holderIs: IdHolder): EventOutcome {
  const fields = differingFields(holder, event);
  return fields.length > 0 ? { kind: 'conflict', with: holderIs, fields } : { kind: 'duplicate' };
}

/** The batch's conflicts in index order. */
export function conflictsOf(outcomes: ReadonlyMap<number, EventOutcome>): EventConflict[] {
  return [...outcomes.entries()]
    .flatMap(([index, o]) => (o.kind === 'conflict' ? [{ index, with: o.with, fields: o.fields }] : []))
    .sort((a, b) => a.index - b.index);
}

/** One sentence on a conflict: the id, what holds it (`name` names a batch index as the caller numbers events) and what differs. */
export function describeConflict(id: string, conflict: EventConflict, name: (index: number) => string): string {
  const holder = conflict.with === 'stored' ? 'a stored event' : name(conflict.with);
  return `id ${id} is already used by ${holder} with another ${conflict.fields.join(', ')}`;
}
