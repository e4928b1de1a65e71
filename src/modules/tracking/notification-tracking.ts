import type { TrackedLink } from '../templates/template.types';
import type { EmbeddedTracking } from './domain/embedded-tracking';

export type { EmbeddedTracking };

/**
 * The tracking module's promise to delivery: before a message is sent, delivery asks for its
 * tracking (signed link URLs, open pixel, unsubscribe URLs, push-open token), and tracking keeps what
 * it needs to serve those URLs later (link targets, attribution facts). A notification created with
 * {@link embeddedFor}'s fields in its `tracking` carries them itself, in the one write that creates it:
 * tracking reads that field, the notification's identity fields and its `sentAt`, and writes only
 * inside `tracking`. Implemented by the tracking module (`TrackingModule` provides it under this class).
 */
export abstract class NotificationTracking {
  /**
   * Records the notification's trackable facts and returns its URLs. Idempotent per notificationId:
   * a retried delivery gets the same URLs.
   */
  abstract issue(notification: TrackedNotification): Promise<IssuedTracking>;
  /** {@link issue} for many notifications in one round of writes; keyed by notification id. */
  abstract issueMany(notifications: readonly TrackedNotification[]): Promise<Map<string, IssuedTracking>>;
  /**
   * The `tracking` field of a notification about to be created (its click targets and attribution
   * facts), computed without a database: the notification's own insert records them, so they exist
   * before any provider can accept its message. Its URLs then come from {@link issuedAhead}; its send
   * time is the notification's `sentAt`.
   */
  abstract embeddedFor(notification: TrackedNotification): EmbeddedTracking;
  /**
   * The URLs of a notification whose tracking is already stored (in its own document, or recorded
   * ahead of it), made without a database.
   */
  abstract issuedAhead(notification: TrackedNotification): IssuedTracking;
  /**
   * The provider accepted the message at `at`: opens, clicks and conversions may now be attributed to
   * it. Needed only for notifications whose tracking is not in their own document.
   */
  abstract recordSent(notificationId: string, at: Date): Promise<void>;
  /** {@link recordSent} for many notifications accepted by `at`. */
  abstract recordSentMany(notificationIds: readonly string[], at: Date): Promise<void>;
  /** What recipients did with a notification, oldest first (for "why didn't this user get it" and the console). */
  abstract eventsFor(notificationId: string): Promise<TrackingEventView[]>;
}

export interface TrackedNotification {
  notificationId: string;
  runId: string;
  campaignId: string;
  userId: string;
  channel: 'push' | 'email';
  /** The campaign's unsubscribe category. */
  category: string;
  /** The experiment arm the user was assigned to, when the campaign runs an experiment. */
  experiment?: { experimentId: string; armId: string };
  /** The journey the message is about (journey copy), for ranking outcomes. */
  journeyId?: string;
  /** The links of the rendered message (from `RenderedMessage.links`). */
  links: TrackedLink[];
}

export interface IssuedTracking {
  /** The signed URL that replaces a link's placeholder (pass to `TemplatesService.resolveLinks`). */
  resolveLink(link: TrackedLink): string;
  /** Email only: the signed open-pixel URL. */
  openPixelUrl?: string;
  /** The unsubscribe page (GET) that also accepts the RFC 8058 one-click POST. */
  unsubscribeUrl: string;
  /** Push only: the token the app posts to `/v1/track/push-open`. */
  pushOpenToken?: string;
}

export interface TrackingEventView {
  kind: 'open' | 'click' | 'push-open' | 'unsubscribe' | 'conversion';
  at: Date;
  /** Opens fetched by mail privacy proxies or scanners, reported apart from human opens. */
  machine?: boolean;
  linkId?: string;
  detail?: string;
  /** An earlier event of the same kind exists for the notification (a replayed token): it counts nowhere. */
  repeat?: boolean;
}

/**
 * What recipients asked for and what the platform refuses to send to: unsubscribes (per category or
 * all), and a suppression list of addresses and tokens (hard bounces, complaints, manual). Delivery
 * checks it right before sending (an unsubscribe is effective for the very next send) and writes to
 * it when a provider says an address is dead. Implemented by the tracking module.
 */
export abstract class RecipientPreferences {
  /** Whether the user unsubscribed from `category` or from everything. */
  abstract isUnsubscribed(userId: string, category: string): Promise<boolean>;
  /** The users among `userIds` who unsubscribed from `category` or from everything, in one read. */
  abstract unsubscribedAmong(userIds: readonly string[], category: string): Promise<Set<string>>;
  /** The reason an email address is suppressed, or undefined. */
  abstract suppressionOf(address: string): Promise<string | undefined>;
  /** The suppressed addresses among `addresses` (each spelling as given) with their reasons, in one read. */
  abstract suppressionsOf(addresses: readonly string[]): Promise<Map<string, string>>;
  /** Adds an address to the suppression list (idempotent): true when it was not listed yet. */
  abstract suppress(address: string, reason: 'hard-bounce' | 'complaint' | 'manual', at: Date): Promise<boolean>;
}
