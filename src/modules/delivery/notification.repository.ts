import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { insertManyReportingDuplicates } from '../../common/mongo/insert-many';
import { MAX_DELIVERY_ATTEMPTS } from '../../config/delivery.config';
import {
  AttemptRecord,
  Notification,
  NotificationReason,
  NotificationState,
  TargetDelivery,
} from './domain/notification';
import { NotificationRecord } from './notification.schema';

/**
 * Attempts kept on a notification: bounded so a flapping provider cannot grow it, and never fewer than
 * DELIVERY_MAX_ATTEMPTS may allow, since the log's length is how many tries were made (a shorter log would
 * retry a message that keeps failing forever).
 */
const MAX_ATTEMPT_LOG = MAX_DELIVERY_ATTEMPTS;

/** `$push` of one attempt, keeping the latest MAX_ATTEMPT_LOG (typed for the driver's collection). */
const logAttempt = (attempt: AttemptRecord) =>
  ({ attempts: { $each: [attempt], $slice: -MAX_ATTEMPT_LOG } }) as unknown as mongo.PushOperator<mongo.BSON.Document>;

/**
 * What sending reads of a notification: all but the ranking features, which only the ranker's retrain
 * reads (a third of the document's bytes).
 */
const FOR_SENDING = { _id: 0, ranking: 0 } as const;

const lean = (doc: NotificationRecord | null): Notification | undefined => (doc ? (doc as Notification) : undefined);

/**
 * A queued notification that may be sent at `now`: its "not before" (a retry's backoff, the end of quiet
 * hours) has passed. In the claim itself, so a job that read the notification before a retry queued it
 * again cannot send it early.
 */
const due = (now: Date) => ({ state: 'queued' as const, $or: [{ notBefore: null }, { notBefore: { $lte: now } }] });

/**
 * A queued notification waiting for a time its user's zone, `timeZone`, decided: a local-hour run's send time
 * not tried yet, or the end of the night that quiet hours hold it for.
 */
export type ZoneWaiting = Pick<
  Notification,
  'notificationId' | 'timeZone' | 'quietHours' | 'quietWait' | 'localSend' | 'sendBy'
> &
  Required<Pick<Notification, 'notBefore'>>;

/** What {@link NotificationRepository.findStates} tells of a notification. */
export type NotificationStateRow = Pick<
  NotificationRecord,
  'notificationId' | 'state' | 'reason' | 'notBefore' | 'capSlotAt' | 'createdAt'
>;

/** What the sweep of stranded messages reads of a notification. */
export type StrandedNotification = Pick<Notification, 'notificationId' | 'runId' | 'campaignId' | 'channel' | 'state'>;

/**
 * The only writer of notification records. Every state change is one conditional update on the
 * record's current state (and attempt id), so of two jobs acting on the same notification only one
 * write takes effect; the other sees `undefined` or `false` and stops.
 */
@Injectable()
export class NotificationRepository {
  constructor(@InjectModel(NotificationRecord.name) private readonly model: Model<NotificationRecord>) {}

  /** Creates notifications; one that already exists for its (run, user) is kept as it is. The ones created. */
  async insertNew(notifications: readonly Notification[]): Promise<Notification[]> {
    const taken = await insertManyReportingDuplicates(this.model, notifications);
    return notifications.filter((_, i) => !taken.has(i));
  }

  async findById(notificationId: string): Promise<Notification | undefined> {
    return lean(await this.model.findOne({ notificationId }, FOR_SENDING).lean<NotificationRecord>());
  }

  async findByRunAndUser(runId: string, userId: string): Promise<Notification | undefined> {
    return lean(await this.model.findOne({ runId, userId }, { _id: 0 }).lean<NotificationRecord>());
  }

  /**
   * The notification id, state (with a suppression's reason) and times (its earliest send, its cap slot's) of
   * each of these users in the run that has one.
   */
  async findStates(runId: string, userIds: readonly string[]): Promise<Map<string, NotificationStateRow>> {
    const docs = await this.model
      .find(
        { runId, userId: { $in: userIds } },
        { _id: 0, userId: 1, notificationId: 1, state: 1, reason: 1, notBefore: 1, capSlotAt: 1, createdAt: 1 },
      )
      .lean<Array<NotificationStateRow & Pick<NotificationRecord, 'userId'>>>();
    return new Map(docs.map((d) => [d.userId, d]));
  }

