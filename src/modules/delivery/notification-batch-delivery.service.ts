import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { Settings } from '../../config/settings';
import { Coalescer } from '../../lib/concurrency/coalescer';
import { Semaphore } from '../../lib/concurrency/semaphore';
import { AfterSend } from './after-send';
import { BatchLeases } from './batch-leases';
import { CapSlots } from './cap-slots';
import { ChannelRegistry } from './channel-registry';
import { DeliveryAttempt } from './delivery-attempt';
import { DeliveryMetrics } from './delivery.metrics';
import { DeliveryError } from './domain/delivery-error';
import { nextStep } from './domain/delivery-step';
import { AttemptRecord, Notification, NotificationReason, pendingTargets, TargetDelivery } from './domain/notification';
import type { OutboundMessage } from './domain/outbound-message';
import { DeliveryOutcome, MISSING_RENDER, NotificationDeliveryService } from './notification-delivery.service';
import { NotificationLifecycle } from './notification-lifecycle';
import { NotificationRepository } from './notification.repository';
import { OutboundMessages } from './outbound-messages';
import { RecipientChecks } from './recipient-checks';
import { RunTally } from './run-tally';
import { SendRateLimiter } from './send-rate-limiter';

const DONE: DeliveryOutcome = { kind: 'done' };

interface Claimed {
  notification: Notification;
  index: number;
  message: OutboundMessage;
  attemptId: string;
  /** The run generation of the batch's job. */
  generation: number;
}

interface Accepted {
  notification: Notification;
  notificationId: string;
  index: number;
  target: TargetDelivery;
  attempt: AttemptRecord;
}

/** An acceptance waiting for its write: `done` says whether the attempt's end was written with it, `fail` why not. */
interface AcceptedWrite extends Accepted {
  done: (written: boolean) => void;
  fail: (error: unknown) => void;
}

/**
 * Many notifications' first step in one job, with the same records and conditional writes as one by
 * one, read and written in bulk: the notifications in one read, unsubscribes and suppressions in one
 * read each, tracking issued at once, every attempt started by one conditional update (under the batch's
 * attempt id, on notifications still queued, so only one attempt ever holds a notification: a duplicate
 * or re-run job has another id and finds them taken), and each provider's acceptance
 * written together with the attempt's end the moment it arrives (acceptances arriving together share
 * one bulk write), so the window between "accepted" and "recorded" stays one provider request wide.
 * What is not a plain first send to one target (a retry, a lease, a refusal, a failure) goes through
 * NotificationDeliveryService, which knows every step.
 */
