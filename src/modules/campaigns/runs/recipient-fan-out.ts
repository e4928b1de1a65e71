import { Injectable } from '@nestjs/common';
import { quietVerdict } from '../../../lib/time/quiet-hours';
import { instantOfLocalDate, LocalDateTime, zoneOrUtc } from '../../../lib/time/zoned-time';
import { capRefusal } from '../../delivery/domain/frequency-cap';
import { type Notification, type NotificationReason, staleReason } from '../../delivery/domain/notification';
import { notificationIdOf } from '../../delivery/domain/notification-id';
import { FrequencyCaps } from '../../delivery/frequency-caps';
import type { StoredRender } from '../../delivery/message-render.repository';
import { ExperimentAssignments } from '../../experiments/experiment-ports';
import { UserJourneysRepository } from '../../journeys/user-journeys.repository';
import type { CopyBudget } from '../../personalization/domain/copy-budget';
import { CampaignMessageComposer } from '../campaign-message-composer.service';
import type { CampaignDefinition } from '../domain/campaign-definition';
import type { ComposedMessage } from '../domain/compose-result';
import type { RecipientSnapshot } from '../recipient-snapshots';
import { queuedNotification, reasonOfSkip, Recipient, suppressedNotification } from './domain/notification-drafts';
import { rankingExampleOf } from './domain/ranking-example';
import { RankingExampleRepository } from '../../ranking/ranking-example.repository';
import { CAP_HOLD_MS } from './fan-out-holds';
import { latestSend, localSendOf } from './domain/run-schedule';

/** What became of one user of a run; `render` is the message's render, to store before the notification. */
export type RecipientOutcome =
  | { kind: 'held-out'; arm: { experimentId: string; armId: string } }
  | {
      kind: 'notification';
      notification: Notification;
      arm?: { experimentId: string; armId: string };
      render?: StoredRender;
    };

/** The outcome of a notification created, with the render its message refers to. */
function created(notification: Notification, message: ComposedMessage | undefined, arm?: RecipientOutcome['arm']) {
  const renderId = notification.message?.renderId;
  return {
    kind: 'notification' as const,
    notification,
    arm,
    ...(message && renderId && { render: { renderId, rendered: message.rendered } }),
  };
}

export interface FanOutContext {
  runId: string;
  definition: CampaignDefinition;
  contentHash: string;
  budget: CopyBudget;
  now: Date;
  /** The link nonce the context's renders share, so equal messages are stored once. */
  linkNonce?: string;
  /** A local-hour run's local date: each user's send time is that date's hour where the user is now. */
  localDate?: string;
}

/**
 * One user of a run, in the order the product promises: the experiment arm first (so every assigned
 * user counts in it, intent to treat), then the message and the composer's eligibility (consent,
 * preferences, audience rules), then send-time rules (quiet hours in the user's zone, frequency caps
 * across campaigns, held until the notification is written). The result is a notification to create, queued
 * or suppressed with its reason.
 */
@Injectable()
export class RecipientFanOut {
  constructor(
    private readonly assignments: ExperimentAssignments,
    private readonly composer: CampaignMessageComposer,
    private readonly caps: FrequencyCaps,
    private readonly journeys: UserJourneysRepository,
    private readonly outcomes: RankingExampleRepository,
  ) {}

  /** The ranker's example of a message about a journey: its features with what the composer ranked it from. */
  private async rankingExample(userId: string, message: ComposedMessage, now: Date, snapshot?: RecipientSnapshot) {
    const [stored, history] = snapshot
      ? [snapshot.journeys, snapshot.history]
      : await Promise.all([
          this.journeys.findByUserId(userId),
          this.outcomes.findHistories([userId], now).then((histories) => histories.get(userId) ?? []),
        ]);
    return rankingExampleOf(stored?.journeys ?? [], message.subject, now, history);
  }