  /** queued -> sending under a new attempt holding a lease; undefined when the notification was not queued and due. */
  async startAttempt(notificationId: string, attemptId: string, now: Date, leaseUntil: Date) {
    const doc = await this.model
      .findOneAndUpdate(
        { notificationId, ...due(now) },
        { $set: { state: 'sending', sending: { attemptId, startedAt: now, leaseUntil } } },
        { returnDocument: 'after', projection: FOR_SENDING },
      )
      .lean<NotificationRecord>();
    return lean(doc);
  }

  /** Keeps a live attempt's lease from lapsing while its provider request is slow. */
  async extendLease(notificationId: string, attemptId: string, leaseUntil: Date): Promise<boolean> {
    const result = await this.model.updateOne(
      { notificationId, state: 'sending', 'sending.attemptId': attemptId },
      { $set: { 'sending.leaseUntil': leaseUntil } },
    );
    return result.modifiedCount === 1;
  }

  /**
   * Puts a notification whose attempt lapsed back to queued, logging the attempt as interrupted. Targets
   * that attempt recorded as accepted stay accepted and are not sent again. Only a lease lapsed at `now` is
   * taken: a renewal that lands first keeps the attempt, and once this lands the attempt's renewals fail, so
   * of the two exactly one wins.
   */
  async recover(notificationId: string, staleAttemptId: string, now: Date): Promise<boolean> {
    const stale = await this.findById(notificationId);
    if (stale?.state !== 'sending' || (stale.sending?.attemptId ?? '') !== staleAttemptId) return false;
    const interrupted: AttemptRecord = {
      attemptId: staleAttemptId,
      startedAt: stale.sending?.startedAt ?? now,
      endedAt: now,
      outcome: 'interrupted',
    };
    const result = await this.model.updateOne(
      {
        notificationId,
        state: 'sending',
        'sending.attemptId': stale.sending?.attemptId,
        'sending.leaseUntil': { $lte: now },
      },
      {
        $set: { state: 'queued' },
        $unset: { sending: 1 },
        $push: { attempts: { $each: [interrupted], $slice: -MAX_ATTEMPT_LOG } },
      },
    );
    return result.modifiedCount === 1;
  }

  /**
   * Records what the provider said for one target, whatever attempt is current: an acceptance is a fact
   * about the world and must never be lost, or a later attempt would send that target again.
   */
  async recordTarget(notificationId: string, index: number, result: TargetDelivery): Promise<void> {
    await this.model.updateOne(
      { notificationId, [`targets.${index}.state`]: { $ne: 'accepted' } },
      { $set: targetFields(index, result) },
    );
  }

  /**
   * A failed notification one of whose targets a provider accepted after all (an attempt taken over whose
   * acceptance was written after the takeover ended): sent at `sentAt`, without the failure's reason. Whether
   * this call made it so.
   */
  async sentAfterAll(notificationId: string, sentAt: Date): Promise<boolean> {
    const result = await this.model.updateOne(
      { notificationId, state: 'failed', 'targets.state': 'accepted' },
      { $set: { state: 'sent', sentAt }, $unset: { reason: 1 } },
    );
    return result.modifiedCount === 1;
  }

  /**
   * Settles pending targets of a queued notification as skipped, each with its reason: they will never be sent
   * (their address or device left the user's profile). A target accepted meanwhile keeps its acceptance.
   */
  async skipTargets(
    notificationId: string,
    skipped: ReadonlyArray<{ index: number; reason: NotificationReason }>,
  ): Promise<void> {
    if (skipped.length === 0) return;
    await this.model.collection.bulkWrite(
      skipped.map(({ index, reason }) => ({
        updateOne: {
          filter: { notificationId, state: 'queued', [`targets.${index}.state`]: 'pending' },
          update: { $set: { [`targets.${index}.state`]: 'skipped', [`targets.${index}.reason`]: reason } },
        },
      })),
      { ordered: false },
    );
  }

