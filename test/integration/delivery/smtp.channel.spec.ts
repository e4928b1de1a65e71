import type { DeliveryChannel } from '../../../src/modules/delivery/channels/delivery-channel';
import { emailMessage } from '../../../src/modules/delivery/domain/testing/messages.fixture';
import { decodeQuotedPrintable, SmtpSink } from '../../setup/smtp-sink';
import { buildChannel, deliveryError } from './channels-harness';

const ENV = {
  EMAIL_FROM_ADDRESS: 'news@mail.example.com',
  EMAIL_FROM_NAME: 'Example News',
  EMAIL_REPLY_TO: 'help@example.com',
  EMAIL_UNSUBSCRIBE_MAILTO: 'unsubscribe@mail.example.com',
};

describe('SMTP channel (nodemailer pool against a loopback SMTP server)', () => {
  let sink: SmtpSink;
  let channel: DeliveryChannel;

  beforeEach(async () => {
    sink = await SmtpSink.start({ credentials: { user: 'relay', pass: 'p@ss:word' } });
    channel = await buildChannel('smtp', { ...ENV, SMTP_URL: sink.url, SMTP_POOL_SIZE: '2' });
  });
  afterEach(async () => {
    await channel.close();
    await sink.stop();
  });

  it('delivers HTML and text alternatives with one-click unsubscribe headers and the open pixel', async () => {
    const message = emailMessage();
    const receipt = await channel.send(message);
    expect(receipt).toMatchObject({
      provider: 'smtp',
      providerMessageId: '<6650c0ffee0000000000abcd.jc@mail.example.com>',
      response: expect.stringMatching(/^250/),
    });
    const [mail] = sink.messages;
    expect(mail.from).toBe('news@mail.example.com');
    expect(mail.to).toEqual(['ana@example.com']);
    expect(mail.headers.get('message-id')).toBe('<6650c0ffee0000000000abcd.jc@mail.example.com>');
    expect(mail.headers.get('from')).toBe('Example News <news@mail.example.com>');
    expect(mail.headers.get('reply-to')).toBe('help@example.com');
    expect(mail.headers.get('list-unsubscribe')).toBe(
      '<https://t.example.com/u/v1.k.payload.sig>, <mailto:unsubscribe@mail.example.com?subject=unsubscribe%206650c0ffee0000000000abcd>',
    );
    expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.headers.get('content-type')).toMatch(/^multipart\/alternative/);
    expect(mail.raw).toMatch(/Content-Type: text\/plain/);
    expect(mail.raw).toMatch(/Content-Type: text\/html/);
    expect(decodeQuotedPrintable(mail.raw)).toContain(
      '<img src="https://t.example.com/o/v1.k.payload.sig?x=1&amp;y=2" width="1"',
    );
  });

  it('gives a resent notification the same Message-ID', async () => {
    await channel.send(emailMessage());
    await channel.send(emailMessage());
    expect(sink.messages.map((m) => m.headers.get('message-id'))).toEqual([
      '<6650c0ffee0000000000abcd.jc@mail.example.com>',
      '<6650c0ffee0000000000abcd.jc@mail.example.com>',
    ]);
  });

  it('reuses at most SMTP_POOL_SIZE connections for many concurrent sends', async () => {
    const messages = Array.from({ length: 20 }, (_, i) =>
      emailMessage({ notificationId: `n${i}`, to: { address: `user${i}@example.com` } }),
    );
    await Promise.all(messages.map((m) => channel.send(m)));
    expect(sink.messages).toHaveLength(20);
    expect(sink.peakConnections).toBeLessThanOrEqual(2);
    expect(new Set(sink.messages.map((m) => m.sessionId)).size).toBeLessThanOrEqual(2);
  });

  it('calls a 5.1.1 recipient refusal a hard bounce: suppress the address', async () => {
    sink.replyToRecipient(
      'gone@example.com',
      550,
      '5.1.1 <gone@example.com>: Recipient address rejected: User unknown',
    );
    const error = await deliveryError(channel.send(emailMessage({ to: { address: 'gone@example.com' } })));
    expect(error).toMatchObject({
      code: 'delivery.hard-bounce',
      status: 550,
      providerCode: '5.1.1',
      action: 'suppress-address',
    });
    expect(sink.messages).toHaveLength(0);
  });

  it('rejects a refusal of our own sender address without suppressing the recipient', async () => {
    // Postfix delays sender restrictions to RCPT TO, so a bad sender domain is refused there.
    sink.replyToRecipient(
      'ana@example.com',
      553,
      '5.1.8 <news@mail.example.com>: Sender address rejected: Domain not found',
    );
    expect(await deliveryError(channel.send(emailMessage()))).toMatchObject({
      code: 'delivery.rejected',
      providerCode: '5.1.8',
      action: 'none',
    });
  });

  it('retries a 4xx (greylisting) and rejects a 5.7.1 policy refusal without suppressing', async () => {
    sink.replyToRecipient('grey@example.com', 450, '4.2.0 Greylisted, try again later');
    expect(await deliveryError(channel.send(emailMessage({ to: { address: 'grey@example.com' } })))).toMatchObject({
      code: 'delivery.unavailable',
      retryable: true,
    });
    sink.replyToNextData(554, '5.7.1 Message rejected as spam');
    expect(await deliveryError(channel.send(emailMessage()))).toMatchObject({
      code: 'delivery.rejected',
      action: 'none',
    });
    await expect(channel.send(emailMessage())).resolves.toMatchObject({ provider: 'smtp' });
  });

  it('reports refused relay credentials as auth, and a closed port as a network failure', async () => {
    const wrong = await buildChannel('smtp', { ...ENV, SMTP_URL: sink.url.replace('p%40ss%3Aword', 'nope') });
    expect(await deliveryError(wrong.send(emailMessage()))).toMatchObject({ code: 'delivery.auth', retryable: true });
    await wrong.close();
    const closed = await buildChannel('smtp', { ...ENV, SMTP_URL: 'smtp://127.0.0.1:1' });
    expect(await deliveryError(closed.send(emailMessage()))).toMatchObject({
      code: 'delivery.network',
      retryable: true,
    });
    await closed.close();
  });

  it('reports a relay host that does not resolve as a retryable network failure, not a rejection', async () => {
    // `.invalid` never resolves (RFC 6761): NXDOMAIN, or EAI_AGAIN when DNS itself is out.
    const unresolved = await buildChannel('smtp', { ...ENV, SMTP_URL: 'smtp://relay.journeycast.invalid:2525' });
    try {
      const error = await deliveryError(unresolved.send(emailMessage()));
      expect(error).toMatchObject({
        code: 'delivery.network',
        retryable: true,
        action: 'none',
        providerCode: expect.stringMatching(/^(ENOTFOUND|EAI_AGAIN)$/),
      });
    } finally {
      await unresolved.close();
    }
  });

  it.each(['implicit', 'starttls'] as const)('encrypts the session with %s TLS', async (tls) => {
    const secureSink = await SmtpSink.start({ tls, credentials: { user: 'relay', pass: 'secret' } });
    const relay = await buildChannel('smtp', { ...ENV, SMTP_URL: secureSink.url });
    try {
      await expect(relay.send(emailMessage())).resolves.toMatchObject({ provider: 'smtp' });
      expect(secureSink.messages).toMatchObject([{ secure: true, to: ['ana@example.com'] }]);
    } finally {
      await relay.close();
      await secureSink.stop();
    }
  });
});
