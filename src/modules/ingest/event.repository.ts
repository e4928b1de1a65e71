import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { insertManyReportingDuplicates } from '../../common/mongo/insert-many';
import { ActivityEvent } from '../../lib/events/activity-event';
import { EventRecord } from './event.schema';
import { groupHistories, StoredHistoryEvent, UserHistory } from './user-histories';

const HISTORY_FIELDS = { _id: 0, userId: 1, type: 1, occurredAt: 1, query: 1, item: 1, board: 1, receivedAt: 1 };

/**
 * How long after receiving a batch its request may still take back what it wrote (when it is refused with a 409
 * for a conflict it finds only after writing). Past this, `undo` leaves the documents stored.
 */
export const UNDO_WINDOW_MS = 60_000;

/**
 * How long after an event was received a replay that counts on it marks it (see markReplayed): the undo window,
 * plus as much again for another app process's clock and the undo's own wait for the database.
 */
export const REPLAY_MARK_MS = 2 * UNDO_WINDOW_MS;

/** A stored event with when it was received and, once a replay counted on it in time, when that was. */
export interface StoredEvent extends ActivityEvent {
  receivedAt?: Date;
  replayedAt?: Date;
}

/** Whether a replay that finds this event at `at` must mark it: the batch that wrote it may still take it back. */
export function mayBeTakenBack(event: StoredEvent, at: Date): boolean {
  if (event.replayedAt !== undefined) return false;
  return event.receivedAt === undefined || at.getTime() - event.receivedAt.getTime() <= REPLAY_MARK_MS;
}

export interface InsertResult {
  accepted: number;
  duplicates: number;
}

/** What one unordered insert did: the documents it wrote, the positions it could not, and how to take it back. */
export interface EventsWritten {
  accepted: number;
  refused: ReadonlySet<number>;
  undo(): Promise<void>;
}

function toEvent(doc: EventRecord): ActivityEvent {
  return {
    id: doc.id,
    userId: doc.userId,
    type: doc.type,
    occurredAt: doc.occurredAt,
    ...(doc.query !== undefined && { query: doc.query }),
    ...(doc.item !== undefined && { item: doc.item }),
    ...(doc.board !== undefined && { board: doc.board }),
    ...(doc.properties !== undefined && { properties: doc.properties }),
  };
}

@Injectable()
export class EventRepository {
  constructor(@InjectModel(EventRecord.name) private readonly model: Model<EventRecord>) {}

  /**
   * Inserts validated events in one unordered batch. The positions a unique index refused (an id stored
   * meanwhile, by a concurrent request) are reported, and `undo` deletes the documents this call wrote, except
   * those a replay counted on meanwhile (see markReplayed); past UNDO_WINDOW_MS after `receivedAt` it deletes
   * nothing, as a replay no longer marks what it counts on.
   */
  async insertMany(events: readonly ActivityEvent[], receivedAt: Date): Promise<EventsWritten> {
    const docs = events.map((event) => ({ _id: new Types.ObjectId(), ...event, receivedAt }));
    const refused = await insertManyReportingDuplicates<EventRecord>(this.model, docs);
    const written = docs.filter((_, i) => !refused.has(i)).map((doc) => doc._id);
    return {
      accepted: written.length,
      refused,
      undo: async () => {
        if (written.length === 0 || Date.now() - receivedAt.getTime() > UNDO_WINDOW_MS) return;
        await this.model.collection.deleteMany({ _id: { $in: written }, replayedAt: { $exists: false } });
      },
    };
  }

  /**
   * Marks the stored events with these (distinct) ids as replayed at `at`: a request that answered them as
   * duplicates counts on them, so the batch that wrote one no longer takes it back. Only needed for events that
   * may still be taken back (mayBeTakenBack); one marked already keeps its first mark, unwritten. False when some
   * of them are not stored any more (taken back or erased since they were read).
   */
  async markReplayed(ids: readonly string[], at: Date): Promise<boolean> {
    if (ids.length === 0) return true;
    const { matchedCount } = await this.model.collection.updateMany(
      { id: { $in: [...ids] } },
      { $min: { replayedAt: at } },
    );
    return matchedCount === ids.length;
  }

  /** The stored events with these ids, by id, with when they were received: one indexed read, whatever their number. */
  async findByIds(ids: readonly string[]): Promise<Map<string, StoredEvent>> {
    if (ids.length === 0) return new Map();
    const docs = await this.model.collection.find({ id: { $in: [...ids] } }, { projection: { _id: 0 } }).toArray();
    return new Map(
      docs.map((doc) => {
        const { receivedAt, replayedAt } = doc as { receivedAt?: Date; replayedAt?: Date };
        const event: StoredEvent = toEvent(doc as unknown as EventRecord);
        if (receivedAt !== undefined) event.receivedAt = receivedAt;
        if (replayedAt !== undefined) event.replayedAt = replayedAt;
        return [doc.id as string, event];
      }),
    );
  }

