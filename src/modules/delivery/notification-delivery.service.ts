import { Injectable, Logger } from '@nestjs/common';
import { AfterSend } from './after-send';
import { CapSlots } from './cap-slots';
import { AttemptResult, DeliveryAttempt } from './delivery-attempt';
import { DeliveryMetrics } from './delivery.metrics';
import { nextStep } from './domain/delivery-step';
import { firstAccepted, Notification, NotificationReason } from './domain/notification';
import { FrequencyCaps } from './frequency-caps';
import { NotificationLifecycle } from './notification-lifecycle';
import { NotificationRepository } from './notification.repository';
import { OutboundMessages } from './outbound-messages';
import { goneReason, RecipientChecks } from './recipient-checks';
import { RunTally } from './run-tally';

/** What the job does next: nothing, or run again at `at`. */
export type DeliveryOutcome = { kind: 'done' } | { kind: 'again'; at: Date; why: string };

const DONE: DeliveryOutcome = { kind: 'done' };
/** A notification whose render the render store no longer has: nothing can be sent, now or later. */
export const MISSING_RENDER: NotificationReason = {
  code: 'render-missing',
  message: "the message's render is not in the render store",
};
/**
 * The reason a send is counted with when a late acceptance overruled the notification's failure: the failures
 * still standing are those counted less these.
 */
const SENT_AFTER_FAILURE = 'after-failure';
/** A lapsed lease is re-read this long after it lapses, so a renewal in flight can land first. */
const LEASE_GRACE_MS = 250;

/**
 * The delivery job's logic for one notification: read it, decide the step (`nextStep`), and carry the
 * step out with a conditional write. A duplicated, retried or stalled job re-reads the record and
 * finds the work done, held by a live attempt (it waits out the lease) or abandoned by a dead one
 * (it takes over, sending only the targets no provider accepted).
 */
