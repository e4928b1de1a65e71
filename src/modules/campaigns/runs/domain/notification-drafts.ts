import type { LocalDateTime } from '../../../../lib/time/zoned-time';
import type { Notification, NotificationReason, TargetDelivery } from '../../../delivery/domain/notification';
import { renderIdOf } from '../../../delivery/domain/render-id';
import type { PushToken } from '../../../ingest/domain/user-profile';
import { distinctPushTokens } from '../../../ingest/domain/push-token-format';
import type { CampaignDefinition } from '../../domain/campaign-definition';
import type { ComposedMessage, SkipReason } from '../../domain/compose-result';

/** Who a notification is for, as the fan-out read them. */
export interface Recipient {
  userId: string;
  email?: string;
  pushTokens: readonly PushToken[];
  timeZone: string;
}

interface DraftBase {
  notificationId: string;
  runId: string;
  definition: CampaignDefinition;
  recipient: Recipient;
  experiment?: { experimentId: string; armId: string };
  now: Date;
}

function base(input: DraftBase) {
  const { definition } = input;
  return {
    notificationId: input.notificationId,
    runId: input.runId,
    campaignId: definition.id,
    userId: input.recipient.userId,
    category: definition.category ?? definition.id,
    channel: definition.channel,
    timeZone: input.recipient.timeZone,
    attempts: [],
    createdAt: input.now,
    ...(input.experiment && { experiment: input.experiment }),
  };
}

/**
 * What a notification keeps of the composed message: the render by its content address (the fan-out
 * stores the render itself, once per distinct content); the render context is rebuilt, never stored.
 */
function storedMessage(message: ComposedMessage): NonNullable<Notification['message']> {
  const { variant, subject, subjects, copy, template, rendered } = message;
  return { variant, subject, subjects, copy, template, renderId: renderIdOf(rendered) };
}

/** The addresses a message goes to: the campaign's webhook, else the email, or every device of the user. */
export function targetsOf(
  definition: Pick<CampaignDefinition, 'channel' | 'webhook'>,
  recipient: Recipient,
): TargetDelivery[] {
  const { channel, webhook } = definition;
  if (webhook) return [{ to: { channel: 'webhook', url: webhook.url }, state: 'pending' }];
  if (channel === 'email') {
    return recipient.email ? [{ to: { channel: 'email', address: recipient.email }, state: 'pending' }] : [];
  }
  // Profiles keep each device once; a repeat stored before that rule still gets one message.
  return distinctPushTokens(recipient.pushTokens).map(({ platform, token }) => ({
    to: { channel: 'push', platform, token },
    state: 'pending',
  }));
}

/** A notification ready for delivery: the composed message, its targets and when it may go. */
export function queuedNotification(
  input: DraftBase & {
    message: ComposedMessage;
    notBefore?: Date;
    /** When quiet hours moved `notBefore` to their end: the time it was due before. */
    quietDueAt?: Date;
    /** A local-hour run's wall-clock send time, kept while the message waits for it. */
    localSend?: LocalDateTime;
    /** A local-hour run's latest send time (see `Notification.sendBy`). */
    sendBy?: Date;
    ranking?: Notification['ranking'];
  },
): Notification {
  const { message, definition } = input;
  // Its frequency-cap slot was reserved for the same time.
  const later = input.notBefore && input.notBefore.getTime() > input.now.getTime() ? input.notBefore : undefined;
  return {
    ...base(input),
    state: 'queued',
    targets: targetsOf(definition, input.recipient),
    ...(later && { notBefore: later, capSlotAt: later }),
    ...(definition.quietHours && { quietHours: definition.quietHours }),
    ...(later && input.quietDueAt && { quietWait: { dueAt: input.quietDueAt, until: later } }),
    ...(later && input.localSend && { localSend: input.localSend }),
    ...(input.sendBy && { sendBy: input.sendBy }),
    message: storedMessage(message),
    ...(input.ranking && { ranking: input.ranking }),
  };
}

/** The record of a user who gets nothing, and why; with the composed message when the rule came after it. */
export function suppressedNotification(
  input: DraftBase & { reason: NotificationReason; message?: ComposedMessage },
): Notification {
  const { message } = input;
  return {
    ...base(input),
    state: 'suppressed',
    reason: input.reason,
    targets: [],
    finishedAt: input.now,
    ...(message && { message: storedMessage(message) }),
  };
}

/** A composer skip as the notification's reason. */
export function reasonOfSkip(skip: SkipReason): NotificationReason {
  return {
    code: skip.code === 'guard' && skip.guard ? skip.guard : skip.code,
    message: skip.message,
    ...(skip.rule !== undefined && { rule: skip.rule }),
    ...(skip.value !== undefined && { value: skip.value }),
    ...(skip.guard !== undefined && { guard: skip.guard }),
  };
}