  /**
   * Ends the attempt `attemptId` if it still holds the notification: sent, failed, or queued again
   * (with `notBefore` for the retry). False when the attempt lost the notification meanwhile.
   */
  async finishAttempt(
    notificationId: string,
    attemptId: string,
    end: {
      state: 'sent' | 'failed' | 'queued';
      attempt: AttemptRecord;
      at: Date;
      /** When a sent notification went out, when not `at` (an earlier attempt's acceptance). */
      sentAt?: Date;
      notBefore?: Date;
      reason?: NotificationReason;
    },
  ): Promise<boolean> {
    const final = end.state !== 'queued';
    const result = await this.model.updateOne(
      { notificationId, state: 'sending', 'sending.attemptId': attemptId },
      {
        $set: {
          state: end.state,
          ...(end.state === 'sent' && { sentAt: end.sentAt ?? end.at }),
          ...(final && { finishedAt: end.at }),
          ...(end.notBefore && { notBefore: end.notBefore }),
          ...(end.reason && { reason: end.reason }),
        },
        $unset: { sending: 1 },
        $push: { attempts: { $each: [end.attempt], $slice: -MAX_ATTEMPT_LOG } },
      },
    );
    return result.modifiedCount === 1;
  }

  async findByIds(notificationIds: readonly string[]): Promise<Notification[]> {
    // The driver's collection: a batch's hot path, whose documents need no casting or hydration.
    const docs = await this.model.collection
      .find({ notificationId: { $in: [...notificationIds] } }, { projection: FOR_SENDING })
      .toArray();
    return docs as unknown as Notification[];
  }

  /**
   * {@link startAttempt} for many notifications under one attempt id (a batch's), in one conditional
   * update; the ids of the notifications this call moved to sending (the others were not queued and due).
   */
  async startAttempts(
    notificationIds: readonly string[],
    attemptId: string,
    now: Date,
    leaseUntil: Date,
  ): Promise<Set<string>> {
    if (notificationIds.length === 0) return new Set();
    const ids = [...new Set(notificationIds)];
    const result = await this.model.collection.updateMany(
      { notificationId: { $in: ids }, ...due(now) },
      { $set: { state: 'sending', sending: { attemptId, startedAt: now, leaseUntil } } },
    );
    return this.heldBy(ids, attemptId, result.modifiedCount);
  }

  /** {@link extendLease} for the notifications a batch's attempt still holds; the ids it holds. */
  async extendLeases(notificationIds: readonly string[], attemptId: string, leaseUntil: Date): Promise<Set<string>> {
    if (notificationIds.length === 0) return new Set();
    const ids = [...new Set(notificationIds)];
    // Found by notification id (unique index): the attempt id alone would scan every notification being sent.
    const result = await this.model.collection.updateMany(
      { notificationId: { $in: ids }, state: 'sending', 'sending.attemptId': attemptId },
      { $set: { 'sending.leaseUntil': leaseUntil } },
    );
    return this.heldBy(ids, attemptId, result.matchedCount);
  }

  /** Which of `ids` the attempt holds, after a write that reached `written` of them: a read only when not all. */
  private async heldBy(ids: readonly string[], attemptId: string, written: number): Promise<Set<string>> {
    if (written === ids.length) return new Set(ids);
    const held = await this.model
      .find(
        { notificationId: { $in: ids }, state: 'sending', 'sending.attemptId': attemptId },
        { _id: 0, notificationId: 1 },
      )
      .lean<Array<Pick<NotificationRecord, 'notificationId'>>>();
    return new Set(held.map((d) => d.notificationId));
  }

  /**
   * Ends attempts whose one target the provider accepted, one write per notification (the acceptance
   * and the end together), in one bulk write; only attempts still holding their notification are
   * written. Returns the ids written, so the caller can record the others' acceptances otherwise.
   */
  async finishAccepted(
    items: ReadonlyArray<{ notificationId: string; index: number; target: TargetDelivery; attempt: AttemptRecord }>,
    at: Date,
  ): Promise<Set<string>> {
    if (items.length === 0) return new Set();
    const result = await this.model.collection.bulkWrite(
      items.map(({ notificationId, index, target, attempt }) => ({
        updateOne: {
          filter: { notificationId, state: 'sending', 'sending.attemptId': attempt.attemptId },
          update: {
            $set: { ...targetFields(index, target), state: 'sent', sentAt: at, finishedAt: at },
            $unset: { sending: 1 },
            $push: logAttempt(attempt),
          },
        },
      })),
      { ordered: false },
    );
    const ids = items.map((i) => i.notificationId);
    // Every attempt still held its notification: all were written, as the count says without a read.
    if (result.modifiedCount === items.length && distinct(ids)) return new Set(ids);
    // Otherwise the log says which: an attempt written here is logged as accepted. A takeover logs the same
    // attempt id as interrupted, and that acceptance was not written.
    const logged = await this.model
      .find({ notificationId: { $in: ids } }, { _id: 0, notificationId: 1, attempts: 1 })
      .lean<Array<Pick<NotificationRecord, 'notificationId' | 'attempts'>>>();
    const accepted = new Set(
      logged.flatMap((d) =>
        (d.attempts ?? []).filter((a) => a.outcome === 'accepted').map((a) => `${d.notificationId} ${a.attemptId}`),
      ),
    );
    return new Set(
      items.filter((i) => accepted.has(`${i.notificationId} ${i.attempt.attemptId}`)).map((i) => i.notificationId),
    );
  }

