import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { isDuplicateKey } from '../../common/mongo/insert-once';
import {
  EmbeddedTracking,
  EngagementCounts,
  NotificationTrackingView,
  StoredLink,
  TrackedNotificationRecord,
} from './tracked-notification.schema';

/** The facts written once, on a notification's first issue. */
export type NotificationFacts = Pick<
  TrackedNotificationRecord,
  'notificationId' | 'runId' | 'campaignId' | 'userId' | 'channel' | 'category' | 'issuedAt'
> &
  Partial<Pick<TrackedNotificationRecord, 'experimentId' | 'armId' | 'journeyId'>>;

export type FirstTimes = Partial<Pick<TrackedNotificationRecord, 'firstOpenAt' | 'firstHumanOpenAt' | 'firstClickAt'>>;

/** The path of the tracking fields: `tracking.` in a notification document, none in a record of their own. */
type FieldPrefix = '' | 'tracking.';

/**
 * `$inc` of the counters and `$min` of the first-event times (left out when empty: MongoDB refuses an
 * empty `$min`), under `prefix`.
 */
function countUpdate(add: EngagementCounts, firsts: FirstTimes, prefix: FieldPrefix) {
  const inc = Object.fromEntries(Object.entries(add).map(([name, n]) => [`${prefix}counts.${name}`, n]));
  const min = Object.fromEntries(Object.entries(firsts).map(([name, at]) => [`${prefix}${name}`, at]));
  return { $inc: inc, ...(Object.keys(min).length > 0 && { $min: min }) };
}

/** A notification document that carries its tracking, as the record tracking works with. */
function fromView(doc: NotificationTrackingView & { tracking: EmbeddedTracking }): TrackedNotificationRecord {
  const { tracking } = doc;
  return {
    notificationId: doc.notificationId,
    runId: doc.runId,
    campaignId: doc.campaignId,
    userId: doc.userId,
    channel: doc.channel,
    category: doc.category,
    ...(tracking.experimentId !== undefined && { experimentId: tracking.experimentId }),
    ...(tracking.armId !== undefined && { armId: tracking.armId }),
    ...(tracking.journeyId !== undefined && { journeyId: tracking.journeyId }),
    links: tracking.links,
    issuedAt: doc.createdAt,
    ...(doc.sentAt && { sentAt: doc.sentAt }),
    counts: tracking.counts ?? {},
    ...(tracking.firstOpenAt && { firstOpenAt: tracking.firstOpenAt }),
    ...(tracking.firstHumanOpenAt && { firstHumanOpenAt: tracking.firstHumanOpenAt }),
    ...(tracking.firstClickAt && { firstClickAt: tracking.firstClickAt }),
  };
}

/** Notification documents that carry their tracking. */
const CARRIES_TRACKING = { tracking: { $exists: true } } as const;

/** The fields of a notification document that tracking reads. */
const VIEW_FIELDS = {
  _id: 0,
  notificationId: 1,
  runId: 1,
  campaignId: 1,
  userId: 1,
  channel: 1,
  category: 1,
  createdAt: 1,
  sentAt: 1,
  tracking: 1,
} as const;

/** The template and variant a notification's message was rendered from. */
type MessageTemplate = { ref: string; locale: string };

/** The fields of a notification document that say which template its message was rendered from. */
const TEMPLATE_FIELDS = { _id: 0, 'message.template.ref': 1, 'message.template.locale': 1 } as const;

/**
 * Tracked notifications wherever their tracking lives: in the notification document (`tracking`, written
 * with the notification, its send time written by the acceptance), or, for notifications issued before
 * that or without it, in a record of their own. Reads and counters try the notification first.
 */
@Injectable()
export class TrackedNotificationRepository {
  constructor(
    @InjectModel(TrackedNotificationRecord.name) private readonly model: Model<TrackedNotificationRecord>,
    @InjectModel(NotificationTrackingView.name) private readonly carried: Model<NotificationTrackingView>,
  ) {}

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

  async findByNotificationId(notificationId: string): Promise<TrackedNotificationRecord | null> {
    const doc = await this.carried
      .findOne({ notificationId, ...CARRIES_TRACKING }, VIEW_FIELDS)
      .lean<NotificationTrackingView & { tracking: EmbeddedTracking }>();
    if (doc) return fromView(doc);
    return this.model.findOne({ notificationId }).lean<TrackedNotificationRecord>();
  }

