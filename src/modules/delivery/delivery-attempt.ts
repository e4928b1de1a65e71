import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { Settings } from '../../config/settings';
import { ChannelRegistry } from './channel-registry';
import { DeliveryError } from './domain/delivery-error';
import { firstAccepted, Notification, pendingTargets, TargetDelivery } from './domain/notification';
import type { OutboundMessage } from './domain/outbound-message';
import { decideRetry, RetryPolicy } from './domain/retry-policy';
import { DELIVERY_RETRY_POLICY } from './delivery.module';
import { NotificationRepository } from './notification.repository';
import { NotificationLifecycle } from './notification-lifecycle';
import { RecipientChecks } from './recipient-checks';
import { RunTally } from './run-tally';
import { SendRateLimiter } from './send-rate-limiter';

/** How an attempt ended: settled for good, to be tried again at `retryAt`, or lost to another attempt. */
export type AttemptResult =
  /** `at`: when it ended; for a sent one, when it went out (an earlier attempt's acceptance, if only that one was). */
  | { kind: 'final'; state: 'sent' | 'failed'; at: Date; reason?: string }
  | { kind: 'retry'; retryAt: Date; reason: string }
  | { kind: 'wait'; until: Date; why: 'rate-limit' }
  /** `accepted`: a provider accepted one of the attempt's copies, and the acceptance was written to its target. */
  | { kind: 'lost'; accepted?: boolean };

/**
 * What {@link DeliveryAttempt.run} came to: an attempt's end, or `changed` when the claim found nothing left
 * to send (a target was accepted since the notification was read) and gave the notification back unsent.
 */
export type RunResult = AttemptResult | { kind: 'changed' };

/** What one target's provider request came to within an attempt. */
export interface TargetOutcome {
  index: number;
  result: TargetDelivery;
  error?: DeliveryError;
}

/**
 * One attempt at a queued notification: take a send slot for each pending target, move the
 * notification to sending under a fresh attempt id (a conditional write only one attempt can win),
 * send, record each provider's answer the moment it arrives, then settle or schedule the retry.
 * Only the provider requests happen between "sending" and the per-target records: that is the
 * window a crash can leave open (see the delivery README).
 */
