import type { DeliveryChannel } from '../../../src/modules/delivery/channels/delivery-channel';
import { collapseTag } from '../../../src/modules/delivery/domain/provider-ids';
import { pushMessage } from '../../../src/modules/delivery/domain/testing/messages.fixture';
import { FakeFcm } from '../../setup/providers/fcm-fake';
import { buildChannel, deliveryError, scratchDir } from './channels-harness';

describe('FCM channel (HTTP v1 against a loopback FCM)', () => {
  let fcm: FakeFcm;
  let channel: DeliveryChannel;
  let scratch: ReturnType<typeof scratchDir>;

  beforeEach(async () => {
    fcm = await FakeFcm.start('demo-app');
    scratch = scratchDir('fcm');
    channel = await buildChannel('fcm', {
      DELIVERY_PUSH_CHANNEL: 'providers',
      FCM_SERVICE_ACCOUNT_FILE: scratch.file('service-account.json', fcm.serviceAccountJson()),
      FCM_API_URL: fcm.baseUrl,
    });
  });
  afterEach(async () => {
    await channel.close();
    await fcm.stop();
    scratch.remove();
  });

  it('gets one OAuth2 token from a signed service-account assertion and reuses it', async () => {
    const receipts = await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        channel.send(pushMessage({ notificationId: id, to: { platform: 'fcm', token: `t-${id}` } })),
      ),
    );
    expect(fcm.tokenRequests).toBe(1);
    expect(fcm.sent).toHaveLength(3);
    expect(receipts[0]).toMatchObject({
      provider: 'fcm',
      providerMessageId: expect.stringMatching(/^projects\/demo-app\/messages\//),
    });
    expect(receipts[0].acceptedAt).toBeInstanceOf(Date);
  });

  it('sends the notification, string data and collapse tags FCM and the devices need', async () => {
    const push = pushMessage();
    await channel.send(push);
    expect(fcm.sent[0].message).toMatchObject({
      token: 'fcm-token-1',
      notification: { title: 'Kitchen remodel', body: 'New ideas for your backsplash' },
      data: { board: '1', jc_notification_id: push.notificationId, jc_open_token: 'v1.k.open.sig' },
      android: { notification: { tag: collapseTag(push.notificationId) } },
    });
  });

  it('holds the push for the TTL on every platform, iOS (apns-expiration) included', async () => {
    const at = new Date();
    const clocked = await buildChannel(
      'fcm',
      {
        DELIVERY_PUSH_CHANNEL: 'providers',
        FCM_SERVICE_ACCOUNT_FILE: scratch.file('clocked.json', fcm.serviceAccountJson()),
        FCM_API_URL: fcm.baseUrl,
      },
      () => at,
    );
    try {
      await clocked.send(pushMessage({ ttlSeconds: 600 }));
    } finally {
      await clocked.close();
    }
    expect(fcm.sent[0].message).toMatchObject({
      android: { ttl: '600s' },
      webpush: { headers: { TTL: '600' } },
      apns: { headers: { 'apns-expiration': String(Math.floor(at.getTime() / 1000) + 600) } },
    });
  });

  it('classifies UNREGISTERED and INVALID_ARGUMENT tokens as invalid: remove them from the user', async () => {
    fcm.failToken('gone', 'UNREGISTERED');
    fcm.failToken('garbage', 'INVALID_ARGUMENT');
    for (const token of ['gone', 'garbage']) {
      const error = await deliveryError(channel.send(pushMessage({ to: { platform: 'fcm', token } })));
      expect(error).toMatchObject({ code: 'delivery.invalid-token', retryable: false, action: 'remove-token' });
    }
  });

  it('classifies SENDER_ID_MISMATCH as our service account, not the token: no retry, and the token stays', async () => {
    fcm.failToken('other-project', 'SENDER_ID_MISMATCH');
    expect(
      await deliveryError(channel.send(pushMessage({ to: { platform: 'fcm', token: 'other-project' } }))),
    ).toMatchObject({
      code: 'delivery.misconfigured',
      retryable: false,
      action: 'none',
      setting: 'FCM_SERVICE_ACCOUNT_FILE',
    });
  });

  it('retries QUOTA_EXCEEDED after the Retry-After FCM sent, and 5xx', async () => {
    fcm.failNext('QUOTA_EXCEEDED', '37');
    const throttled = await deliveryError(channel.send(pushMessage()));
    expect(throttled).toMatchObject({ code: 'delivery.throttled', retryable: true, retryAfterMs: 37_000, status: 429 });
    fcm.failNext('UNAVAILABLE');
    expect(await deliveryError(channel.send(pushMessage()))).toMatchObject({
      code: 'delivery.unavailable',
      retryable: true,
    });
    await expect(channel.send(pushMessage())).resolves.toMatchObject({ provider: 'fcm' });
  });

  it('waits at least a minute after a QUOTA_EXCEEDED that names no Retry-After, as FCM asks', async () => {
    fcm.failNext('QUOTA_EXCEEDED');
    expect(await deliveryError(channel.send(pushMessage()))).toMatchObject({
      code: 'delivery.throttled',
      retryAfterMs: 60_000,
    });
  });

  it('fetches a new access token after FCM refuses the cached one', async () => {
    await channel.send(pushMessage());
    fcm.revokeAccessTokens();
    expect(await deliveryError(channel.send(pushMessage()))).toMatchObject({ code: 'delivery.auth', retryable: true });
    await channel.send(pushMessage());
    expect(fcm.tokenRequests).toBe(2);
  });

  it('keeps its access token when FCM reports the APNs or Web Push credentials in Firebase (THIRD_PARTY_AUTH_ERROR)', async () => {
    fcm.failNext('THIRD_PARTY_AUTH_ERROR');
    expect(await deliveryError(channel.send(pushMessage()))).toMatchObject({
      code: 'delivery.auth',
      providerCode: 'THIRD_PARTY_AUTH_ERROR',
    });
    await channel.send(pushMessage());
    expect(fcm.tokenRequests).toBe(1);
  });

  it('reports a refused assertion as a credentials problem, and a dead token endpoint as retryable', async () => {
    fcm.replyToTokenRequests({
      status: 400,
      body: JSON.stringify({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }),
    });
    expect(await deliveryError(channel.send(pushMessage()))).toMatchObject({
      code: 'delivery.auth',
      providerCode: 'invalid_grant',
      message: expect.stringContaining('Invalid JWT Signature'),
    });
    await fcm.stop();
    expect(await deliveryError(channel.send(pushMessage()))).toMatchObject({
      code: 'delivery.network',
      retryable: true,
    });
  });

  it('is refused with INVALID_ARGUMENT by FCM when the payload exceeds 4 KB', async () => {
    const big = pushMessage({ content: { title: 't', body: 'x'.repeat(5000), data: {} } });
    expect(await deliveryError(channel.send(big))).toMatchObject({ code: 'delivery.rejected', retryable: false });
  });
});