  /** Whether the notification is still stored (erasing its user removes it), wherever its tracking lives. */
  async exists(notificationId: string): Promise<boolean> {
    if ((await this.carried.exists({ notificationId, ...CARRIES_TRACKING })) !== null) return true;
    return (await this.model.exists({ notificationId })) !== null;
  }

  /** The template and variant the notification's message was rendered from, when it is stored with one. */
  async templateOf(notificationId: string): Promise<MessageTemplate | undefined> {
    const doc = await this.carried
      .findOne({ notificationId }, TEMPLATE_FIELDS)
      .lean<Pick<NotificationTrackingView, 'message'>>();
    return doc?.message?.template;
  }

  /**
   * {@link exists} and {@link templateOf} together, as an unsubscribe page needs both: one read of a notification
   * carrying its tracking; a record of its own, and the template of its notification, are read apart.
   */
  async storedWithTemplate(notificationId: string): Promise<{ stored: boolean; template?: MessageTemplate }> {
    const doc = await this.carried
      .findOne({ notificationId, ...CARRIES_TRACKING }, TEMPLATE_FIELDS)
      .lean<Pick<NotificationTrackingView, 'message'>>();
    if (doc) return { stored: true, ...(doc.message?.template && { template: doc.message.template }) };
    const [own, template] = await Promise.all([this.model.exists({ notificationId }), this.templateOf(notificationId)]);
    return { stored: own !== null, ...(template && { template }) };
  }

  /**
   * Records the send time once, in a record of its own (a notification carrying its tracking has its
   * send time written with its acceptance); false when the notification was never issued there.
   */
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
   * Adds to the engagement counters in one atomic write and returns them as they were before (a zero
   * there means this event is the first of its kind); undefined when the notification is not stored.
   */
  async count(notificationId: string, add: EngagementCounts): Promise<EngagementCounts | undefined> {
    return this.countWhere(notificationId, add, {});
  }

  /**
   * {@link count}, where only the event that finds `counter` at zero writes the first-event times, in the
   * same conditional write: a repeat, whatever time it claims, moves none of them.
   */
  async countFirst(
    notificationId: string,
    counter: keyof EngagementCounts,
    add: EngagementCounts,
    firsts: FirstTimes,
  ): Promise<EngagementCounts | undefined> {
    return (await this.countWhere(notificationId, add, firsts, counter)) ?? this.count(notificationId, add);
  }

  /**
   * The counters as they were before `add` and `firsts` went in, or undefined when nothing matched: with
   * `counter`, only a notification whose `counter` is still zero matches.
   */
  private async countWhere(
    notificationId: string,
    add: EngagementCounts,
    firsts: FirstTimes,
    counter?: keyof EngagementCounts,
  ): Promise<EngagementCounts | undefined> {
    const none = (prefix: FieldPrefix) => counter && { [`${prefix}counts.${counter}`]: { $in: [null, 0] } };
    const carried = await this.carried
      .findOneAndUpdate(
        { notificationId, ...CARRIES_TRACKING, ...none('tracking.') },
        countUpdate(add, firsts, 'tracking.'),
        { returnDocument: 'before', projection: { 'tracking.counts': 1 } },
      )
      .lean<Pick<NotificationTrackingView, 'tracking'>>();
    if (carried) return carried.tracking?.counts ?? {};
    const before = await this.model
      .findOneAndUpdate({ notificationId, ...none('') }, countUpdate(add, firsts, ''), {
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
    return (await this.countWhere(notificationId, add, firsts, counter)) !== undefined;
  }

  /** The user's latest notification sent in [from, to], optionally of one campaign. */
  async findLastSent(
    userId: string,
    from: Date,
    to: Date,
    campaignId?: string,
  ): Promise<TrackedNotificationRecord | null> {
    const filter = { userId, sentAt: { $gte: from, $lte: to }, ...(campaignId !== undefined && { campaignId }) };
    const [carried, own] = await Promise.all([
      this.carried
        .findOne({ ...filter, ...CARRIES_TRACKING }, VIEW_FIELDS)
        .sort({ sentAt: -1 })
        .lean<NotificationTrackingView & { tracking: EmbeddedTracking }>(),
      this.model.findOne(filter).sort({ sentAt: -1 }).lean<TrackedNotificationRecord>(),
    ]);
    const latest = carried ? fromView(carried) : null;
    if (!latest || !own) return latest ?? own;
    return own.sentAt! > latest.sentAt! ? own : latest;
  }

  /** The user's records of their own (notifications carrying their tracking are erased with them). */
  async deleteByUser(userId: string): Promise<number> {
    return (await this.model.deleteMany({ userId })).deletedCount;
  }
}