  /** `snapshot` is the recipient as their chunk read them; without it everything is read here. */
  async process(
    context: FanOutContext,
    recipient: Recipient,
    plannedAt?: Date,
    snapshot?: RecipientSnapshot,
  ): Promise<RecipientOutcome> {
    const { runId, definition, now } = context;
    const { userId } = recipient;
    const decision = await this.assignments.assign({ campaign: definition, runId, userId, now });
    const arm =
      decision.experimentId && decision.armId
        ? { experimentId: decision.experimentId, armId: decision.armId }
        : undefined;
    if (!decision.receives) {
      return { kind: 'held-out', arm: arm ?? { experimentId: definition.id, armId: decision.armId ?? 'holdout' } };
    }
    const draft = {
      notificationId: notificationIdOf(runId, userId),
      runId,
      definition,
      recipient,
      experiment: arm,
      now,
    };
    const suppressed = (reason: NotificationReason, message?: ComposedMessage): RecipientOutcome =>
      created(suppressedNotification({ ...draft, reason, message }), message, arm);
    const composed = await this.composer.compose({ definition, contentHash: context.contentHash }, userId, {
      now,
      variant: decision.variant,
      budget: context.budget,
      ...(context.linkNonce && { linkNonce: context.linkNonce }),
      ...(snapshot && { snapshot }),
    });
    if (composed.status === 'skip') return suppressed(reasonOfSkip(composed.skip));
    const { message } = composed;
    const local = localPlan(context, recipient);
    const planned = local?.at ?? plannedAt;
    const dueAt = planned && planned.getTime() > now.getTime() ? planned : now;
    let sendAt = dueAt;
    // A run started late (its firing missed, a worker down) sends nothing later than its local hour allows.
    const stale = (at: Date) => local !== undefined && at.getTime() > local.sendBy.getTime();
    if (local && stale(sendAt)) return suppressed(staleReason(local.sendBy, recipient.timeZone), message);
    if (definition.quietHours) {
      const verdict = quietVerdict(sendAt, recipient.timeZone, definition.quietHours);
      if (verdict.quiet && definition.quietHours.whenQuiet === 'drop') {
        return suppressed(
          {
            code: 'quiet-hours',
            rule: 'quietHours',
            value: `${definition.quietHours.start}-${definition.quietHours.end} ${recipient.timeZone}`,
            message: 'due inside the quiet hours of a campaign that drops such messages',
          },
          message,
        );
      }
      if (verdict.quiet) sendAt = verdict.endsAt;
      if (local && stale(sendAt)) return suppressed(staleReason(local.sendBy, recipient.timeZone), message);
    }
    // A hold, not a slot: the notification is not written yet (FanOutHolds confirms it once it is).
    const cap = await this.caps.hold(
      { userId, channel: definition.channel, campaignId: definition.id },
      definition.frequencyCaps,
      sendAt,
      draft.notificationId,
      CAP_HOLD_MS,
    );
    if (!cap.granted) return suppressed(capRefusal(cap, definition.channel), message);
    const ranking =
      message.subject.kind === 'journey' ? await this.rankingExample(userId, message, now, snapshot) : undefined;
    const quietDueAt = sendAt === dueAt ? undefined : dueAt;
    const localSend = local?.send;
    return created(
      queuedNotification({
        ...draft,
        message,
        notBefore: sendAt,
        quietDueAt,
        localSend,
        sendBy: local?.sendBy,
        ranking,
      }),
      message,
      arm,
    );
  }
}

/**
 * When a user of a local-hour run is due: the run's hour on its local date in the zone the user has now. The
 * selection bucketed them by the zone they had then (up to two days before); one who moved, or gave a zone
 * for the first time, since is sent at the hour where they are, not at the old zone's. Other runs keep the
 * time they were planned for; `sendBy` is the latest it may go out (see `Notification.sendBy`).
 */
function localPlan(
  context: FanOutContext,
  recipient: Recipient,
): { send: LocalDateTime; at: Date; sendBy: Date } | undefined {
  const { schedule } = context.definition;
  if (schedule.type !== 'local-hour' || !context.localDate) return undefined;
  const send = localSendOf(schedule, context.localDate);
  const at = instantOfLocalDate(send, zoneOrUtc(recipient.timeZone));
  return { send, at, sendBy: latestSend(schedule, at) };
}