  /**
   * Gives a claimed notification back to the queue without logging an attempt (nothing was sent): the batch
   * found the recipient's word changed before its turn. False when the attempt no longer holds it.
   */
  async releaseClaim(notificationId: string, attemptId: string): Promise<boolean> {
    const result = await this.model.updateOne(
      { notificationId, state: 'sending', 'sending.attemptId': attemptId },
      { $set: { state: 'queued' }, $unset: { sending: 1 } },
    );
    return result.modifiedCount === 1;
  }

  /**
   * Settles a queued notification without an attempt: suppressed with a reason, failed when it cannot be sent
   * at all, or sent with what was accepted (at `sentAt`, when a provider accepted it), which has no reason.
   * Suppressed or failed, its pending targets are settled with it, as skipped for the same reason: none of
   * them will be sent, and a target left pending would read as still to go.
   */
  async settle(
    notificationId: string,
    end: { state: 'suppressed' | 'failed'; reason: NotificationReason } | { state: 'sent'; sentAt: Date },
    at: Date,
  ) {
    const filter = { notificationId, state: 'queued' as const };
    if (end.state === 'sent') {
      return (await this.model.updateOne(filter, { $set: { ...end, finishedAt: at } })).modifiedCount === 1;
    }
    const result = await this.model.updateOne(
      filter,
      {
        $set: { ...end, finishedAt: at, 'targets.$[unsent].state': 'skipped', 'targets.$[unsent].reason': end.reason },
      },
      { arrayFilters: [{ 'unsent.state': 'pending' }] },
    );
    return result.modifiedCount === 1;
  }

  /**
   * Moves a queued notification's earliest send time to the end of its quiet hours in `timeZone`, its user's
   * zone now; `dueAt` is when it was found due (its quiet wait keeps the earliest such time).
   */
  async postpone(notificationId: string, notBefore: Date, timeZone: string, dueAt: Date): Promise<void> {
    await this.model.updateOne(
      { notificationId, state: 'queued' },
      { $set: { notBefore, timeZone, 'quietWait.until': notBefore }, $min: { 'quietWait.dueAt': dueAt } },
    );
  }

  /**
   * The user's queued notifications that wait, past `now`, for a time their zone decided: quiet hours hold them
   * (their send time is still the end of the night a quiet wait set), or a local-hour run's send time not tried
   * yet. A retry's backoff is neither.
   */
  async findZoneWaiting(userId: string, now: Date): Promise<ZoneWaiting[]> {
    const docs = await this.model
      .find(
        {
          userId,
          state: 'queued',
          notBefore: { $gt: now },
          $or: [
            { 'quietWait.until': { $gt: now } },
            { localSend: { $exists: true }, 'attempts.0': { $exists: false } },
          ],
        },
        {
          _id: 0,
          notificationId: 1,
          notBefore: 1,
          quietHours: 1,
          quietWait: 1,
          localSend: 1,
          sendBy: 1,
          timeZone: 1,
          attempts: { $slice: 1 },
        },
      )
      .lean<Array<ZoneWaiting & Pick<Notification, 'attempts'>>>();
    const waiting: ZoneWaiting[] = [];
    for (const { attempts, localSend, ...rest } of docs) {
      // Once tried, its local send time is behind it: only a quiet wait since can be judged again.
      const read: ZoneWaiting = attempts.length === 0 && localSend ? { ...rest, localSend } : rest;
      if (read.localSend || (read.quietHours && isQuietHeld(read))) waiting.push(read);
    }
    return waiting;
  }

