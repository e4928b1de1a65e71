import { providerFor } from './channel-selection';
import { notificationIdOf } from './notification-id';
import { outboxPath } from './outbox-names';
import { fitPush } from '../../templates/domain/push-payload';
import { createKeyRing } from '../../tracking/domain/signing-keys';
import { signTrackingToken } from '../../tracking/domain/tracking-token';
import {
  apnsRequest,
  fcmMessageBody,
  jsonBytes,
  PUSH_PAYLOAD_MAX_BYTES,
  WEB_PUSH_PLAINTEXT_MAX_BYTES,
  webPushMessage,
} from './push-payloads';
import { apnsId, collapseTag } from './provider-ids';
import { emailMessage, pushMessage, webhookMessage } from './testing/messages.fixture';
import { parseWebPushSubscription } from './web-push-subscription';

const NOW = new Date('2026-03-01T12:00:00.123Z');

describe('push payloads', () => {
  const push = pushMessage();

  it.each([
    ['a short deep link', 'app://boards/1'],
    ['a long deep link', `https://app.example.com/ideas?q=${'k'.repeat(1000)}`],
  ])('stay within every provider limit for a push rendered to fit the payload limit, with %s', (_what, deepLink) => {
    const limits = { titleMaxChars: 65, bodyMaxChars: 240, payloadMaxBytes: PUSH_PAYLOAD_MAX_BYTES };
    const rendered = { title: 'Kitchen remodel', body: 'New ideas', deepLink, data: { notes: 'tile '.repeat(2000) } };
    const { parts } = fitPush(rendered, limits, 'en');
    // The longest push-open token: a 16-character key id, as TRACKING_SIGNING_KEYS allows.
    const keys = createKeyRing([{ kid: 'k'.repeat(16), secret: 's'.repeat(32) }]);
    const notificationId = notificationIdOf('run-1', 'user-1');
    const pushOpenToken = signTrackingToken({ kind: 'push-open', notificationId }, keys);
    const sent = pushMessage({ notificationId, content: parts, pushOpenToken });
    const { notification, data } = fcmMessageBody(sent, NOW).message;
    expect(jsonBytes({ notification, data })).toBeLessThanOrEqual(PUSH_PAYLOAD_MAX_BYTES);
    expect(jsonBytes(apnsRequest(sent, 'com.example.app', NOW).payload)).toBeLessThanOrEqual(PUSH_PAYLOAD_MAX_BYTES);
    expect(jsonBytes(webPushMessage(sent).payload)).toBeLessThanOrEqual(WEB_PUSH_PLAINTEXT_MAX_BYTES);
  });

  it('FCM: one token, string data with the tracking keys, a tag that collapses copies', () => {
    const { message } = fcmMessageBody(push, NOW);
    expect(message).toMatchObject({
      token: 'fcm-token-1',
      notification: { title: 'Kitchen remodel', body: 'New ideas for your backsplash' },
      data: {
        board: '1',
        jc_notification_id: push.notificationId,
        jc_open_token: 'v1.k.open.sig',
        jc_deep_link: 'app://boards/1',
      },
      android: { ttl: '86400s', notification: { tag: collapseTag(push.notificationId) } },
      apns: {
        headers: {
          'apns-collapse-id': collapseTag(push.notificationId),
          'apns-expiration': String(Math.floor(NOW.getTime() / 1000) + 86_400),
        },
      },
      webpush: { headers: { TTL: '86400' } },
      fcm_options: { analytics_label: 'journey-nudge' },
    });
    expect(Object.values(message.data as object).every((v) => typeof v === 'string')).toBe(true);
  });

  it('APNs: apns-id from the notification id, topic, alert push type and an expiry from the TTL', () => {
    const request = apnsRequest({ ...push, ttlSeconds: 600 }, 'com.example.app', NOW);
    expect(request.headers).toEqual({
      'apns-id': apnsId(push.notificationId),
      'apns-collapse-id': collapseTag(push.notificationId),
      'apns-topic': 'com.example.app',
      'apns-push-type': 'alert',
      'apns-priority': '10',
      'apns-expiration': String(Math.floor(NOW.getTime() / 1000) + 600),
    });
    expect(request.payload).toMatchObject({
      aps: { alert: { title: 'Kitchen remodel' } },
      jc_notification_id: push.notificationId,
    });
  });

  it('Web Push: a JSON plaintext for the service worker, with the Topic', () => {
    const message = webPushMessage(push);
    expect(JSON.parse(message.payload)).toMatchObject({
      title: 'Kitchen remodel',
      url: 'app://boards/1',
      tag: message.topic,
    });
    expect(message.topic).toBe(collapseTag(push.notificationId));
    expect(jsonBytes(message.payload)).toBe(Buffer.byteLength(message.payload));
  });
});