@Injectable()
export class NotificationDeliveryService {
  private readonly logger = new Logger(NotificationDeliveryService.name);

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly lifecycle: NotificationLifecycle,
    private readonly attempt: DeliveryAttempt,
    private readonly outbound: OutboundMessages,
    private readonly checks: RecipientChecks,
    private readonly afterSend: AfterSend,
    private readonly caps: FrequencyCaps,
    private readonly capSlots: CapSlots,
    private readonly metrics: DeliveryMetrics,
    private readonly tally: RunTally,
  ) {}

  /** Takes the notification one step, for a job of the run's `generation` (see `NotificationRunHooks.gate`). */
  async deliver(notificationId: string, generation = 0): Promise<DeliveryOutcome> {
    // A recovery puts the notification back to queued, as does a claim that found nothing left to send (a
    // target accepted since the read); the loop then decides again on fresh state.
    for (let round = 0; round < 3; round++) {
      const stored = await this.notifications.findById(notificationId);
      if (!stored) return DONE;
      const [notification] = await this.checks.inZonesNow([stored]);
      const gate = notification.state === 'queued' ? await this.lifecycle.gate(notification.runId, generation) : 'open';
      const step = nextStep(notification, gate, new Date());
      switch (step.kind) {
        case 'done':
          // A re-run after a crash between the final write and the run's bookkeeping finishes the latter.
          await this.lifecycle.settled(notification);
          return DONE;
        case 'park':
          this.logger.debug({ message: 'run paused: notification parked', notificationId, runId: notification.runId });
          return DONE;
        case 'effects':
          await this.recordSent(notification, notification.sentAt ?? new Date());
          await this.lifecycle.settled(notification);
          return DONE;
        case 'wait':
          if (step.why === 'quiet-hours') {
            await this.notifications.postpone(notificationId, step.until, notification.timeZone, new Date());
          }
          return {
            kind: 'again',
            at: new Date(step.until.getTime() + (step.why === 'lease' ? LEASE_GRACE_MS : 0)),
            why: step.why,
          };
        case 'recover':
          if (await this.notifications.recover(notificationId, step.attemptId, new Date())) {
            await this.tally.notifications(notification.runId, 'sending', 'queued', undefined);
            this.logger.warn({
              message: 'took over an attempt whose lease lapsed',
              notificationId,
              attemptId: step.attemptId,
            });
            this.count('recovered', notification);
          }
          continue;
        case 'settle':
          await this.settle(notification, step.reason);
          return DONE;
        case 'send': {
          const outcome = await this.send(notification, generation);
          if (outcome) return outcome;
          continue;
        }
      }
    }
    throw new Error(`notification ${notificationId} did not settle after a recovery`);
  }

  /**
   * Sends what is pending; undefined when the claim found it changed since the read (decide again): a target
   * accepted meanwhile, or, asked again once claimed as a batch does, its run paused or cancelled or the
   * recipient's word (consent, an unsubscribe, a suppression) refusing it since the checks before the claim.
   */
  private async send(notification: Notification, generation: number): Promise<DeliveryOutcome | undefined> {
    const verdict = await this.checks.verdict(notification);
    // A device removed (or an address replaced) since the fan-out gets nothing, and its target says so.
    await this.notifications.skipTargets(
      notification.notificationId,
      verdict.gone.map((index) => ({ index, reason: goneReason(notification.targets[index].to) })),
    );
    if ('refusal' in verdict) {
      await this.settle(notification, verdict.refusal);
      return DONE;
    }
    const { pending } = verdict;
    if (pending.length === 0) {
      await this.settle(notification, { code: 'no-target', message: 'no address or device is left to send to' });
      return DONE;
    }
    const capped = (await this.capSlots.refusals([notification], new Date())).get(notification.notificationId);
    if (capped) {
      await this.settle(notification, capped);
      return DONE;
    }
    const messages = await this.outbound.build(notification, pending);
    if (!messages) {
      await this.fail(notification, MISSING_RENDER);
      return DONE;
    }
    const result = await this.attempt.run(notification, messages, async (claimed) => {
      if ((await this.lifecycle.gate(claimed.runId, generation)) !== 'open') return false;
      return !(await this.checks.refusals([claimed])).has(claimed.notificationId);
    });
    return result.kind === 'changed' ? undefined : this.conclude(notification, result);
  }

  /** Ends a queued notification that cannot be sent at all (its render is gone) as failed, without an attempt. */
  async fail(notification: Notification, reason: NotificationReason): Promise<void> {
    const settled = await this.notifications.settle(
      notification.notificationId,
      { state: 'failed', reason },
      new Date(),
    );
    if (!settled) return;
    this.logger.warn({ message: `not sent: ${reason.message}`, notificationId: notification.notificationId });
    await this.tally.notifications(notification.runId, 'queued', 'failed', reason.code);
    this.count('failed', notification, reason.code);
    await this.release(notification);
    await this.lifecycle.settled({ ...notification, state: 'failed' });
  }

  /** Acts on how an attempt ended: counts it, writes the after-send records or gives the cap slot back. */
  async conclude(notification: Notification, result: AttemptResult): Promise<DeliveryOutcome> {
    switch (result.kind) {
      case 'lost':
        if (result.accepted) await this.acceptedLate(notification);
        return DONE;
      case 'wait':
        return { kind: 'again', at: result.until, why: result.why };
      case 'retry':
        this.count('retried', notification, result.reason);
        return { kind: 'again', at: result.retryAt, why: result.reason };
      case 'final':
        if (result.state === 'sent') {
          this.count('sent', notification);
          await this.recordSent(notification, result.at);
        } else {
          this.count('failed', notification, result.reason);
          await this.release(notification);
        }
        await this.lifecycle.settled({ ...notification, state: result.state });
        // A taken-over attempt's acceptance written as this one ended failed may have found it still being sent:
        // of the two, the one reading after the other's write settles it as sent.
        if (result.state === 'failed' && notification.attempts.length > 0) await this.acceptedLate(notification);
        return DONE;
    }
  }

  /**
   * After an acceptance written by an attempt that no longer held the notification (taken over while its request
   * was out): a takeover that ended failed meanwhile (its copy refused as a duplicate, say) did not decide the
   * message, which went out. It is sent at that acceptance's time, with its after-send records, and takes its
   * frequency-cap slot back there, whatever the caps say: the send happened.
   */
  async acceptedLate(notification: Notification): Promise<void> {
    const stored = await this.notifications.findById(notification.notificationId);
    const accepted = stored?.state === 'failed' ? firstAccepted(stored.targets) : undefined;
    if (!stored || !accepted) return;
    const sentAt = accepted.acceptedAt ?? new Date();
    if (!(await this.notifications.sentAfterAll(stored.notificationId, sentAt))) return;
    this.logger.warn({
      message: 'an acceptance arrived after the takeover failed: sent after all',
      notificationId: stored.notificationId,
    });
    await this.tally.notifications(stored.runId, 'failed', 'sent', undefined);
    // Counters only grow: the failure stays counted, and this send says it overruled one.
    this.count('sent', stored, SENT_AFTER_FAILURE);
    await this.caps.reserve(stored, [], sentAt, stored.notificationId);
    await this.recordSent(stored, sentAt);
    await this.lifecycle.settled({ ...stored, state: 'sent', reason: undefined });
  }

  /**
   * Ends a notification without an attempt: as sent when some target already accepted it (with no reason: it
   * was not held back), else suppressed for `reason`.
   */
  private async settle(notification: Notification, reason: NotificationReason): Promise<void> {
    const accepted = firstAccepted(notification.targets);
    const state = accepted ? 'sent' : 'suppressed';
    const now = new Date();
    // An acceptance written after a takeover: the message went out when the provider took it, not now.
    const sentAt = accepted?.acceptedAt ?? now;
    const end = accepted ? { state: 'sent' as const, sentAt } : { state: 'suppressed' as const, reason };
    if (!(await this.notifications.settle(notification.notificationId, end, now))) return;
    await this.tally.notifications(notification.runId, 'queued', state, reason.code);
    this.count(state, notification, state === 'suppressed' ? reason.code : undefined);
    if (state === 'sent') await this.recordSent(notification, sentAt);
    else await this.release(notification);
    await this.lifecycle.settled({ ...notification, state, ...(state === 'suppressed' && { reason }) });
  }

  private async recordSent(notification: Notification, at: Date): Promise<void> {
    await this.afterSend.record(notification, at);
  }

  /** A notification that will never be sent gives its frequency-cap slot back. */
  private release(notification: Notification): Promise<void> {
    return this.caps.release(notification, notification.notificationId);
  }

  private count(event: 'sent' | 'failed' | 'suppressed' | 'retried' | 'recovered', n: Notification, reason?: string) {
    this.metrics.count(event, { campaignId: n.campaignId, channel: n.channel, reason });
  }
}
