import { ActivityEvent } from '../../../lib/events/activity-event';
import { ExtractedEvent, extractEventKeywords, SharedMentions, sortEvents } from './keywords';

/**
 * Compact per-user event lists for the offline build: each event keeps only its time, action and keyword
 * mentions, and identical mentions are shared objects, so a million events fit in a few hundred MB.
 */
export class UserEventStore {
  private readonly byUser = new Map<string, ExtractedEvent[]>();
  private readonly mentions = new SharedMentions();
  private readonly ids = new Set<string>();
  private count = 0;
  private sorted = true;

  /** Adds an event; returns false for a repeated id (ids are idempotency keys). */
  add(event: ActivityEvent): boolean {
    if (this.ids.has(event.id)) return false;
    const extracted = extractEventKeywords(event);
    extracted.mentions = extracted.mentions.map((m) => this.mentions.share(m));
    return this.addExtracted(event.id, event.userId, extracted);
  }

  /** Adds an event extracted elsewhere (a worker thread), its mentions kept as given; false for a repeated id. */
  addExtracted(id: string, userId: string, extracted: ExtractedEvent): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    let list = this.byUser.get(userId);
    if (!list) this.byUser.set(userId, (list = []));
    list.push(extracted);
    this.count++;
    this.sorted = false;
    return true;
  }

  get events(): number {
    return this.count;
  }

  get users(): number {
    return this.byUser.size;
  }

  /** Users in id order with their events in time order. */
  *entries(): IterableIterator<[string, ExtractedEvent[]]> {
    if (!this.sorted) {
      for (const [userId, list] of this.byUser) this.byUser.set(userId, sortEvents(list));
      this.sorted = true;
    }
    for (const userId of [...this.byUser.keys()].sort()) yield [userId, this.byUser.get(userId)!];
  }

  /** Every user's time-ordered events, for embedder training (re-iterable). */
  eventLists(): Iterable<readonly ExtractedEvent[]> {
    return { [Symbol.iterator]: () => this.lists() };
  }

  private *lists(): IterableIterator<ExtractedEvent[]> {
    for (const [, events] of this.entries()) yield events;
  }
}