@Injectable()
export class NotificationBatchDelivery {
  private readonly logger = new Logger(NotificationBatchDelivery.name);
  private readonly leaseMs: number;
  private readonly sendConcurrency: number;
  /**
   * Acceptances arriving within DELIVERY_ACCEPTED_WRITE_DELAY_MS share one bulk write: a few milliseconds
   * added to the window between a provider's acceptance and its record, against one write per message.
   */
  private readonly accepted: Coalescer<AcceptedWrite>;
  /**
   * The recipient's word asked again as each claimed message's turn comes: a batch's sends take provider
   * round trips, and an unsubscribe or withdrawn consent stored meanwhile stops every send that starts after
   * it. The checks of sends starting together share one read.
   */
  private readonly recipientsNow: Coalescer<{
    notification: Notification;
    done: (refusal: NotificationReason | undefined) => void;
  }>;

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly lifecycle: NotificationLifecycle,
    private readonly single: NotificationDeliveryService,
    private readonly attempt: DeliveryAttempt,
    private readonly outbound: OutboundMessages,
    private readonly checks: RecipientChecks,
    private readonly capSlots: CapSlots,
    private readonly afterSend: AfterSend,
    private readonly limiter: SendRateLimiter,
    private readonly channels: ChannelRegistry,
    private readonly metrics: DeliveryMetrics,
    private readonly tally: RunTally,
    config: ConfigService<Settings, true>,
  ) {
    const delivery = config.get('delivery', { infer: true });
    this.leaseMs = delivery.leaseMs;
    this.sendConcurrency = delivery.concurrency;
    this.accepted = new Coalescer((items) => this.writeAccepted(items), delivery.acceptedWriteDelayMs);
    this.recipientsNow = new Coalescer(async (items) => {
      const refusals = await this.checks.refusals(items.map((i) => i.notification));
      for (const item of items) item.done(refusals.get(item.notification.notificationId));
    });
  }

  /**
   * Takes each notification one step, for a job of the run's `generation` (see `NotificationRunHooks.gate`); the
   * outcome of each (run again later, or done).
   */
  async deliverMany(notificationIds: readonly string[], generation = 0): Promise<Map<string, DeliveryOutcome>> {
    const outcomes = new Map<string, DeliveryOutcome>(notificationIds.map((id) => [id, DONE]));
    const now = new Date();
    const plain: Notification[] = [];
    const others: string[] = [];
    const read = await this.notifications.findByIds([...new Set(notificationIds)]);
    for (const notification of await this.checks.inZonesNow(read)) {
      const gate = notification.state === 'queued' ? await this.lifecycle.gate(notification.runId, generation) : 'open';
      const plainSend =
        nextStep(notification, gate, now).kind === 'send' && pendingTargets(notification.targets).length === 1;
      if (plainSend) plain.push(notification);
      else others.push(notification.notificationId);
    }
    const refusals = await this.checks.refusals(plain);
    const welcome = plain.filter((n) => !refusals.has(n.notificationId));
    const capped = await this.capSlots.refusals(welcome, now);
    // A refused notification is settled by the one-by-one path, which asks again and records why.
    others.push(...refusals.keys(), ...capped.keys());
    const claimed = await this.claim(
      welcome.filter((n) => !capped.has(n.notificationId)),
      outcomes,
      others,
      generation,
    );
    const gate = new Semaphore(this.sendConcurrency);
    const results = await Promise.allSettled([
      this.sendClaimed(claimed, outcomes),
      ...others.map((id) => gate.run(async () => outcomes.set(id, await this.single.deliver(id, generation)))),
    ]);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    return outcomes;
  }

  /**
   * Builds the messages, takes send slots and starts an attempt on each notification, all under the batch's
   * attempt id in one conditional write; the ones this job holds. A claim whose target was accepted since the
   * read goes back unsent, its id into `again` (the one-by-one path settles it).
   */
  private async claim(
    notifications: Notification[],
    outcomes: Map<string, DeliveryOutcome>,
    again: string[],
    generation: number,
  ): Promise<Claimed[]> {
    const attemptId = randomUUID();
    const messages = await this.outbound.buildMany(
      notifications.map((notification) => ({ notification, indexes: pendingTargets(notification.targets) })),
    );
    const ready: Claimed[] = [];
    for (const notification of notifications) {
      const built = messages.get(notification.notificationId);
      if (!built) {
        // Its render is gone: it fails alone, and the rest of the batch goes out.
        await this.single.fail(notification, MISSING_RENDER);
        continue;
      }
      const [[index, message]] = [...built];
      const slot = await this.limiter.tryAcquire(message, await this.lifecycle.sendRate(notification.runId));
      if (!slot.granted) {
        outcomes.set(notification.notificationId, {
          kind: 'again',
          at: new Date(Date.now() + slot.waitMs),
          why: 'rate-limit',
        });
      } else ready.push({ notification, index, message, attemptId, generation });
    }
    const startedAt = new Date();
    const leaseUntil = new Date(startedAt.getTime() + this.leaseMs);
    const held = await this.notifications.startAttempts(
      ready.map((c) => c.notification.notificationId),
      attemptId,
      startedAt,
      leaseUntil,
    );
    // Not held: another job started an attempt first; it carries the notification on.
    const stale = await this.acceptedSinceRead(ready.filter((c) => held.has(c.notification.notificationId)));
    for (const c of stale) {
      if (await this.notifications.releaseClaim(c.notification.notificationId, c.attemptId)) {
        again.push(c.notification.notificationId);
      }
    }
    const mine = ready
      .filter((c) => held.has(c.notification.notificationId) && !stale.includes(c))
      .map((c) => ({
        ...c,
        notification: {
          ...c.notification,
          state: 'sending' as const,
          sending: { attemptId: c.attemptId, startedAt, leaseUntil },
        },
      }));
    for (const [runId, n] of countByRun(mine.map((c) => c.notification))) {
      await this.tally.notifications(runId, 'queued', 'sending', undefined, n);
    }
    return mine;
  }

  /**
   * The claims whose target is no longer pending: an earlier attempt's acceptance written after this job read
   * the notification (a lapsed claim taken over while its message was with the provider). Only notifications
   * with an earlier attempt are read again; a first attempt has nothing to race with.
   */
  private async acceptedSinceRead(held: Claimed[]): Promise<Claimed[]> {
    const retried = held.filter((c) => c.notification.attempts.length > 0);
    if (retried.length === 0) return [];
    const now = new Map(
      (await this.notifications.findByIds(retried.map((c) => c.notification.notificationId))).map((n) => [
        n.notificationId,
        n,
      ]),
    );
    return retried.filter((c) => now.get(c.notification.notificationId)?.targets[c.index]?.state !== 'pending');
  }

  private async sendClaimed(claimed: Claimed[], outcomes: Map<string, DeliveryOutcome>): Promise<void> {
    if (claimed.length === 0) return;
    const leases = new BatchLeases(this.notifications, claimed[0].attemptId, claimed, this.leaseMs);
    const heartbeat = setInterval(() => {
      leases.renew().catch((error: Error) => this.logger.warn(`leases not extended: ${error.message}`));
    }, this.leaseMs / 3);
    const gate = new Semaphore(this.sendConcurrency);
    const sent: Notification[] = [];
    try {
      const results = await Promise.allSettled(
        claimed.map((c) =>
          gate.run(async () => {
            const id = c.notification.notificationId;
            try {
              // A run paused or cancelled since the batch read it, or a recipient's word since: back unsent.
              if (
                (await this.lifecycle.gate(c.notification.runId, c.generation)) !== 'open' ||
                (await this.refusedNow(c.notification))
              ) {
                outcomes.set(id, await this.withdraw(c));
                return;
              }
              if (!(await leases.holds(id))) {
                // Another worker took the claim over once its lease lapsed (this job stalled): it carries it on.
                this.logger.warn({ message: 'batch lost its claim before sending', notificationId: id });
                return;
              }
              const outcome = await this.sendOne(c);
              if (outcome === 'sent') sent.push(c.notification);
              else outcomes.set(id, outcome);
            } finally {
              leases.done(id);
            }
          }),
        ),
      );
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
    } finally {
      clearInterval(heartbeat);
      await this.recordSent(sent);
    }
  }

  /** Whether the recipient's word now refuses the message (consent, unsubscribe, suppressed address). */
  private async refusedNow(notification: Notification): Promise<boolean> {
    const refusal = await new Promise<NotificationReason | undefined>((done, fail) => {
      this.recipientsNow.add({ notification, done }).catch(fail);
    });
    return refusal !== undefined;
  }

  /**
   * A claim the recipient's word or its run (paused, cancelled) refuses goes back to the queue unsent, and the
   * one-by-one path, which asks again, settles it with the reason (and gives its cap slot back) or parks it.
   */
  private async withdraw({ notification, attemptId, generation }: Claimed): Promise<DeliveryOutcome> {
    const { notificationId, runId } = notification;
    if (!(await this.notifications.releaseClaim(notificationId, attemptId))) return DONE;
    await this.tally.notifications(runId, 'sending', 'queued', undefined);
    return this.single.deliver(notificationId, generation);
  }

  /** One provider request; an acceptance is written with the attempt's end, anything else the attempt's way. */
  private async sendOne({ notification, index, message, attemptId }: Claimed): Promise<'sent' | DeliveryOutcome> {
    const startedAt = notification.sending?.startedAt ?? new Date();
    const to = notification.targets[index].to;
    try {
      const receipt = await this.channels.send(message);
      const target: TargetDelivery = { to, state: 'accepted', ...receipt };
      const attempt: AttemptRecord = { attemptId, startedAt, endedAt: new Date(), outcome: 'accepted' };
      const written = await new Promise<boolean>((done, fail) => {
        this.accepted
          .add({ notification, notificationId: notification.notificationId, index, target, attempt, done, fail })
          .catch(fail);
      });
      // The attempt lost its lease meanwhile: the acceptance is recorded all the same, and the attempt
      // that took over finds it and sends nothing again (or, ended failed already, is overruled by it).
      if (written) return 'sent';
      await this.notifications.recordTarget(notification.notificationId, index, target);
      await this.single.acceptedLate(notification);
      return DONE;
    } catch (error) {
      if (!(error instanceof DeliveryError)) throw error;
      const result = { to, state: error.retryable ? ('pending' as const) : ('failed' as const), error: error.toJSON() };
      const ended = await this.attempt.finish(notification, attemptId, startedAt, [{ index, result, error }]);
      return this.single.conclude(notification, ended);
    }
  }

  private async writeAccepted(items: AcceptedWrite[]): Promise<void> {
    const { written, failed } = await this.finishAccepted(items);
    const runs = countByRun(items.filter((i) => written.has(i.notificationId)).map((i) => i.notification));
    for (const [runId, n] of runs) await this.tally.notifications(runId, 'sending', 'sent', undefined, n);
    for (const item of items) {
      const error = failed.get(item);
      if (error === undefined) item.done(written.has(item.notificationId));
      else item.fail(error);
    }
  }

  /**
   * The acceptances' bulk write. When it fails, which of its writes landed is unknown, and the provider accepted
   * every one of these messages: each is written again on its own (a write that landed finds its attempt logged
   * as accepted), so a failed write of many loses no acceptance a write of its own can keep, and no takeover
   * sends those messages again. Those whose own write fails too are left to the one window.
   */
  private async finishAccepted(
    items: AcceptedWrite[],
  ): Promise<{ written: Set<string>; failed: Map<AcceptedWrite, unknown> }> {
    const failed = new Map<AcceptedWrite, unknown>();
    try {
      return { written: await this.notifications.finishAccepted(items, new Date()), failed };
    } catch (error) {
      this.logger.warn(`acceptances not written together, writing each: ${(error as Error).message}`);
    }
    const written = new Set<string>();
    for (const item of items) {
      try {
        for (const id of await this.notifications.finishAccepted([item], new Date())) written.add(id);
      } catch (error) {
        failed.set(item, error);
      }
    }
    return { written, failed };
  }

  /** The after-send records of the notifications this job sent, in bulk, then the run's bookkeeping. */
  private async recordSent(sent: Notification[]): Promise<void> {
    if (sent.length === 0) return;
    const at = new Date();
    for (const n of sent) this.metrics.count('sent', { campaignId: n.campaignId, channel: n.channel });
    // No marker follows: a job that finds these sent writes the (idempotent) records again.
    await this.afterSend.recordMany(sent, at);
    for (const n of sent) await this.lifecycle.settled({ ...n, state: 'sent' });
  }
}

/** How many of these notifications each run has. */
function countByRun(notifications: ReadonlyArray<Pick<Notification, 'runId'>>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { runId } of notifications) counts.set(runId, (counts.get(runId) ?? 0) + 1);
  return counts;
}
