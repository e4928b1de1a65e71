import type { OutboundPush } from './outbound-message';
import { apnsId, collapseTag } from './provider-ids';

/** How long a provider may hold a push for an offline device when the message does not say. */
export const DEFAULT_PUSH_TTL_SECONDS = 86_400;
/** Largest payload FCM (notification + data) and APNs (the JSON body) accept. */
export const PUSH_PAYLOAD_MAX_BYTES = 4096;
/** Largest Web Push plaintext: 4096 bytes on the wire less the aes128gcm header, tag and padding delimiter. */
export const WEB_PUSH_PLAINTEXT_MAX_BYTES = 3993;

/** The keys every platform's app receives next to the campaign's own data. */
function trackingData(push: OutboundPush): Record<string, string> {
  const data: Record<string, string> = { ...push.content.data, jc_notification_id: push.notificationId };
  if (push.pushOpenToken) data.jc_open_token = push.pushOpenToken;
  if (push.content.deepLink) data.jc_deep_link = push.content.deepLink;
  return data;
}

const ttl = (push: OutboundPush) => push.ttlSeconds ?? DEFAULT_PUSH_TTL_SECONDS;

/** The `apns-expiration` header: the UNIX second after which APNs stops trying, `now` plus the TTL. */
const apnsExpiration = (push: OutboundPush, now: Date) => String(Math.floor(now.getTime() / 1000) + ttl(push));

/**
 * The FCM HTTP v1 `messages:send` body for one registration token, sent at `now`. The TTL is given
 * per platform: `android.ttl` and the Web Push `TTL` do not reach APNs, which reads `apns-expiration`.
 */
export function fcmMessageBody(push: OutboundPush, now: Date): { message: Record<string, unknown> } {
  const tag = collapseTag(push.notificationId);
  return {
    message: {
      token: push.to.token,
      notification: { title: push.content.title, body: push.content.body },
      data: trackingData(push),
      // The same tag on a second copy replaces the first in the tray instead of showing twice.
      android: { ttl: `${ttl(push)}s`, notification: { tag } },
      apns: { headers: { 'apns-collapse-id': tag, 'apns-expiration': apnsExpiration(push, now) } },
      webpush: { headers: { Topic: tag, TTL: String(ttl(push)) } },
      fcm_options: { analytics_label: push.campaignId.replace(/[^a-zA-Z0-9\-_.~%]/g, '_').slice(0, 50) },
    },
  };
}

export interface ApnsRequest {
  headers: Record<string, string>;
  payload: Record<string, unknown>;
}

/** The APNs request headers and JSON body for an alert to `topic` (the app's bundle id). */
export function apnsRequest(push: OutboundPush, topic: string, now: Date): ApnsRequest {
  return {
    headers: {
      'apns-id': apnsId(push.notificationId),
      'apns-collapse-id': collapseTag(push.notificationId),
      'apns-topic': topic,
      'apns-push-type': 'alert',
      'apns-priority': '10',
      'apns-expiration': apnsExpiration(push, now),
    },
    payload: {
      aps: { alert: { title: push.content.title, body: push.content.body }, sound: 'default' },
      ...trackingData(push),
    },
  };
}

/** The Web Push plaintext a service worker receives, and the headers that go with it. */
export function webPushMessage(push: OutboundPush): { payload: string; topic: string; ttlSeconds: number } {
  const payload = JSON.stringify({
    title: push.content.title,
    body: push.content.body,
    url: push.content.deepLink,
    tag: collapseTag(push.notificationId),
    data: trackingData(push),
  });
  return { payload, topic: collapseTag(push.notificationId), ttlSeconds: ttl(push) };
}

/** UTF-8 size of a JSON value as a provider measures it. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');
}
