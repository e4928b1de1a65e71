import { fnv1a } from '../../../lib/text/ngrams';
import { ActivityEvent } from '../../../lib/events/activity-event';
import { ExtractedEvent, extractEventKeywords, SharedMentions, sortEvents } from '../../journeys/domain/keywords';

interface ShardUser {
  events: ExtractedEvent[];
  /** The events' ids, in the same order, until the events are sorted by time. */
  ids: string[];
}

/**
 * The users one worker thread owns during `journeys build`, with their events in input order: the part of
 * the single-threaded store that hashes to this thread. Ids repeated within the shard are dropped here;
 * ids repeated across shards are settled by the coordinator through `idHashes`, `keptWith` and `drop`.
 */
export class UserShard {
  private readonly users = new Map<string, ShardUser>();
  private readonly kept = new Map<string, number>();
  private readonly mentions = new SharedMentions();
  private count = 0;
  private sortedIds?: string[];
  private next = 0;

  /** Adds an event from line `line` of the input (lines arrive in input order); false for an id kept already. */
  add(event: ActivityEvent, line: number): boolean {
    if (this.kept.has(event.id)) return false;
    this.kept.set(event.id, line);
    const extracted = extractEventKeywords(event);
    extracted.mentions = extracted.mentions.map((m) => this.mentions.share(m));
    let user = this.users.get(event.userId);
    if (!user) this.users.set(event.userId, (user = { events: [], ids: [] }));
    user.events.push(extracted);
    user.ids.push(event.id);
    this.count++;
    return true;
  }

  /** The 32-bit hash of every kept id: an id kept by two shards has the same hash in both. */
  idHashes(): Uint32Array {
    return Uint32Array.from(this.kept.keys(), (id) => fnv1a(id));
  }

  /** The kept ids whose hash is one of `hashes`, with their input order. */
  keptWith(hashes: Uint32Array): Array<{ id: string; order: number }> {
    const wanted = new Set(hashes);
    return [...this.kept].filter(([id]) => wanted.has(fnv1a(id))).map(([id, order]) => ({ id, order }));
  }

  /** Removes the events of these ids (another shard kept them first); ends reading. */
  drop(ids: readonly string[]): void {
    const unwanted = new Set(ids);
    for (const [userId, user] of unwanted.size > 0 ? this.users : []) {
      for (let i = user.ids.length - 1; i >= 0; i--) {
        if (!unwanted.has(user.ids[i])) continue;
        user.ids.splice(i, 1);
        user.events.splice(i, 1);
        this.count--;
      }
      if (user.events.length === 0) this.users.delete(userId);
    }
    this.kept.clear();
  }

  get events(): number {
    return this.count;
  }

  get size(): number {
    return this.users.size;
  }

  /** The next `count` users in id order with their events in time order; empty once every user was taken. */
  nextUsers(count: number): Array<[string, ExtractedEvent[]]> {
    const ids = this.sorted();
    return ids.slice(this.next, (this.next += count)).map((userId) => [userId, this.users.get(userId)!.events]);
  }

  /** Every user in id order with their events in time order (for embedder training). */
  allUsers(): Array<[string, ExtractedEvent[]]> {
    return this.sorted().map((userId) => [userId, this.users.get(userId)!.events]);
  }

  private sorted(): string[] {
    if (!this.sortedIds) {
      for (const user of this.users.values()) {
        user.events = sortEvents(user.events);
        user.ids = [];
      }
      this.sortedIds = [...this.users.keys()].sort();
    }
    return this.sortedIds;
  }
}
