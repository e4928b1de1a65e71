import type { DeliveryChannel } from '../../../src/modules/delivery/channels/delivery-channel';
import { webhookMessage } from '../../../src/modules/delivery/domain/testing/messages.fixture';
import { verifyWebhookSignature } from '../../../src/modules/delivery/domain/webhook-signature';
import { FakeRequest, FakeResponse, HttpFake } from '../../setup/providers/http-fake';
import { buildChannel, deliveryError } from './channels-harness';

const SECRET = 'whsec_0123456789abcdef0123456789abcdef';

describe('webhook channel (signed POST to a loopback receiver)', () => {
  let receiver: HttpFake;
  let channel: DeliveryChannel;
  const received: FakeRequest[] = [];
  let answer: FakeResponse = { status: 204 };

  beforeEach(async () => {
    received.length = 0;
    answer = { status: 204 };
    receiver = await new HttpFake((request) => {
      received.push(request);
      return answer;
    }).listen();
    channel = await buildChannel('webhook', { DELIVERY_WEBHOOK_CHANNEL: 'http', WEBHOOK_SIGNING_SECRET: SECRET });
  });
  afterEach(async () => {
    await channel.close();
    await receiver.stop();
  });

  it('posts JSON the receiver can verify with the shared secret, keyed for idempotency', async () => {
    const message = webhookMessage(`${receiver.baseUrl}/hooks/jc`, { unsubscribeUrl: 'https://t.example.com/u/tok' });
    await expect(channel.send(message)).resolves.toMatchObject({
      provider: 'webhook',
      providerMessageId: message.notificationId,
    });
    const [request] = received;
    const body = request.body.toString('utf8');
    expect(verifyWebhookSignature(SECRET, request.headers['journeycast-signature'] as string, body, new Date())).toBe(
      true,
    );
    expect(request.headers['idempotency-key']).toBe(message.notificationId);
    expect(JSON.parse(body)).toMatchObject({
      type: 'notification',
      notificationId: message.notificationId,
      campaignId: 'crm-sync',
      userId: 'u3',
      message: { title: 'Kitchen remodel' },
      unsubscribeUrl: 'https://t.example.com/u/tok',
    });
  });

  it.each<[FakeResponse, string, boolean]>([
    [{ status: 500 }, 'delivery.unavailable', true],
    [{ status: 429, headers: { 'retry-after': '3' } }, 'delivery.throttled', true],
    [{ status: 410 }, 'delivery.rejected', false],
    [{ status: 401 }, 'delivery.rejected', false],
    [{ status: 302, headers: { location: 'http://169.254.169.254/' } }, 'delivery.rejected', false],
  ])('classifies %j as %s', async (reply, code, retryable) => {
    answer = reply;
    expect(await deliveryError(channel.send(webhookMessage(`${receiver.baseUrl}/hooks/jc`)))).toMatchObject({
      code,
      retryable,
    });
    expect(received).toHaveLength(1);
  });

  it('refuses a URL that is not http or https without any request', async () => {
    for (const url of ['file:///etc/passwd', 'not a url', 'ftp://example.com/x']) {
      expect(await deliveryError(channel.send(webhookMessage(url)))).toMatchObject({ code: 'delivery.rejected' });
    }
    expect(received).toHaveLength(0);
  });

  it('rejects a URL with a user name or password, which no request can be made to, instead of retrying it', async () => {
    const url = `${receiver.baseUrl.replace('//', '//crm:secret@')}/hooks/jc`;
    expect(await deliveryError(channel.send(webhookMessage(url)))).toMatchObject({
      code: 'delivery.rejected',
      retryable: false,
    });
    expect(received).toHaveLength(0);
  });
});
