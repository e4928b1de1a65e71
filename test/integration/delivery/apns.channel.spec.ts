import type { DeliveryChannel } from '../../../src/modules/delivery/channels/delivery-channel';
import { apnsId, collapseTag } from '../../../src/modules/delivery/domain/provider-ids';
import { pushMessage } from '../../../src/modules/delivery/domain/testing/messages.fixture';
import { FakeApns } from '../../setup/providers/apns-fake';
import { buildChannel, deliveryError, scratchDir } from './channels-harness';

const DEVICE = 'a'.repeat(64);
const apnsPush = (token = DEVICE, notificationId = '6650c0ffee0000000000beef') =>
  pushMessage({ notificationId, to: { platform: 'apns', token } });

describe('APNs channel (HTTP/2 with a provider JWT against a loopback APNs)', () => {
  let apns: FakeApns;
  let channel: DeliveryChannel;
  let scratch: ReturnType<typeof scratchDir>;
  const settings = (keyId = apns.keyId) => ({
    DELIVERY_PUSH_CHANNEL: 'providers',
    APNS_KEY_FILE: scratch.file('AuthKey.p8', apns.privateKeyPem),
    APNS_KEY_ID: keyId,
    APNS_TEAM_ID: apns.teamId,
    APNS_BUNDLE_ID: apns.bundleId,
    APNS_URL: apns.url,
  });

  beforeEach(async () => {
    apns = await FakeApns.start();
    scratch = scratchDir('apns');
    channel = await buildChannel('apns', settings());
  });
  afterEach(async () => {
    await channel.close();
    await apns.stop();
    scratch.remove();
  });

  it('delivers with apns-id and collapse id derived from the notification id, over one connection and one JWT', async () => {
    const receipts = await Promise.all(
      ['n1', 'n2', 'n3'].map((id) => channel.send(apnsPush(`${id.padEnd(64, 'b').replace(/n/, 'c')}`, id))),
    );
    expect(receipts.map((r) => r.providerMessageId)).toEqual(['n1', 'n2', 'n3'].map(apnsId));
    expect(apns.sessions).toBe(1);
    expect(apns.providerTokens.size).toBe(1);
    // The three sends run concurrently, so they may reach the fake in any order.
    const first = apns.deliveries.find(
      (d) => (d.payload as { jc_notification_id?: string }).jc_notification_id === 'n1',
    );
    expect(first).toBeDefined();
    expect(first!.headers).toMatchObject({
      'apns-topic': apns.bundleId,
      'apns-push-type': 'alert',
      'apns-priority': '10',
      'apns-collapse-id': collapseTag('n1'),
    });
    expect(first!.payload).toMatchObject({ aps: { alert: { title: 'Kitchen remodel' } }, jc_notification_id: 'n1' });
  });

  it('sends the same apns-id again when the same notification is resent', async () => {
    const first = await channel.send(apnsPush());
    const second = await channel.send(apnsPush());
    expect(second.providerMessageId).toBe(first.providerMessageId);
  });

  it('classifies 410 Unregistered and 400 BadDeviceToken as invalid tokens, BadDeviceToken as ambiguous', async () => {
    const unregisteredAt = new Date(Date.UTC(2026, 0, 5, 10, 30));
    apns.failToken('d'.repeat(64), 'Unregistered', unregisteredAt);
    expect(await deliveryError(channel.send(apnsPush('d'.repeat(64))))).toMatchObject({
      code: 'delivery.invalid-token',
      status: 410,
      providerCode: 'Unregistered',
      action: 'remove-token',
      tokenInvalidSince: unregisteredAt,
    });
    expect(await deliveryError(channel.send(apnsPush('not-a-device-token')))).toMatchObject({
      code: 'delivery.invalid-token',
      providerCode: 'BadDeviceToken',
      ambiguousToken: true,
      setting: 'APNS_URL',
    });
  });

  it('classifies DeviceTokenNotForTopic as our APNS_BUNDLE_ID: no retry, and the token stays', async () => {
    apns.failToken('e'.repeat(64), 'DeviceTokenNotForTopic');
    expect(await deliveryError(channel.send(apnsPush('e'.repeat(64))))).toMatchObject({
      code: 'delivery.misconfigured',
      status: 400,
      retryable: false,
      action: 'none',
      setting: 'APNS_BUNDLE_ID',
    });
  });

  it('retries 429 TooManyRequests and 503 ServiceUnavailable', async () => {
    apns.failNext('TooManyRequests', '12');
    expect(await deliveryError(channel.send(apnsPush()))).toMatchObject({
      code: 'delivery.throttled',
      retryAfterMs: 12_000,
    });
    apns.failNext('ServiceUnavailable');
    expect(await deliveryError(channel.send(apnsPush()))).toMatchObject({
      code: 'delivery.unavailable',
      retryable: true,
    });
    await expect(channel.send(apnsPush())).resolves.toMatchObject({ provider: 'apns' });
  });

  /** A channel whose clock is `now()`, while Apple's clock runs `aheadMinutes` ahead of it. */
  const skewedChannel = async (aheadMinutes: number) => {
    await channel.close();
    const clock = { now: new Date() };
    apns.clock = () => new Date(clock.now.getTime() + aheadMinutes * 60_000);
    channel = await buildChannel('apns', settings(), () => clock.now);
    return (minutes: number) => (clock.now = new Date(clock.now.getTime() + minutes * 60_000));
  };

  it('signs a new provider token after APNs reports the old one expired', async () => {
    const advance = await skewedChannel(30);
    await channel.send(apnsPush());
    advance(35); // 35 minutes old by our clock, 65 by Apple's
    expect(await deliveryError(channel.send(apnsPush()))).toMatchObject({
      code: 'delivery.auth',
      providerCode: 'ExpiredProviderToken',
    });
    await channel.send(apnsPush());
    expect(apns.providerTokens.size).toBe(2);
  });

  it('keeps a provider token signed after an expiry when an older request reports the expiry late', async () => {
    const advance = await skewedChannel(30);
    await channel.send(apnsPush());
    const release = apns.holdNext();
    const late = deliveryError(channel.send(apnsPush()));
    advance(35);
    expect(await deliveryError(channel.send(apnsPush()))).toMatchObject({ providerCode: 'ExpiredProviderToken' });
    await channel.send(apnsPush());
    release();
    expect(await late).toMatchObject({ providerCode: 'ExpiredProviderToken' });
    await channel.send(apnsPush());
    expect(apns.providerTokens.size).toBe(2);
  });

  it('keeps a token APNs reports expired while it is younger than 20 minutes, instead of updating it too often', async () => {
    // Our clock is 45 minutes behind Apple's: a token 16 minutes old to us is over an hour old to APNs.
    const advance = await skewedChannel(45);
    await channel.send(apnsPush());
    advance(16);
    expect(await deliveryError(channel.send(apnsPush()))).toMatchObject({ providerCode: 'ExpiredProviderToken' });
    // APNs refuses a token replaced again within 20 minutes with 429 TooManyProviderTokenUpdates.
    expect(await deliveryError(channel.send(apnsPush()))).toMatchObject({
      code: 'delivery.auth',
      providerCode: 'ExpiredProviderToken',
    });
    expect(apns.presentedTokens.size).toBe(1);
    advance(4);
    await expect(channel.send(apnsPush())).resolves.toMatchObject({ provider: 'apns' });
    expect(apns.providerTokens.size).toBe(2);
  });

  it('signs a new provider token after InvalidProviderToken only once Apple allows a new one, not for every send', async () => {
    await channel.close();
    let now = new Date('2026-03-01T10:00:00Z');
    // A key id APNs does not know: every token signed with it is invalid.
    channel = await buildChannel('apns', settings('ZZZZZZZZZZ'), () => now);
    for (let i = 0; i < 5; i++) {
      expect(await deliveryError(channel.send(apnsPush()))).toMatchObject({
        code: 'delivery.auth',
        providerCode: 'InvalidProviderToken',
      });
      now = new Date(now.getTime() + 60_000);
    }
    // APNs refuses a team whose token changes more than once every 20 minutes (TooManyProviderTokenUpdates).
    expect(apns.presentedTokens.size).toBe(1);
    now = new Date('2026-03-01T10:20:00Z');
    await deliveryError(channel.send(apnsPush()));
    await deliveryError(channel.send(apnsPush()));
    expect(apns.presentedTokens.size).toBe(2);
  });

  it('gets 413 PayloadTooLarge for a payload over 4 KB: rejected, not retried', async () => {
    const big = pushMessage({
      to: { platform: 'apns', token: DEVICE },
      content: { title: 't', body: 'x'.repeat(4200), data: {} },
    });
    expect(await deliveryError(channel.send(big))).toMatchObject({
      code: 'delivery.rejected',
      status: 413,
      retryable: false,
    });
  });

  it('reconnects after the server goes away, and reports a refused connection as retryable', async () => {
    await channel.send(apnsPush());
    await apns.stop();
    expect(await deliveryError(channel.send(apnsPush()))).toMatchObject({ code: 'delivery.network', retryable: true });
  });

  it('retries a request APNs never answered: a connection dropped under it, or no answer in time', async () => {
    apns.leaveNextUnanswered('drop');
    expect(await deliveryError(channel.send(apnsPush()))).toMatchObject({ code: 'delivery.network', retryable: true });
    apns.leaveNextUnanswered('stall');
    expect(await deliveryError(channel.send(apnsPush()))).toMatchObject({ code: 'delivery.timeout', retryable: true });
    await expect(channel.send(apnsPush())).resolves.toMatchObject({ provider: 'apns' });
  });

  it('refuses to start without a readable ES256 key, naming the setting', async () => {
    const settings = {
      DELIVERY_PUSH_CHANNEL: 'providers',
      APNS_KEY_ID: apns.keyId,
      APNS_TEAM_ID: apns.teamId,
      APNS_BUNDLE_ID: apns.bundleId,
    };
    await expect(buildChannel('apns', { ...settings, APNS_KEY_FILE: `${scratch.dir}/missing.p8` })).rejects.toThrow(
      /APNS_KEY_FILE .*missing\.p8 cannot be read/,
    );
    const notAKey = scratch.file('not-a-key.p8', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    await expect(buildChannel('apns', { ...settings, APNS_KEY_FILE: notAKey })).rejects.toThrow(
      /APNS_KEY_FILE .*not-a-key\.p8 does not hold a PKCS#8 ES256 private key/,
    );
  });
});
