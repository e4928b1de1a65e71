import type { TrackedLink } from '../templates/template.types';

/**
 * The tracking module's promise to delivery: before a message is sent, delivery asks for its
 * tracking (signed link URLs, open pixel, unsubscribe URLs, push-open token); tracking records what
 * it needs to serve those URLs later (link targets, attribution facts), so it never reads delivery's
 * records. Implemented by the tracking module (`TrackingModule` provides it under this class).
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
   * Records the trackable facts of notifications about to be created, in one insert, before they exist
   * (a notification already recorded gets the links not stored yet). Their URLs then come from
   * {@link issuedAhead}, with no further read or write.
   */
  abstract issueAhead(notifications: readonly TrackedNotification[]): Promise<void>;
  /** The URLs of a notification whose facts {@link issueAhead} recorded, made without a database. */
  abstract issuedAhead(notification: TrackedNotification): IssuedTracking;
  /** The provider accepted the message at `at`: opens, clicks and conversions may now be attributed to it. */
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
  /** The suppressed addresses among `addresses` (as given) with their reasons, in one read. */
  abstract suppressionsOf(addresses: readonly string[]): Promise<Map<string, string>>;
  /** Adds an address to the suppression list (idempotent). */
  abstract suppress(address: string, reason: 'hard-bounce' | 'complaint' | 'manual', at: Date): Promise<void>;
}
