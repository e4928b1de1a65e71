import { generateVAPIDKeys } from 'web-push';
import type { DeliveryChannel } from '../../../src/modules/delivery/channels/delivery-channel';
import { collapseTag } from '../../../src/modules/delivery/domain/provider-ids';
import { pushMessage } from '../../../src/modules/delivery/domain/testing/messages.fixture';
import { FakeWebPush } from '../../setup/providers/web-push-fake';
import { buildChannel, deliveryError } from './channels-harness';

describe('Web Push channel (web-push with VAPID against a loopback push service)', () => {
  const vapid = generateVAPIDKeys();
  let service: FakeWebPush;
  let channel: DeliveryChannel;
  const webPush = (token: string) => pushMessage({ to: { platform: 'webpush', token } });

  beforeEach(async () => {
    service = await FakeWebPush.start();
    channel = await buildChannel('webpush', {
      DELIVERY_PUSH_CHANNEL: 'providers',
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@example.com',
    });
  });
  afterEach(async () => {
    await channel.close();
    await service.stop();
  });

  it('encrypts the payload so only the subscribed browser can read it, with TTL and Topic', async () => {
    const token = service.subscribe(vapid.publicKey);
    const push = webPush(token);
    const receipt = await channel.send(push);
    expect(receipt.providerMessageId).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/message\/1$/);
    const [delivery] = service.deliveries;
    expect(JSON.parse(delivery.payload)).toMatchObject({
      title: 'Kitchen remodel',
      body: 'New ideas for your backsplash',
      url: 'app://boards/1',
      data: { jc_notification_id: push.notificationId, jc_open_token: 'v1.k.open.sig' },
    });
    expect(delivery).toMatchObject({ ttl: 86_400, topic: collapseTag(push.notificationId), urgency: 'normal' });
  });

  it('classifies 410 Gone and 404 as an invalid token: remove the subscription', async () => {
    const token = service.subscribe(vapid.publicKey);
    service.unsubscribe(token);
    expect(await deliveryError(channel.send(webPush(token)))).toMatchObject({
      code: 'delivery.invalid-token',
      status: 410,
    });
    const unknown = token.replace(/\/push\/[0-9a-f]+/, '/push/0000000000000000');
    expect(await deliveryError(channel.send(webPush(unknown)))).toMatchObject({
      code: 'delivery.invalid-token',
      status: 404,
    });
  });

  it('refuses a token that is not a subscription without any request', async () => {
    expect(await deliveryError(channel.send(webPush('fcm-looking-token')))).toMatchObject({
      code: 'delivery.invalid-token',
    });
    const short = JSON.stringify({ endpoint: 'https://127.0.0.1:1/push/x', keys: { p256dh: 'AAAA', auth: 'AAAA' } });
    expect(await deliveryError(channel.send(webPush(short)))).toMatchObject({ code: 'delivery.invalid-token' });
    expect(service.deliveries).toHaveLength(0);
  });

  it('is refused with 403 when the subscription was made for another VAPID key (credentials)', async () => {
    const token = service.subscribe(generateVAPIDKeys().publicKey);
    expect(await deliveryError(channel.send(webPush(token)))).toMatchObject({ code: 'delivery.auth', status: 403 });
  });

  it('retries 429 after Retry-After and 5xx; 413 is a rejection', async () => {
    const token = service.subscribe(vapid.publicKey);
    service.replyToNext({ status: 429, headers: { 'retry-after': '30' } });
    expect(await deliveryError(channel.send(webPush(token)))).toMatchObject({
      code: 'delivery.throttled',
      retryAfterMs: 30_000,
    });
    service.replyToNext({ status: 502 });
    expect(await deliveryError(channel.send(webPush(token)))).toMatchObject({ code: 'delivery.unavailable' });
    const big = pushMessage({
      to: { platform: 'webpush', token },
      content: { title: 't', body: 'x'.repeat(4100), data: {} },
    });
    expect(await deliveryError(channel.send(big))).toMatchObject({ code: 'delivery.rejected', status: 413 });
    await expect(channel.send(webPush(token))).resolves.toMatchObject({ provider: 'webpush' });
  });

  it('reports a push service that never answers as a timeout, to retry', async () => {
    const token = service.subscribe(vapid.publicKey);
    service.stallNext();
    expect(await deliveryError(channel.send(webPush(token)))).toMatchObject({
      code: 'delivery.timeout',
      retryable: true,
    });
  });

  it('refuses unusable VAPID keys at startup, naming the settings', async () => {
    await expect(
      buildChannel('webpush', {
        DELIVERY_PUSH_CHANNEL: 'providers',
        VAPID_PUBLIC_KEY: 'short',
        VAPID_PRIVATE_KEY: vapid.privateKey,
        VAPID_SUBJECT: 'mailto:ops@example.com',
      }),
    ).rejects.toThrow(/VAPID_PUBLIC_KEY/);
  });
});
