import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { REDIS_CLIENT } from '../../../common/redis/redis.module';
import { Settings } from '../../../config/settings';
import { Semaphore } from '../../../lib/concurrency/semaphore';
import { zoneOrUtc } from '../../../lib/time/zoned-time';
import { DeliveryMetrics } from '../../delivery/delivery.metrics';
import { FrequencyCaps } from '../../delivery/frequency-caps';
import { capSlotOf, type Notification } from '../../delivery/domain/notification';
import { DeliveryProducer } from '../../delivery/jobs/delivery.queue';
import { OutboundMessages } from '../../delivery/outbound-messages';
import { MessageRenderRepository, StoredRender } from '../../delivery/message-render.repository';
import { NotificationRepository, NotificationStateRow } from '../../delivery/notification.repository';
import { RunTally } from '../../delivery/run-tally';
import { UserProfile } from '../../ingest/domain/user-profile';
import { randomLinkNonce } from '../../templates/domain/links';
import { RecipientSnapshots } from '../recipient-snapshots';
import { CampaignRunLedgerRepository, LedgerSettlement } from './campaign-run-ledger.repository';
import { CampaignRunShardRepository } from './campaign-run-shard.repository';
import { CampaignRunRecord } from './campaign-run.schema';
import { CampaignRunRepository } from './campaign-run.repository';
import { FanOutContext, RecipientFanOut, RecipientOutcome } from './recipient-fan-out';
import { RunCompletion } from './run-completion';
import { RunCopyBudget } from './run-copy-budget';
import { FanOutHolds } from './fan-out-holds';
import { ErasedDuringFanOut } from './fan-out-erasures';

/** A user of a shard and their send time (local-hour runs). */
interface ShardMember {
  userId: string;
  sendAt?: Date;
}

/**
 * One shard of a run: the users its record lists, in chunks. Per chunk, users who already have a
 * notification (a shard processed again after a crash) are only re-enqueued, users with a ledger entry
 * are skipped, and the others go through RecipientFanOut. Then, in this order: renders stored,
 * notifications created (a queued one carrying its tracking), their delivery jobs enqueued, ledger
 * entries written for the users who got no notification (held out, failed), so a crash between any two
 * steps is repaired by processing the shard again: a user is done once the run has their notification
 * or their entry, and nothing else is written per notified user. The shard is marked finished when
 * every user of it is done. A queued notification's frequency-cap hold becomes its slot once it is written,
 * and a user left without one gives the hold back (see FanOutHolds), also when the chunk throws. A suppressed
 * notification carries no tracking and holds no frequency-cap slot. Last, what the chunk wrote for users
 * erased since it read them is taken back (ErasedDuringFanOut). A shard of a run selected
 * before shards listed their users has no record: its pending ledger entries are its users, settled as
 * they were then.
 */
@Injectable()
export class ShardFanOut {
  private readonly logger = new Logger(ShardFanOut.name);

  constructor(
    private readonly runs: CampaignRunRepository,
    private readonly ledger: CampaignRunLedgerRepository,
    private readonly shards: CampaignRunShardRepository,
    private readonly notifications: NotificationRepository,
    private readonly renders: MessageRenderRepository,
    private readonly snapshots: RecipientSnapshots,
    private readonly recipients: RecipientFanOut,
    private readonly deliveries: DeliveryProducer,
    private readonly outbound: OutboundMessages,
    private readonly completion: RunCompletion,
    private readonly metrics: DeliveryMetrics,
    private readonly tally: RunTally,
    private readonly caps: FrequencyCaps,
    private readonly holds: FanOutHolds,
    private readonly erasures: ErasedDuringFanOut,
    private readonly config: ConfigService<Settings, true>,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
  ) {}

  /** Processes the shard's users; `finalAttempt` records a user whose processing throws as failed. */
  async process(runId: string, shard: number, finalAttempt: boolean): Promise<void> {
    const listed = await this.shards.findShard(runId, shard);
    const members: ShardMember[] = listed
      ? listed.userIds.map((userId) => ({ userId, ...(listed.sendAt && { sendAt: listed.sendAt }) }))
      : await this.ledger.findPendingInShard(runId, shard);
    const { userConcurrency } = this.config.get('campaigns', { infer: true });
    const chunk = Math.max(userConcurrency * 4, 50);
    let firstError: Error | undefined;
    for (let start = 0; start < members.length; start += chunk) {
      // Checked per chunk: a pause or cancel stops the fan-out within one chunk.
      const run = await this.runs.findById(runId);
      if (!run) return;
      // An earlier attempt of this shard may have held slots for users it wrote nothing for (a failed run
      // does not process its shards again): they are given back, and the records it did write keep theirs.
      if (run.state !== 'running') return this.holds.settleFromRecords(run, userIdsOf(members));
      const part = members.slice(start, start + chunk);
      try {
        firstError ??= await this.processChunk(run, shard, part, finalAttempt, listed === undefined);
      } catch (error) {
        // The chunk stopped between its users' holds and their records (or after): this attempt gives back
        // what it held for users left without a record, whether Bull tries the shard again or not.
        await this.holds.settleFromRecords(run, userIdsOf(part));
        throw error;
      }
    }
    if (firstError) throw firstError;
    if (listed) await this.shards.markFinished(runId, shard, new Date());
    await this.completion.completeIfDone(runId);
  }