@Injectable()
export class DeliveryAttempt {
  private readonly logger = new Logger(DeliveryAttempt.name);
  private readonly leaseMs: number;

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly channels: ChannelRegistry,
    private readonly limiter: SendRateLimiter,
    private readonly lifecycle: NotificationLifecycle,
    private readonly checks: RecipientChecks,
    private readonly tally: RunTally,
    @Inject(DELIVERY_RETRY_POLICY) private readonly policy: RetryPolicy,
    config: ConfigService<Settings, true>,
  ) {
    this.leaseMs = config.get('delivery', { infer: true }).leaseMs;
  }

  /**
   * `stillWanted` is asked about the claimed notification before any provider request: false (its run paused
   * or cancelled, or the recipient's word refusing it since it was read) gives the claim back unsent, as
   * `changed`, so the caller decides again on fresh state.
   */
  async run(
    notification: Notification,
    messages: Map<number, OutboundMessage>,
    stillWanted: (claimed: Notification) => Promise<boolean>,
  ): Promise<RunResult> {
    // Slots first: waiting for one is not an attempt, and nothing is held while waiting.
    const campaignRate = await this.lifecycle.sendRate(notification.runId);
    for (const message of messages.values()) {
      const slot = await this.limiter.tryAcquire(message, campaignRate);
      if (!slot.granted) return { kind: 'wait', until: new Date(Date.now() + slot.waitMs), why: 'rate-limit' };
    }
    const attemptId = randomUUID();
    const startedAt = new Date();
    const started = await this.notifications.startAttempt(
      notification.notificationId,
      attemptId,
      startedAt,
      new Date(startedAt.getTime() + this.leaseMs),
    );
    if (!started) return { kind: 'lost' };
    // The claim reads the targets as they are now: one accepted since the read (the late acceptance of an
    // attempt taken over) is not sent again.
    const pending = new Set(pendingTargets(started.targets));
    const unsent = new Map([...messages].filter(([index]) => pending.has(index)));
    if (unsent.size === 0 || !(await stillWanted(started))) {
      const released = await this.notifications.releaseClaim(started.notificationId, attemptId);
      return released ? { kind: 'changed' } : { kind: 'lost' };
    }
    await this.tally.notifications(started.runId, 'queued', 'sending', undefined);
    const outcomes = await this.sendAll(started, unsent, attemptId);
    return this.finish(started, attemptId, startedAt, outcomes);
  }

  private async sendAll(
    notification: Notification,
    messages: Map<number, OutboundMessage>,
    attemptId: string,
  ): Promise<TargetOutcome[]> {
    const { notificationId } = notification;
    const heartbeat = setInterval(() => {
      this.notifications
        .extendLease(notificationId, attemptId, new Date(Date.now() + this.leaseMs))
        .catch((error: Error) => this.logger.warn({ message: `lease not extended: ${error.message}`, notificationId }));
    }, this.leaseMs / 3);
    try {
      return await Promise.all(
        [...messages].map(async ([index, message]): Promise<TargetOutcome> => {
          const to = notification.targets[index].to;
          try {
            const receipt = await this.channels.send(message);
            const result: TargetDelivery = { to, state: 'accepted', ...receipt };
            // Recorded the moment the provider accepted: from here on no attempt sends this target again.
            await this.recordAcceptance(notificationId, index, result);
            return { index, result };
          } catch (error) {
            if (!(error instanceof DeliveryError)) throw error;
            return {
              index,
              result: { to, state: error.retryable ? 'pending' : 'failed', error: error.toJSON() },
              error,
            };
          }
        }),
      );
    } finally {
      clearInterval(heartbeat);
    }
  }

  /**
   * Writes a provider's acceptance to its target, once more when the write fails (the write is idempotent): the
   * message went out, and an acceptance left unwritten would be sent again by the attempt that takes the
   * notification over. One whose second write fails too is left to the one window.
   */
  private async recordAcceptance(notificationId: string, index: number, result: TargetDelivery): Promise<void> {
    try {
      await this.notifications.recordTarget(notificationId, index, result);
    } catch (error) {
      this.logger.warn({
        message: `acceptance not written, writing it again: ${(error as Error).message}`,
        notificationId,
      });
      await this.notifications.recordTarget(notificationId, index, result);
    }
  }

  /** Records the attempt's outcomes and ends it: sent, failed, or queued again for a retry. */
  async finish(
    notification: Notification,
    attemptId: string,
    startedAt: Date,
    outcomes: TargetOutcome[],
  ): Promise<AttemptResult> {
    const at = new Date();
    const targets = [...notification.targets];
    for (const { index, result, error } of outcomes) {
      targets[index] = result;
      if (error && !error.retryable) {
        await this.notifications.recordTarget(notification.notificationId, index, result);
        await this.checks.act(notification, result.to, error, at);
      }
    }
    // A target a provider accepted since the claim read the targets (the late acceptance of an attempt taken
    // over while this one's request was out) went out, whatever this attempt's copy got: it stays accepted.
    if (outcomes.some((o) => o.error)) {
      const stored = await this.notifications.findById(notification.notificationId);
      for (const [index, target] of (stored?.targets ?? []).entries()) {
        if (target.state === 'accepted' && targets[index]?.state !== 'accepted') targets[index] = target;
      }
    }
    const retryable = outcomes.flatMap((o) => (o.error?.retryable ? [o.error] : []));
    const errors = outcomes.flatMap((o) => (o.error ? [o.error.toJSON()] : []));
    const attemptsMade = notification.attempts.length + 1;
    const accepted = firstAccepted(targets) !== undefined;
    let end: { state: 'sent' | 'failed' | 'queued'; reason?: string; notBefore?: Date };
    if (pendingTargets(targets).length === 0 || retryable.length === 0) {
      end = accepted ? { state: 'sent' } : { state: 'failed', reason: errors[0]?.code as string | undefined };
    } else {
      // The slowest Retry-After among the targets decides when all of them are tried again.
      const worst = retryable.reduce((a, b) => ((b.retryAfterMs ?? 0) > (a.retryAfterMs ?? 0) ? b : a));
      const decision = decideRetry(worst, attemptsMade, this.policy, Math.random);
      end = decision.retry
        ? { state: 'queued', reason: worst.code, notBefore: new Date(at.getTime() + decision.delayMs) }
        : {
            state: accepted ? 'sent' : 'failed',
            reason: decision.reason === 'permanent' ? worst.code : 'attempts-exhausted',
          };
    }
    // Sent with none of this attempt's copies accepted: it went out when the provider took the earlier one.
    const ownAcceptance = outcomes.some((o) => o.result.state === 'accepted');
    const sentAt = (!ownAcceptance && firstAccepted(targets)?.acceptedAt) || at;
    const finished = await this.notifications.finishAttempt(notification.notificationId, attemptId, {
      state: end.state,
      at,
      sentAt,
      notBefore: end.notBefore,
      ...(end.state === 'failed' && {
        reason: { code: end.reason ?? 'delivery.failed', message: 'the provider did not accept the message' },
      }),
      attempt: {
        attemptId,
        startedAt,
        endedAt: at,
        outcome: end.state === 'queued' ? 'retry' : accepted ? 'accepted' : 'failed',
        ...(errors.length > 0 && { errors }),
      },
    });
    if (finished) await this.tally.notifications(notification.runId, 'sending', end.state, undefined);
    if (!finished) {
      // Another worker took the notification over after our lease lapsed; it carries on from our records.
      this.logger.warn({
        message: 'attempt lost its lease before finishing',
        notificationId: notification.notificationId,
        attemptId,
      });
      return { kind: 'lost', accepted: ownAcceptance };
    }
    if (end.state === 'queued') return { kind: 'retry', retryAt: end.notBefore!, reason: end.reason ?? 'retry' };
    return { kind: 'final', state: end.state, at: end.state === 'sent' ? sentAt : at, reason: end.reason };
  }
}