  /**
   * Moves a zone wait read by {@link findZoneWaiting} to `next.notBefore`, judged in `timeZone`, with the quiet
   * wait it has now (none: removed), if the notification is still queued and still waits as it was read, at
   * the same time in the same zone (a send, a cancel, a retry or another judgement since wins); whether it did.
   */
  async rescheduleZoneWait(
    read: ZoneWaiting,
    next: { notBefore: Date; quietWait?: { dueAt: Date; until: Date }; sendBy?: Date },
    timeZone: string,
  ): Promise<boolean> {
    const expected = read.notBefore;
    const stillWaiting = isQuietHeld(read)
      ? { 'quietWait.until': expected }
      : { localSend: { $exists: true }, 'attempts.0': { $exists: false } };
    const { quietWait } = next;
    const moved = { notBefore: next.notBefore, timeZone, ...(next.sendBy && { sendBy: next.sendBy }) };
    const result = await this.model.updateOne(
      {
        notificationId: read.notificationId,
        state: 'queued',
        notBefore: expected,
        timeZone: read.timeZone ?? null,
        ...stillWaiting,
      },
      quietWait ? { $set: { ...moved, quietWait } } : { $set: moved, $unset: { quietWait: 1 } },
    );
    return result.modifiedCount === 1;
  }

  /** Whether any notification of the run may still be sent (queued or being sent). */
  async hasUnsettled(runId: string): Promise<boolean> {
    return (await this.model.exists({ runId, state: { $in: ['queued', 'sending'] } })) !== null;
  }

  /** Notifications of a run per state and reason code. */
  async countByState(runId: string): Promise<Array<{ state: NotificationState; reason?: string; n: number }>> {
    const rows = await this.model.aggregate<{ _id: { state: NotificationState; reason?: string }; n: number }>([
      { $match: { runId } },
      { $group: { _id: { state: '$state', reason: '$reason.code' }, n: { $sum: 1 } } },
    ]);
    return rows.map((r) => ({ state: r._id.state, ...(r._id.reason && { reason: r._id.reason }), n: r.n }));
  }

  /**
   * What a run's queued notifications wait for at `now`, one group each: `dueNow` (no `notBefore`, or one
   * passed), `quietHours` (held to the end of the user's night), `retry` (a retry's backoff), `localSend` (a
   * local send time) and `later` (a `notBefore` for no reason the record names), with the earliest and latest
   * `notBefore` of each. One aggregate over the run's queued notifications, found by the { runId, state } index.
   */
  async waitingOf(
    runId: string,
    now: Date,
  ): Promise<Array<{ kind: string; n: number; earliest?: Date; latest?: Date }>> {
    const rows = await this.model.aggregate<{ _id: string; n: number; earliest?: Date | null; latest?: Date | null }>([
      { $match: { runId, state: 'queued' } },
      {
        $project: {
          _id: 0,
          notBefore: 1,
          kind: {
            $switch: {
              branches: [
                { case: { $not: [{ $gt: ['$notBefore', now] }] }, then: 'dueNow' },
                {
                  case: { $eq: ['$quietWait.until', '$notBefore'] },
                  then: 'quietHours',
                },
                { case: { $gt: [{ $size: { $ifNull: ['$attempts', []] } }, 0] }, then: 'retry' },
                { case: { $eq: [{ $type: '$localSend' }, 'object'] }, then: 'localSend' },
              ],
              default: 'later',
            },
          },
        },
      },
      { $group: { _id: '$kind', n: { $sum: 1 }, earliest: { $min: '$notBefore' }, latest: { $max: '$notBefore' } } },
    ]);
    return rows.map((r) => ({
      kind: r._id,
      n: r.n,
      ...(r._id !== 'dueNow' && r.earliest && { earliest: r.earliest, latest: r.latest ?? r.earliest }),
    }));
  }

  /** Queued notifications of a run after `afterId`, in id order (resume and cancel walk them in pages). */
  async findQueued(
    runId: string,
    afterId: string,
    limit: number,
  ): Promise<Array<Pick<Notification, 'notificationId' | 'notBefore'>>> {
    return this.model
      .find({ runId, state: 'queued', notificationId: { $gt: afterId } }, { _id: 0, notificationId: 1, notBefore: 1 })
      .sort({ notificationId: 1 })
      .limit(limit)
      .lean<Array<Pick<Notification, 'notificationId' | 'notBefore'>>>();
  }