describe('parseWebPushSubscription', () => {
  const valid = { endpoint: 'https://push.example.net/s/abc', keys: { p256dh: 'BPx_-1', auth: 'aGVsbG8' } };

  it('reads a browser PushSubscription JSON', () => {
    expect(parseWebPushSubscription(JSON.stringify({ ...valid, expirationTime: null }))).toEqual(valid);
  });

  it.each([
    ['not JSON', 'abc'],
    ['no keys', JSON.stringify({ endpoint: valid.endpoint })],
    ['http endpoint', JSON.stringify({ ...valid, endpoint: 'http://push.example.net/s' })],
    ['bad key', JSON.stringify({ ...valid, keys: { p256dh: 'a b', auth: 'x' } })],
    ['null', 'null'],
  ])('refuses %s', (_label, token) => {
    expect(parseWebPushSubscription(token)).toBeUndefined();
  });
});

describe('providerFor', () => {
  const live = { email: 'smtp', push: 'providers', webhook: 'http' } as const;
  const dev = { email: 'outbox', push: 'outbox', webhook: 'outbox' } as const;

  it('routes push by the token platform and the rest by the selection', () => {
    expect(providerFor(emailMessage(), live)).toBe('smtp');
    expect(providerFor(pushMessage({ to: { platform: 'apns', token: 't' } }), live)).toBe('apns');
    expect(providerFor(pushMessage({ to: { platform: 'webpush', token: 't' } }), live)).toBe('webpush');
    expect(providerFor(webhookMessage('https://x'), live)).toBe('webhook');
    for (const message of [emailMessage(), pushMessage(), webhookMessage('https://x')]) {
      expect(providerFor(message, dev)).toBe('outbox');
    }
  });
});

describe('outboxPath', () => {
  it('sorts by send time and names the channel, campaign and notification', () => {
    expect(outboxPath(emailMessage(), NOW)).toEqual({
      folder: '2026-03-01',
      file: '12-00-00.123_email_weekly-digest_6650c0ffee0000000000abcd.eml',
    });
    expect(outboxPath(pushMessage({ campaignId: 'a/b c' }), NOW).file).toBe(
      '12-00-00.123_push-fcm_a_b_c_6650c0ffee0000000000beef.json',
    );
  });

  // The example in outboxPath's comment: a real campaign id and notification id (`notificationIdOf`).
  it('names a message the way its comment shows', () => {
    const message = emailMessage({
      campaignId: 'weekly-journeys-digest',
      notificationId: 'nc-rTu0zHY84ziH58iTZZ2gFCIj',
    });
    const { folder, file } = outboxPath(message, new Date('2026-01-10T16:22:50.328Z'));
    expect(`${folder}/${file}`).toBe(
      '2026-01-10/16-22-50.328_email_weekly-journeys-digest_nc-rTu0zHY84ziH58iTZZ2gFCIj.eml',
    );
    expect(outboxPath(emailMessage({ notificationId: notificationIdOf('r1', 'u1') }), NOW).file).toMatch(
      /^12-00-00\.123_email_weekly-digest_n[A-Za-z0-9_-]{26}\.eml$/,
    );
    expect(outboxPath(emailMessage({ campaignId: 'x'.repeat(50) }), NOW).file).toContain(`_${'x'.repeat(40)}_`);
  });
});