  /** `pendingEntries`: the members are pending ledger entries, settled here (a run selected before shards listed users). */
  private async processChunk(
    run: CampaignRunRecord,
    shard: number,
    members: readonly ShardMember[],
    finalAttempt: boolean,
    pendingEntries: boolean,
  ): Promise<Error | undefined> {
    const { runId } = run;
    const userIds = members.map((e) => e.userId);
    const [existing, settled] = await Promise.all([
      this.notifications.findStates(runId, userIds),
      pendingEntries ? new Set<string>() : this.ledger.findSettled(runId, userIds),
    ]);
    const todo = members.filter((e) => !existing.has(e.userId) && !settled.has(e.userId));
    const now = new Date();
    const snapshots = await this.snapshots.load(
      run.definition,
      todo.map((e) => e.userId),
      now,
    );
    const context: FanOutContext = {
      runId,
      definition: run.definition,
      contentHash: run.contentHash,
      budget: new RunCopyBudget(this.redis, this.budgetKey(runId), run.copyBudget),
      now,
      // Random per chunk, as unguessable as one per render: the chunk's equal messages share one stored render.
      linkNonce: randomLinkNonce(),
      ...(run.localDate && { localDate: run.localDate }),
    };
    const gate = new Semaphore(this.config.get('campaigns', { infer: true }).userConcurrency);
    const settlements: LedgerSettlement[] = [];
    const created: Notification[] = [];
    const renders: StoredRender[] = [];
    let firstError: Error | undefined;
    await Promise.all(
      todo.map((entry) =>
        gate.run(async () => {
          try {
            const snapshot = snapshots.get(entry.userId)!;
            const outcome = await this.recipients.process(
              context,
              recipientOf(entry.userId, snapshot.user),
              entry.sendAt,
              snapshot,
            );
            settlements.push(settlementOf(entry.userId, outcome));
            if (outcome.kind === 'notification') created.push(outcome.notification);
            if (outcome.kind === 'notification' && outcome.render) renders.push(outcome.render);
          } catch (error) {
            this.logger.error({
              message: `user not processed: ${(error as Error).message}`,
              runId,
              userId: entry.userId,
            });
            if (finalAttempt) {
              settlements.push({
                userId: entry.userId,
                status: 'failed',
                error: (error as Error).message.slice(0, 500),
              });
            } else firstError ??= error as Error;
          }
        }),
      ),
    );
    // Renders first: a notification never refers to a render that is not stored. Stored again once the
    // notifications exist, before any delivery job: an erasure of another user that removed a shared
    // render in between finds it used since the erasure began, or has it restored.
    await this.renders.storeMany(renders, now);
    this.outbound.embedTracking(toIssue(created, renders));
    const composed = new Set(created.map((n) => n.userId));
    const inserted = await this.notifications.insertNew(created);
    await this.tally.created(runId, inserted);
    // The holds of the queued records (these, or an earlier attempt's) become slots; users left without a
    // notification (held out, failed) give theirs back. One a concurrent attempt wrote is that attempt's to settle.
    const refused = await this.holds.settle(
      run,
      [...inserted.filter((n) => n.state === 'queued'), ...existingQueued(existing)].map((n) => ({
        userId: n.userId,
        notificationId: n.notificationId,
        at: capSlotOf(n),
      })),
      userIdsOf(todo).filter((userId) => !composed.has(userId)),
    );
    // A chunk processed again after a crash may suppress a user whose slot the crashed attempt reserved
    // (they unsubscribed, or lost their address, in between): the slot would count against every campaign's
    // next message for a whole window. Only the notifications inserted here: one a concurrent attempt
    // inserted first (queued, maybe) keeps its slot.
    await this.caps.releaseMany(
      inserted
        .filter((n) => n.state === 'suppressed')
        .map((n) => ({
          subject: { userId: n.userId, channel: n.channel, campaignId: n.campaignId },
          notificationId: n.notificationId,
        })),
    );
    await this.renders.storeMany(renders, new Date());
    const queued = [...created.filter((n) => n.state === 'queued'), ...existingQueued(existing)]
      .filter((n) => !refused.has(n.notificationId))
      .map((n) => ({ notificationId: n.notificationId, at: n.notBefore }));
    await this.deliveries.enqueueMany(queued, run.generation);
    if (pendingEntries) {
      for (const userId of existing.keys()) settlements.push({ userId, status: 'done' });
      await this.settle(runId, settlements);
    } else {
      const sendAt = members[0]?.sendAt;
      await this.record(runId, shard, sendAt, settlements, inserted.length);
    }
    // Last: what the chunk wrote for users erased since it read them is taken back (see ErasedDuringFanOut).
    await this.erasures.afterChunk(run, userIds, profilesRead(todo, snapshots, existing));
    for (const n of created) {
      if (n.state === 'suppressed') {
        this.metrics.count('suppressed', { campaignId: n.campaignId, channel: n.channel, reason: n.reason?.code });
      }
    }
    return firstError;
  }