  /**
   * Notifications whose delivery job should have run more than a grace ago, in pages of `pageSize`: queued ones
   * whose send time (`notBefore`, or creation when none) is before `cut`, and ones being sent whose attempt's
   * lease lapsed before it, less those the sweep gave a job since `cut`. Three probes of the
   * { state, notBefore, createdAt } index, the last reading only what is being sent; each finds no document
   * when nothing is stranded.
   */
  async *findStranded(cut: Date, pageSize: number): AsyncGenerator<StrandedNotification[]> {
    const notRedelivered = { $or: [{ redeliveredAt: null }, { redeliveredAt: { $lte: cut } }] };
    const probes = [
      { state: 'queued' as const, notBefore: { $lte: cut } },
      { state: 'queued' as const, notBefore: null, createdAt: { $lte: cut } },
      { state: 'sending' as const, 'sending.leaseUntil': { $lte: cut } },
    ];
    const fields = { _id: 0, notificationId: 1, runId: 1, campaignId: 1, channel: 1, state: 1 };
    for (const probe of probes) {
      let page: StrandedNotification[] = [];
      const cursor = this.model
        .find({ ...probe, ...notRedelivered }, fields)
        .lean<StrandedNotification>()
        .cursor({ batchSize: pageSize });
      for await (const doc of cursor) {
        page.push(doc as StrandedNotification);
        if (page.length < pageSize) continue;
        yield page;
        page = [];
      }
      if (page.length > 0) yield page;
    }
  }

  /** Notes that the sweep gave these notifications a delivery job at `at`. */
  async markRedelivered(notificationIds: readonly string[], at: Date): Promise<void> {
    if (notificationIds.length === 0) return;
    await this.model.updateMany({ notificationId: { $in: [...notificationIds] } }, { $set: { redeliveredAt: at } });
  }

  /** The renders the notifications of `whose` refer to. */
  async renderIdsOf(whose: NotificationOwners): Promise<string[]> {
    const docs = await this.model
      .find({ ...ownersFilter(whose), 'message.renderId': { $exists: true } }, { _id: 0, 'message.renderId': 1 })
      .lean<Array<Pick<Notification, 'message'>>>();
    return [...new Set(docs.map((d) => d.message?.renderId ?? ''))].filter(Boolean);
  }

  /** Where the outbox channel wrote these notifications' messages (each target's file). */
  async outboxFilesOf(whose: NotificationOwners): Promise<string[]> {
    const docs = await this.model
      .find({ ...ownersFilter(whose), 'targets.provider': 'outbox' }, { _id: 0, targets: 1 })
      .lean<Array<Pick<Notification, 'targets'>>>();
    return docs.flatMap((d) => d.targets.filter((t) => t.provider === 'outbox' && t.response).map((t) => t.response!));
  }

  /** The renders among `renderIds` that no notification refers to any more. */
  async unreferencedRenders(renderIds: readonly string[]): Promise<string[]> {
    if (renderIds.length === 0) return [];
    const used = await this.model.distinct('message.renderId', { 'message.renderId': { $in: renderIds } });
    const referenced = new Set(used as string[]);
    return renderIds.filter((id) => !referenced.has(id));
  }

  async deleteOf(whose: NotificationOwners): Promise<number> {
    return (await this.model.deleteMany(ownersFilter(whose))).deletedCount;
  }
}

/** Whose notifications: every one of a user, or those of some users in one run. */
export type NotificationOwners = { userId: string } | { runId: string; userIds: readonly string[] };

function ownersFilter(whose: NotificationOwners) {
  return 'userId' in whose ? { userId: whose.userId } : { runId: whose.runId, userId: { $in: [...whose.userIds] } };
}

/** The `$set` of one target's delivery record. */
function targetFields(index: number, result: TargetDelivery): Record<string, unknown> {
  const path = `targets.${index}`;
  return {
    [`${path}.state`]: result.state,
    ...(result.provider && { [`${path}.provider`]: result.provider }),
    ...(result.providerMessageId && { [`${path}.providerMessageId`]: result.providerMessageId }),
    ...(result.acceptedAt && { [`${path}.acceptedAt`]: result.acceptedAt }),
    ...(result.response && { [`${path}.response`]: result.response }),
    ...(result.error && { [`${path}.error`]: result.error }),
  };
}

function distinct(ids: readonly string[]): boolean {
  return new Set(ids).size === ids.length;
}

/** Whether quiet hours hold it: its send time is the end of the night its quiet wait set. */
function isQuietHeld(n: Pick<Notification, 'notBefore' | 'quietWait'>): boolean {
  return n.quietWait !== undefined && n.notBefore?.getTime() === n.quietWait.until.getTime();
}
