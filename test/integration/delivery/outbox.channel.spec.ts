import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeliveryChannel } from '../../../src/modules/delivery/channels/delivery-channel';
import { verifyWebhookSignature } from '../../../src/modules/delivery/domain/webhook-signature';
import {
  emailMessage,
  pushMessage,
  webhookMessage,
} from '../../../src/modules/delivery/domain/testing/messages.fixture';
import { decodeQuotedPrintable, parseHeaders } from '../../setup/smtp-sink';
import { buildChannel, deliveryError, scratchDir } from './channels-harness';

describe('outbox channel (development files)', () => {
  let scratch: ReturnType<typeof scratchDir>;
  let channel: DeliveryChannel;
  let clock: Date;

  beforeEach(async () => {
    scratch = scratchDir('outbox');
    clock = new Date('2026-03-01T12:00:00.000Z');
    channel = await buildChannel(
      'outbox',
      {
        DELIVERY_OUTBOX_DIR: scratch.dir,
        EMAIL_FROM_ADDRESS: 'news@mail.example.com',
        WEBHOOK_SIGNING_SECRET: 'whsec_outbox-secret',
      },
      () => clock,
    );
  });
  afterEach(async () => {
    await channel.close();
    scratch.remove();
  });

  const files = () => readdirSync(join(scratch.dir, '2026-03-01')).sort();
  const read = (file: string) => readFileSync(join(scratch.dir, '2026-03-01', file), 'utf8');

  it('writes an email as the .eml an SMTP relay would receive', async () => {
    const receipt = await channel.send(emailMessage());
    expect(receipt).toMatchObject({
      provider: 'outbox',
      providerMessageId: '<6650c0ffee0000000000abcd.jc@mail.example.com>',
    });
    expect(files()).toEqual(['12-00-00.000_email_weekly-digest_6650c0ffee0000000000abcd.eml']);
    expect(receipt.response).toBe(join(scratch.dir, '2026-03-01', files()[0]));
    const raw = read(files()[0]);
    expect(raw).toContain('\r\n');
    const headers = parseHeaders(raw);
    expect(headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(headers.get('subject')).toBe('Ideas for your kitchen');
    expect(headers.get('content-type')).toMatch(/^multipart\/alternative/);
    expect(decodeQuotedPrintable(raw)).toContain('<p>Hello Ana</p>');
  });

  it('writes a push as JSON with the exact provider request and a masked token', async () => {
    await channel.send(pushMessage({ to: { platform: 'fcm', token: 'fcm-registration-token-123456' } }));
    const doc = JSON.parse(read(files()[0])) as { request: { fcm: { message: object } } };
    expect(files()[0]).toBe('12-00-00.000_push-fcm_journey-nudge_6650c0ffee0000000000beef.json');
    expect(doc).toMatchObject({ platform: 'fcm', token: '…n-123456', content: { title: 'Kitchen remodel' } });
    expect(doc.request.fcm.message).toMatchObject({ token: '…n-123456', notification: { title: 'Kitchen remodel' } });
    expect(JSON.stringify(doc)).not.toContain('fcm-registration-token-123456');
  });

  it('writes a webhook with the signature its receiver would verify', async () => {
    await channel.send(webhookMessage('https://crm.example.com/hooks/jc'));
    const doc = JSON.parse(read(files()[0])) as { headers: Record<string, string>; body: unknown; url: string };
    expect(doc.url).toBe('https://crm.example.com/hooks/jc');
    expect(
      verifyWebhookSignature(
        'whsec_outbox-secret',
        doc.headers['journeycast-signature'],
        JSON.stringify(doc.body),
        clock,
      ),
    ).toBe(true);
  });

  it('names files so they sort by send time, and leaves no temporary file behind', async () => {
    const sends = Array.from({ length: 30 }, (_, i) => {
      clock = new Date(Date.parse('2026-03-01T12:00:00.000Z') + (29 - i) * 1000);
      return channel.send(emailMessage({ notificationId: `n${String(i).padStart(2, '0')}` }));
    });
    await Promise.all(sends);
    expect(files()).toHaveLength(30);
    expect(files()[0]).toMatch(/^12-00-00\.000_email_weekly-digest_n29\.eml$/);
    expect(files()[29]).toMatch(/^12-00-29\.000_email_weekly-digest_n00\.eml$/);
    expect(
      readdirSync(join(scratch.dir, '2026-03-01'), { withFileTypes: true }).filter((f) => f.name.startsWith('.')),
    ).toEqual([]);
  });

  it('reports a folder it cannot write as a retryable failure', async () => {
    const blocked = await buildChannel('outbox', { DELIVERY_OUTBOX_DIR: scratch.file('a-file', 'x') });
    expect(await deliveryError(blocked.send(pushMessage()))).toMatchObject({
      code: 'delivery.network',
      retryable: true,
    });
  });
});