  /**
   * Writes the entries of the chunk's users who got no notification, and moves the run's counters: the
   * users whose notification this chunk created, and those entries when every one of them is new.
   */
  private async record(
    runId: string,
    shard: number,
    sendAt: Date | undefined,
    settlements: readonly LedgerSettlement[],
    notified: number,
  ): Promise<void> {
    const at = new Date();
    const entries = settlements
      .filter((s) => s.status !== 'done')
      .map((s) => ({ runId, shard, ...(sendAt && { sendAt }), ...s, settledAt: at }));
    const inserted = await this.ledger.insertSettled(entries);
    if (notified > 0) await this.tally.ledger(runId, 'pending', 'done', notified);
    // Some were written before (a shard processed again): which ones is unknown, so the tally stops being trusted.
    if (inserted !== entries.length) return this.tally.markStale(runId);
    await this.moveTally(runId, entries);
  }

  /** Settles the chunk's ledger entries and moves the run's counters when every one of them was pending. */
  private async settle(runId: string, settlements: LedgerSettlement[]): Promise<void> {
    const settled = await this.ledger.settle(runId, settlements, new Date());
    // Some were settled before (a shard processed again): which ones is unknown, so the tally stops being trusted.
    if (settled !== settlements.length) return this.tally.markStale(runId);
    await this.moveTally(runId, settlements);
  }

  /** Moves each settled user from pending to their status in the run's counters. */
  private async moveTally(runId: string, settlements: readonly Pick<LedgerSettlement, 'status'>[]): Promise<void> {
    const byStatus = new Map<string, number>();
    for (const { status } of settlements) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    for (const [status, n] of byStatus) await this.tally.ledger(runId, 'pending', status, n);
  }

  /** The Redis hash of the run's shared LLM copy budget. */
  budgetKey(runId: string): string {
    return `${this.config.get('redis', { infer: true }).prefix}:copy-budget:{${runId}}`;
  }
}

function userIdsOf(members: readonly ShardMember[]): string[] {
  return members.map((m) => m.userId);
}

/** The queued notifications an earlier attempt wrote, with their users. */
function existingQueued(existing: Map<string, NotificationStateRow>) {
  return [...existing].flatMap(([userId, n]) => (n.state === 'queued' ? [{ ...n, userId }] : []));
}

/** The users whose profile this chunk read, or the attempt that wrote their notification did (see ErasedDuringFanOut). */
function profilesRead(
  todo: readonly ShardMember[],
  snapshots: ReadonlyMap<string, { user: UserProfile | undefined }>,
  existing: ReadonlyMap<string, NotificationStateRow>,
): Set<string> {
  return new Set([
    ...todo.flatMap(({ userId }) => (snapshots.get(userId)?.user ? [userId] : [])),
    ...[...existing].flatMap(([userId, n]) => (n.reason?.code === 'no-profile' ? [] : [userId])),
  ]);
}

function recipientOf(userId: string, profile: UserProfile | undefined) {
  return {
    userId,
    email: profile?.email,
    pushTokens: profile?.pushTokens ?? [],
    // Quiet hours and local send times need a zone the runtime knows; an unknown one counts as UTC.
    timeZone: zoneOrUtc(profile?.timeZone),
  };
}

/** The queued notifications with the renders they refer to: the ones created carrying their tracking. */
function toIssue(created: readonly Notification[], renders: readonly StoredRender[]) {
  const byId = new Map(renders.map((r) => [r.renderId, r.rendered]));
  return created.flatMap((notification) => {
    const rendered = notification.state === 'queued' ? byId.get(notification.message?.renderId ?? '') : undefined;
    return rendered ? [{ notification, rendered }] : [];
  });
}

function settlementOf(userId: string, outcome: RecipientOutcome): LedgerSettlement {
  if (outcome.kind === 'held-out') return { userId, status: 'held-out', arm: outcome.arm };
  return { userId, status: 'done', ...(outcome.arm && { arm: outcome.arm }) };
}
