import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertManyReportingDuplicates } from '../../common/mongo/insert-many';
import { isDuplicateKey } from '../../common/mongo/insert-once';
import { EngagementCounts, StoredLink, TrackedNotificationRecord } from './tracked-notification.schema';

/** The facts written once, on a notification's first issue. */
export type NotificationFacts = Pick<
  TrackedNotificationRecord,
  'notificationId' | 'runId' | 'campaignId' | 'userId' | 'channel' | 'category' | 'issuedAt'
> &
  Partial<Pick<TrackedNotificationRecord, 'experimentId' | 'armId' | 'journeyId'>>;

export type FirstTimes = Partial<Pick<TrackedNotificationRecord, 'firstOpenAt' | 'firstHumanOpenAt' | 'firstClickAt'>>;

/** `$inc` of the counters and `$min` of the first-event times (left out when empty: MongoDB refuses an empty `$min`). */
function countUpdate(add: EngagementCounts, firsts: FirstTimes) {
  const inc = Object.fromEntries(Object.entries(add).map(([name, n]) => [`counts.${name}`, n]));
  return { $inc: inc, ...(Object.keys(firsts).length > 0 && { $min: firsts }) };
}

@Injectable()
export class TrackedNotificationRepository {
  constructor(@InjectModel(TrackedNotificationRecord.name) private readonly model: Model<TrackedNotificationRecord>) {}

  /**
   * Writes the facts on first issue (later issues never change them) and adds the click links not yet
   * stored; returns the stored record. Two concurrent first issues race on the unique index: the
   * loser retries and finds the winner's record.
   */
  async issue(facts: NotificationFacts, links: StoredLink[]): Promise<TrackedNotificationRecord> {
    const update = () =>
      this.model
        .findOneAndUpdate(
          { notificationId: facts.notificationId },
          { $setOnInsert: { ...facts, counts: {} }, $addToSet: { links: { $each: links } } },
          { upsert: true, returnDocument: 'after', setDefaultsOnInsert: false },
        )
        .lean<TrackedNotificationRecord>()
        .orFail();
    try {
      return await update();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return update();
    }
  }

  /**
   * {@link issue} for many notifications: one bulk of upserts (a lost race on the unique index is
   * written again once), then one read of the stored records.
   */
  async issueMany(
    items: ReadonlyArray<{ facts: NotificationFacts; links: StoredLink[] }>,
  ): Promise<Map<string, TrackedNotificationRecord>> {
    const ops = items.map(({ facts, links }) => ({
      updateOne: {
        filter: { notificationId: facts.notificationId },
        update: { $setOnInsert: { ...facts, counts: {} }, $addToSet: { links: { $each: links } } },
        upsert: true,
      },
    }));
    // The driver's collection: a delivery batch's hot path, whose values need no casting.
    let inserted = 0;
    try {
      inserted = (await this.model.collection.bulkWrite(ops, { ordered: false })).upsertedCount;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      await this.model.collection.bulkWrite(ops, { ordered: false });
    }
    const ids = items.map((i) => i.facts.notificationId);
    // A first issue of every notification (the usual case): the stored records are exactly what was written.
    if (inserted === items.length && new Set(ids).size === ids.length) {
      return new Map(items.map(({ facts, links }) => [facts.notificationId, { ...facts, counts: {}, links }]));
    }
    const docs = (await this.model.collection
      .find({ notificationId: { $in: ids } })
      .toArray()) as unknown as TrackedNotificationRecord[];
    return new Map(docs.map((d) => [d.notificationId, d]));
  }

  /**
   * Inserts the records of notifications issued for the first time, in one unordered insert; the
   * positions of those already recorded (left as they are).
   */
  async insertMany(items: ReadonlyArray<{ facts: NotificationFacts; links: StoredLink[] }>): Promise<Set<number>> {
    return insertManyReportingDuplicates(
      this.model,
      items.map(({ facts, links }) => ({ ...facts, counts: {}, links })),
    );
  }

  async findByNotificationId(notificationId: string): Promise<TrackedNotificationRecord | null> {
    return this.model.findOne({ notificationId }).lean<TrackedNotificationRecord>();
  }

  /** Records the send time once; false when the notification was never issued. */
  async markSent(notificationId: string, at: Date): Promise<boolean> {
    const result = await this.model.updateOne({ notificationId, sentAt: { $exists: false } }, { $set: { sentAt: at } });
    if (result.matchedCount > 0) return true;
    return (await this.model.exists({ notificationId })) !== null;
  }

  /** {@link markSent} for many notifications sent at the same moment, in one write. */
  async markSentMany(notificationIds: readonly string[], at: Date): Promise<void> {
    await this.model.collection.updateMany(
      { notificationId: { $in: notificationIds }, sentAt: { $exists: false } },
      { $set: { sentAt: at } },
    );
  }

  /**
   * Adds to the engagement counters and keeps the earliest first-event times, in one atomic write, and
   * returns the counters as they were before: a zero there means this event is the first of its kind.
   */
  async count(
    notificationId: string,
    add: EngagementCounts,
    firsts: FirstTimes,
  ): Promise<EngagementCounts | undefined> {
    const before = await this.model
      .findOneAndUpdate({ notificationId }, countUpdate(add, firsts), {
        returnDocument: 'before',
        projection: { counts: 1 },
      })
      .lean<Pick<TrackedNotificationRecord, 'counts'>>();
    return before ? (before.counts ?? {}) : undefined;
  }

  /**
   * Counts an open inferred from a click, only if the notification has none of that counter yet (one
   * conditional write, so a concurrent real open and an inferred one are never both first).
   */
  async countIfNone(
    notificationId: string,
    counter: 'humanOpen' | 'pushOpen',
    add: EngagementCounts,
    firsts: FirstTimes,
  ): Promise<boolean> {
    const result = await this.model.updateOne(
      { notificationId, [`counts.${counter}`]: { $in: [null, 0] } },
      countUpdate(add, firsts),
    );
    return result.modifiedCount > 0;
  }

  /** The user's latest notification sent in [from, to], optionally of one campaign. */
  async findLastSent(
    userId: string,
    from: Date,
    to: Date,
    campaignId?: string,
  ): Promise<TrackedNotificationRecord | null> {
    return this.model
      .findOne({ userId, sentAt: { $gte: from, $lte: to }, ...(campaignId !== undefined && { campaignId }) })
      .sort({ sentAt: -1 })
      .lean<TrackedNotificationRecord>();
  }

  async deleteByUser(userId: string): Promise<number> {
    return (await this.model.deleteMany({ userId })).deletedCount;
  }
}
