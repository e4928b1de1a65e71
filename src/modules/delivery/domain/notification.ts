import type { LocalDateTime } from '../../../lib/time/zoned-time';
import type { CopyProvenance } from '../../personalization/domain/copy-types';
import type { PushPlatform } from '../../ingest/domain/user-profile';
import type { RenderedMessage, TemplateUsed } from '../../templates/template.types';
import type { EmbeddedTracking } from '../../tracking/domain/embedded-tracking';
import type { ProviderName } from './outbound-message';

/**
 * The notification record: one per (campaign run, user), created before anything is sent. Its state
 * only moves forward: queued -> sending(attemptId) -> sent | queued (retry) | failed, or suppressed
 * with the reason it was not sent. The delivery job is the only writer after creation.
 */
export const NOTIFICATION_STATES = ['queued', 'sending', 'sent', 'failed', 'suppressed'] as const;
export type NotificationState = (typeof NOTIFICATION_STATES)[number];

/**
 * One address a notification goes to: the user's email, one of their devices, or the campaign's webhook (its
 * receiver finds the user's contact itself; the notification's `channel` stays the campaign's).
 */
export type NotificationTarget =
  | { channel: 'email'; address: string }
  | { channel: 'push'; platform: PushPlatform; token: string }
  | { channel: 'webhook'; url: string };

/**
 * How far one target got: a push to three devices has three, each accepted (or refused) on its own. A
 * skipped target was never sent: its address or device left the user's profile before its turn.
 */
export interface TargetDelivery {
  to: NotificationTarget;
  state: 'pending' | 'accepted' | 'failed' | 'skipped';
  provider?: ProviderName;
  providerMessageId?: string;
  acceptedAt?: Date;
  response?: string;
  /** The provider's refusal (`DeliveryError.toJSON()`), for a failed target. */
  error?: Record<string, unknown>;
  /** Why a skipped target was not sent. */
  reason?: NotificationReason;
}

/** One try at sending: who held it and how it ended (`interrupted`: its worker died or lost the lease). */
export interface AttemptRecord {
  attemptId: string;
  startedAt: Date;
  endedAt: Date;
  outcome: 'accepted' | 'retry' | 'failed' | 'interrupted';
  errors?: Array<Record<string, unknown>>;
}

/** Why a notification was not (or will never be) sent: a rule of eligibility, or the last failure. */
export interface NotificationReason {
  code: string;
  message: string;
  rule?: string;
  value?: unknown;
  guard?: string;
}

/**
 * What was composed for the user, kept so "why" can show it and every retry sends the same content.
 * The render itself is in the render store under `renderId` (its content address); records written
 * before the store existed carry it inline as `rendered`.
 */
export interface NotificationMessage {
  variant: { id: string; copy: string };
  subject: { kind: 'journey' | 'interest'; id: string; name: string; signature?: string };
  subjects: Array<{ kind: 'journey' | 'interest'; id: string; name: string }>;
  copy: CopyProvenance;
  template: TemplateUsed;
  renderId?: string;
  rendered?: RenderedMessage;
}

export interface QuietHoursRule {
  start: string;
  end: string;
  whenQuiet: 'delay' | 'drop';
}

export interface Notification {
  notificationId: string;
  runId: string;
  campaignId: string;
  userId: string;
  /** The campaign's unsubscribe category. */
  category: string;
  channel: 'push' | 'email';
  state: NotificationState;
  reason?: NotificationReason;
  /** Not sent before this instant (a local send time, the end of quiet hours, a retry's backoff). */
  notBefore?: Date;
  /**
   * The send time its frequency-cap slot was reserved for, when later than its creation (a local send time,
   * the end of quiet hours); see {@link capSlotOf}.
   */
  capSlotAt?: Date;
  quietHours?: QuietHoursRule;
  /**
   * Quiet hours hold it: it was due at `dueAt` (its planned send time, or when a delivery job found the user's
   * night), and waits until `until`, the end of the night in `timeZone`. A user who moves while it waits has it
   * judged again in their new zone (`TimeZoneRejudge`), so it goes out at their new morning, not the old one.
   */
  quietWait?: { dueAt: Date; until: Date };
  /**
   * A local-hour run's send time as the wall clock reads it (its local date, hour and minute), kept while the
   * message waits for it: a user who moves before then has it taken again where they are now
   * (`TimeZoneRejudge`), so an 18:00 message reaches them at 18:00 in their new zone.
   */
  localSend?: LocalDateTime;
  /**
   * A local-hour run's message is not sent after this instant: its local send time where its user is plus the
   * campaign's `schedule.maxLateMinutes`. Found later (a late start, a paused run, quiet hours, a retry), it is
   * suppressed as `stale`; one a provider accepted for some target settles as sent.
   */
  sendBy?: Date;
  timeZone: string;
  targets: TargetDelivery[];
  sending?: { attemptId: string; startedAt: Date; leaseUntil: Date };
  attempts: AttemptRecord[];
  message?: NotificationMessage;
  /**
   * What tracking keeps of it (`NotificationTracking.embeddedFor`), written with it at creation and
   * after that only by tracking: delivery signs its URLs without a write, and its `sentAt` is the send
   * time tracking attributes engagement by.
   */
  tracking?: EmbeddedTracking;
  /** Created before notifications carried their tracking: its record was written with it in tracking's collection. */
  trackingIssued?: boolean;
  experiment?: { experimentId: string; armId: string };
  /** The journey the message is about and its ranking features when it was composed (the ranker's example). */
  ranking?: { journeyId: string; journeyName: string; features: Record<string, number> };
  createdAt: Date;
  sentAt?: Date;
  finishedAt?: Date;
}

/** Why a local-hour message found later than its `sendBy` is not sent. */
export function staleReason(sendBy: Date, timeZone: string): NotificationReason {
  return {
    code: 'stale',
    rule: 'schedule.maxLateMinutes',
    value: `${sendBy.toISOString()} ${timeZone}`,
    message: `due later than its local hour allows: the latest was ${sendBy.toISOString()}`,
  };
}

/** The send time the notification's frequency-cap slot holds, as reserved at the fan-out. */
export function capSlotOf(notification: Pick<Notification, 'capSlotAt' | 'createdAt'>): Date {
  return notification.capSlotAt ?? notification.createdAt;
}

/** Terminal states never change again. */
export function isTerminal(state: NotificationState): boolean {
  return state === 'sent' || state === 'failed' || state === 'suppressed';
}

/** Targets still to be sent (neither accepted nor refused for good). */
export function pendingTargets(targets: readonly TargetDelivery[]): number[] {
  return targets.flatMap((t, i) => (t.state === 'pending' ? [i] : []));
}

/** The receipt a notification is known by: its first accepted target. */
export function firstAccepted(targets: readonly TargetDelivery[]): TargetDelivery | undefined {
  return targets.find((t) => t.state === 'accepted');
}
