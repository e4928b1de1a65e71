import type { ActivityEvent } from '../../lib/events/activity-event';

/** The parts of a stored event that journey inference reads. */
export type HistoryEvent = Pick<ActivityEvent, 'type' | 'occurredAt' | 'query' | 'item' | 'board'>;

/** A stored event as the history reads return it: the inference fields, its user and its receipt time. */
export type StoredHistoryEvent = HistoryEvent & { userId: string; receivedAt: Date };

export interface UserHistory {
  events: HistoryEvent[];
  receivedThrough?: Date;
}

/**
 * Per user, stored events in the order given (user then time, as the history reads sort them) and the latest
 * receipt time among them. Free of the database, so inference threads group what they decode the same way.
 */
export function groupHistories(docs: Iterable<StoredHistoryEvent>): Map<string, UserHistory> {
  const out = new Map<string, UserHistory>();
  for (const doc of docs) {
    let history = out.get(doc.userId);
    if (!history) out.set(doc.userId, (history = { events: [], receivedThrough: doc.receivedAt }));
    history.events.push(doc);
    if (doc.receivedAt > history.receivedThrough!) history.receivedThrough = doc.receivedAt;
  }
  return out;
}