  async findByUser(userId: string, since?: Date): Promise<ActivityEvent[]> {
    const filter = since ? { userId, occurredAt: { $gte: since } } : { userId };
    const docs = await this.model.find(filter).sort({ occurredAt: 1 }).lean<EventRecord[]>();
    return docs.map(toEvent);
  }

  /**
   * Users with events received (not occurred) after `since`, each with the latest receipt time: the
   * candidates of an incremental journey build, compared with what their last build read. After a long pause
   * that groups most users, past the 100 MB a `$group` may hold in memory on MongoDB before 6.0 unless it may
   * spill.
   */
  async findUserIdsReceivedSince(since: Date): Promise<Array<{ userId: string; receivedThrough: Date }>> {
    const rows = await this.model
      .aggregate<{ _id: string; last: Date }>([
        { $match: { receivedAt: { $gt: since } } },
        { $group: { _id: '$userId', last: { $max: '$receivedAt' } } },
      ])
      .allowDiskUse(true);
    return rows.map((r) => ({ userId: r._id, receivedThrough: r.last })).sort((a, b) => (a.userId < b.userId ? -1 : 1));
  }

  /**
   * Several users' histories in one indexed read, with only the fields inference needs (no ids, no
   * properties): per user, events in time order and the latest receipt time among them.
   */
  async findHistories(userIds: readonly string[]): Promise<Map<string, UserHistory>> {
    const docs = await this.model.collection
      .find({ userId: { $in: [...userIds] } }, { projection: HISTORY_FIELDS })
      .sort({ userId: 1, occurredAt: 1 })
      .toArray();
    return groupHistories(docs as unknown as StoredHistoryEvent[]);
  }

  /**
   * The same events as {@link findHistories}, undecoded: their BSON documents back to back in one buffer of
   * its own (user then time order), for inference threads to decode (see `historiesOf`).
   */
  async findRawHistories(userIds: readonly string[]): Promise<Uint8Array> {
    const docs = (await this.model.collection
      .find({ userId: { $in: [...userIds] } }, { projection: HISTORY_FIELDS, raw: true })
      .sort({ userId: 1, occurredAt: 1 })
      .toArray()) as unknown as Uint8Array[];
    const out = new Uint8Array(docs.reduce((n, d) => n + d.byteLength, 0));
    let at = 0;
    for (const doc of docs) {
      out.set(doc, at);
      at += doc.byteLength;
    }
    return out;
  }

  /**
   * Every user with a stored event, in no particular order. Read through an aggregation's cursor: a
   * `distinct` answers in one document of at most 16 MB, which a few hundred thousand user ids outgrow.
   */
  async findUserIds(): Promise<string[]> {
    const rows = await this.model.aggregate<{ _id: string }>([{ $group: { _id: '$userId' } }]).allowDiskUse(true);
    return rows.map((r) => r._id);
  }

  /** Events stored, from collection metadata: cheap enough to ask before every build run. */
  async countAll(): Promise<number> {
    return this.model.estimatedDocumentCount();
  }

  async countByType(): Promise<Record<string, number>> {
    const rows = await this.model.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$type', n: { $sum: 1 } } }]);
    return Object.fromEntries(rows.sort((a, b) => a._id.localeCompare(b._id)).map((r) => [r._id, r.n]));
  }

  /** Whether the user has any stored event: one indexed read. */
  async existsForUser(userId: string): Promise<boolean> {
    return (await this.model.exists({ userId })) !== null;
  }

  /** Those of `userIds` with at least one stored event. */
  async findUserIdsAmong(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await this.model.aggregate<{ _id: string }>([
      { $match: { userId: { $in: [...userIds] } } },
      { $group: { _id: '$userId' } },
    ]);
    return new Set(rows.map((r) => r._id));
  }

  /** Those of `userIds` with at least one stored event, each with the time of their latest one. */
  async findLastOccurredAmong(userIds: readonly string[]): Promise<Map<string, Date>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.model.aggregate<{ _id: string; last: Date }>([
      { $match: { userId: { $in: [...userIds] } } },
      { $group: { _id: '$userId', last: { $max: '$occurredAt' } } },
    ]);
    return new Map(rows.map((r) => [r._id, r.last]));
  }

  async deleteByUser(userId: string): Promise<number> {
    return (await this.model.deleteMany({ userId })).deletedCount;
  }
}
