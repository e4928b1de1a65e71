/**
 * The contract between whoever decides to send (the delivery job) and the channels: one message to
 * one recipient on one channel, fully rendered, with every tracked link already resolved to a signed
 * URL. Channels add only transport details (headers, provider envelopes); they never change content.
 */
import type { PushPlatform } from '../../ingest/domain/user-profile';

/** Every provider a message can leave through; the rate limiter and the receipts speak these names. */
export const PROVIDERS = ['outbox', 'smtp', 'fcm', 'apns', 'webpush', 'webhook'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

interface OutboundBase {
  /** Unique per (campaign run, user); the idempotency key handed to every provider that takes one. */
  notificationId: string;
  campaignId: string;
  /** The unsubscribe category of the campaign (`weekly-digest`); `*` is never a category. */
  category: string;
  userId: string;
}

export interface EmailContent {
  subject: string;
  preheader?: string;
  /** Rendered HTML with tracked links already resolved. */
  html: string;
  text: string;
}

export interface OutboundEmail extends OutboundBase {
  channel: 'email';
  to: { address: string; name?: string };
  content: EmailContent;
  /** https URL that answers both the unsubscribe page (GET) and the RFC 8058 one-click POST. */
  unsubscribeUrl: string;
  /** Signed open-pixel URL; appended before `</body>` unless the HTML already carries it. */
  openPixelUrl?: string;
}

export interface PushContent {
  title: string;
  body: string;
  deepLink?: string;
  /** String-only key/values for the app (FCM requires strings). */
  data: Record<string, string>;
}

export interface OutboundPush extends OutboundBase {
  channel: 'push';
  /** One device: FCM registration token, APNs device token, or a Web Push subscription as JSON. */
  to: { platform: PushPlatform; token: string };
  content: PushContent;
  /** Signed token the app posts back to `/v1/track/push-open` when the notification is opened. */
  pushOpenToken?: string;
  /** Seconds the provider may hold the message for an offline device; stale messages are not worth sending. */
  ttlSeconds?: number;
}

export interface OutboundWebhook extends OutboundBase {
  channel: 'webhook';
  /** The campaign's endpoint. */
  to: { url: string };
  /** The rendered message, passed through as the body's `message` field. */
  content: EmailContent | PushContent;
  unsubscribeUrl?: string;
}

export type OutboundMessage = OutboundEmail | OutboundPush | OutboundWebhook;

/** What a provider said when it took the message: the proof the notification record stores. */
export interface DeliveryReceipt {
  provider: ProviderName;
  /** The provider's id for the message (SMTP Message-ID, FCM message name, apns-id, Web Push Location...). */
  providerMessageId: string;
  acceptedAt: Date;
  /** The provider's own words, e.g. the SMTP `250 2.0.0 queued as ...` line or the outbox file path. */
  response?: string;
}
