import { Injectable, Logger } from '@nestjs/common';
import { capRefusal } from '../../delivery/domain/frequency-cap';
import { capSlotOf } from '../../delivery/domain/notification';
import { notificationIdOf } from '../../delivery/domain/notification-id';
import { DeliveryMetrics } from '../../delivery/delivery.metrics';
import { FrequencyCaps } from '../../delivery/frequency-caps';
import { NotificationRepository } from '../../delivery/notification.repository';
import { RunTally } from '../../delivery/run-tally';
import type { CampaignRunRecord } from './campaign-run.schema';

/**
 * How long a fan-out's frequency-cap hold counts without its notification: far longer than a chunk takes
 * from its users' holds to their records, far shorter than any cap's window.
 */
export const CAP_HOLD_MS = 10 * 60_000;

/** A written queued notification of a run, and the send time its slot is for. */
export interface WrittenSlot {
  userId: string;
  notificationId: string;
  at: Date;
}

/**
 * The fan-out's frequency-cap holds, turned into slots or given back. The fan-out must check the caps
 * before its record says `queued` (check and reservation in one atomic step, or four workers could queue
 * past a cap), and the record is written after, so for a while a slot exists without its notification.
 * Giving it back only on the failure path would not do: a worker killed, or a job that stalls out, runs no
 * failure path, and a slot released while a stalled duplicate of the shard writes its record would leave
 * a queued message uncounted. So the fan-out takes a hold that lapses by itself (CAP_HOLD_MS), confirms it
 * once the record is written (a confirmation that finds it gone checks again, and a refusal there
 * suppresses the message before any delivery job), and gives back at once the holds of users left without a
 * record, on every attempt, failed or not. A confirmed slot is only ever released by its notification ending unsent.
 */
@Injectable()
export class FanOutHolds {
  private readonly logger = new Logger(FanOutHolds.name);

  constructor(
    private readonly caps: FrequencyCaps,
    private readonly notifications: NotificationRepository,
    private readonly tally: RunTally,
    private readonly metrics: DeliveryMetrics,
  ) {}

  /**
   * Confirms the slots of `written` and gives back the holds of `unwritten` users; the ids of the written
   * notifications the caps refused (their hold was gone and a cap is full now), settled as suppressed.
   */
  async settle(run: CampaignRunRecord, written: readonly WrittenSlot[], unwritten: readonly string[]) {
    const { runId, definition } = run;
    const subject = (userId: string) => ({ userId, channel: definition.channel, campaignId: definition.id });
    await this.caps.releaseHolds(
      unwritten.map((userId) => ({ subject: subject(userId), notificationId: notificationIdOf(runId, userId) })),
    );
    const refusals = await this.caps.confirmMany(
      written.map(({ userId, notificationId, at }) => ({ subject: subject(userId), notificationId, at })),
      definition.frequencyCaps,
    );
    for (const [notificationId, verdict] of refusals) {
      const reason = capRefusal(verdict, definition.channel);
      if (!(await this.notifications.settle(notificationId, { state: 'suppressed', reason }, new Date()))) continue;
      await this.tally.notifications(runId, 'queued', 'suppressed', reason.code);
      this.metrics.count('suppressed', { campaignId: definition.id, channel: definition.channel, reason: reason.code });
    }
    return new Set(refusals.keys());
  }

  /**
   * After an attempt that failed or stopped (the run no longer running): the holds of `userIds` settled from
   * their records as they are now. Best effort: a hold this cannot settle lapses by itself.
   */
  async settleFromRecords(run: CampaignRunRecord, userIds: readonly string[]): Promise<void> {
    try {
      const states = await this.notifications.findStates(run.runId, userIds);
      const written = [...states].flatMap(([userId, n]) =>
        n.state === 'queued' ? [{ userId, notificationId: n.notificationId, at: capSlotOf(n) }] : [],
      );
      await this.settle(
        run,
        written,
        userIds.filter((userId) => !states.has(userId)),
      );
    } catch (error) {
      this.logger.warn({ message: `holds left to lapse: ${(error as Error).message}`, runId: run.runId });
    }
  }
}
