import { getQueueToken } from '@nestjs/bull';
import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bull';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { RunExplainService } from '../../../src/modules/campaigns/runs/run-explain.service';
import { formatExplanation } from '../../../src/modules/cli/commands/campaign-runs-output';
import type { Notification } from '../../../src/modules/delivery/domain/notification';
import { verifyWebhookSignature } from '../../../src/modules/delivery/domain/webhook-signature';
import { safeId } from '../../../src/modules/delivery/domain/provider-ids';
import { DELIVERY_QUEUE } from '../../../src/modules/delivery/jobs/delivery.queue';
import { NotificationBatchDelivery } from '../../../src/modules/delivery/notification-batch-delivery.service';
import { MessageRenderRepository } from '../../../src/modules/delivery/message-render.repository';
import { RecipientPreferencesService } from '../../../src/modules/tracking/recipient-preferences.service';
import type { RenderedEmail, RenderedPush } from '../../../src/modules/templates/template.types';
import { FakeRequest, HttpFake } from '../../setup/providers/http-fake';
import { SmtpSink } from '../../setup/smtp-sink';
import { campaignsDir, seedUser } from '../campaigns/campaigns-harness';
import {
  activate,
  DIGEST_CAMPAIGN,
  KITCHEN_JOURNEY,
  notificationsOf,
  NUDGE_CAMPAIGN,
  queuedDigestRun,
  startSending,
  waitForRun,
} from './sending-harness';

const SECRET = 'whsec_0123456789abcdef0123456789abcdef';
const NOW = new Date();
/** At most one email a day, whichever campaign sends it: the webhook's sends count on the email channel. */
const DAILY_EMAIL = [{ max: 1, withinHours: 24, scope: 'channel' }];

/** An email and a push campaign whose messages go to `url`, and a plain email campaign under the same cap. */
function campaigns(url: string): Array<Record<string, unknown>> {
  return [
    { ...DIGEST_CAMPAIGN, id: 'crm-digest', category: 'crm-digest', frequencyCaps: DAILY_EMAIL, webhook: { url } },
    { ...NUDGE_CAMPAIGN, id: 'crm-nudge', webhook: { url } },
    { ...DIGEST_CAMPAIGN, id: 'crm-alerts', category: 'crm-alerts', webhook: { url } },
    { ...DIGEST_CAMPAIGN, frequencyCaps: DAILY_EMAIL },
  ];
}

/** Users of each kind: who may get the email webhook, the push webhook, or neither. */
async function seedUsers(app: INestApplicationContext): Promise<void> {
  const users: Array<[string, Record<string, unknown>]> = [
    ['ana', { email: 'ana@example.com', pushTokens: [], consent: { email: true, push: false } }],
    ['ben', { email: undefined, pushTokens: [], consent: { email: true, push: false } }],
    ['cy', { email: 'cy@example.com', pushTokens: [], consent: { email: false, push: false } }],
    ['quitter', { email: 'quitter@example.com', pushTokens: [], consent: { email: true, push: false } }],
    ['pia', { email: undefined, consent: { email: false, push: true } }],
    ['pol', { email: undefined, pushTokens: [], consent: { email: false, push: true } }],
  ];
  for (const [userId, profile] of users) {
    await seedUser(app, userId, { now: NOW, profile, journeys: [KITCHEN_JOURNEY] });
  }
  await app
    .get(RecipientPreferencesService)
    .unsubscribe({ userId: 'quitter', category: 'crm-digest', at: new Date(), source: 'page' });
}

/** What the outbox writes of a webhook message. */
interface OutboxWebhook {
  notificationId: string;
  userId: string;
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

async function runOf(app: INestApplicationContext, campaignId: string) {
  const started = await app.get(CampaignRunsService).startManual(campaignId, 'test');
  return waitForRun(app, started.runId);
}

async function renderOf(app: INestApplicationContext, n: Notification) {
  const [rendered] = await app.get(MessageRenderRepository).rendersOf([n.message]);
  return rendered!;
}

describe('a webhook campaign, posted to its URL', () => {
  let sending: Awaited<ReturnType<typeof startSending>>;
  let receiver: HttpFake;
  let sink: SmtpSink;
  let app: INestApplicationContext;
  const received: FakeRequest[] = [];
  let url: string;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    receiver = await new HttpFake((request) => {
      received.push(request);
      return { status: 202, headers: { 'x-request-id': `req-${received.length}` } };
    }).listen();
    url = `${receiver.baseUrl}/hooks/journeycast`;
    sending = await startSending('webhook-campaign', {
      CAMPAIGNS_DIR: campaignsDir(campaigns(url)),
      SMTP_URL: sink.url,
      DELIVERY_WEBHOOK_CHANNEL: 'http',
      WEBHOOK_SIGNING_SECRET: SECRET,
      DELIVERY_RATE_WEBHOOK: '0',
    });
    app = sending.app;
    await activate(app, 'crm-digest', 'crm-nudge', 'crm-alerts', 'digest');
    await seedUsers(app);
  });

  afterAll(async () => {
    await sending?.stop();
    await Promise.all([receiver?.stop(), sink?.stop()]);
  });

  beforeEach(() => {
    received.length = 0;
  });

  it('posts one signed message per consenting user, with an address on file or not', async () => {
    const run = await runOf(app, 'crm-digest');
    expect(run.counts).toMatchObject({
      audience: 3,
      eligible: 2,
      sent: 2,
      failed: 0,
      queued: 0,
      suppressed: { unsubscribed: 1 },
    });
    const bodies = received.map((r) => JSON.parse(r.body.toString('utf8')) as Record<string, unknown>);
    expect(bodies.map((b) => b.userId).sort()).toEqual(['ana', 'ben']);
    expect(received.every((r) => r.method === 'POST' && r.path === '/hooks/journeycast')).toBe(true);
    expect(sink.messages).toHaveLength(0);

    const notifications = await notificationsOf(app, run.runId);
    expect(notifications.has('cy')).toBe(false);
    expect(notifications.get('quitter')).toMatchObject({ state: 'suppressed', reason: { code: 'unsubscribed' } });
    for (const [i, request] of received.entries()) {
      const body = request.body.toString('utf8');
      const sent = JSON.parse(body) as Record<string, unknown>;
      const n = notifications.get(sent.userId as string)!;
      const signature = request.headers['journeycast-signature'] as string;
      expect(verifyWebhookSignature(SECRET, signature, body, new Date())).toBe(true);
      expect(verifyWebhookSignature('another secret', signature, body, new Date())).toBe(false);
      expect(request.headers['idempotency-key']).toBe(n.notificationId);
      const rendered = (await renderOf(app, n)) as RenderedEmail;
      expect(sent).toEqual({
        type: 'notification',
        notificationId: n.notificationId,
        campaignId: 'crm-digest',
        category: 'crm-digest',
        userId: n.userId,
        message: {
          subject: rendered.subject,
          preheader: rendered.preheader,
          html: expect.stringContaining('https://t.example.com/'),
          text: expect.any(String),
        },
        unsubscribeUrl: expect.stringMatching(/^https:\/\/t\.example\.com\/\S+/),
        sentAt: expect.any(String),
      });
      const message = sent.message as { html: string };
      // The links are resolved: tracked URLs, no placeholder left for the receiver.
      expect(message.html).not.toMatch(/__jc_|\{\{/);
      expect(message.html).toContain(sent.unsubscribeUrl as string);
      expect(n).toMatchObject({
        channel: 'email',
        state: 'sent',
        targets: [
          {
            to: { channel: 'webhook', url },
            state: 'accepted',
            provider: 'webhook',
            providerMessageId: `req-${i + 1}`,
            response: 'HTTP 202',
          },
        ],
      });
    }
    const why = await app.get(RunExplainService).explain(run.runId, 'ben');
    expect(why.summary).toBe('sent (1 of 1 targets accepted)');
    expect(formatExplanation(why)).toContain(`target webhook ${url}: accepted webhook req-`);
  });

  it("counts its sends against the email channel's frequency caps", async () => {
    // Ana had her email of the day through the webhook; the quitter, who left only the webhook's category, had none.
    const digest = await runOf(app, 'digest');
    expect(digest.counts).toMatchObject({ sent: 1, suppressed: { 'frequency-cap': 1 } });
    expect(sink.messages.map((m) => m.to)).toEqual([['quitter@example.com']]);
    const again = await runOf(app, 'crm-digest');
    expect(again.counts).toMatchObject({ sent: 0, suppressed: { 'frequency-cap': 2, unsubscribed: 1 } });
    expect(received).toHaveLength(0);
  });

  it("refuses an email campaign's message when the user's address on file is suppressed before it goes", async () => {
    const { runId, ids } = await queuedDigestRun(app, 3, 'crm-alerts');
    await app.get(RecipientPreferencesService).suppress('Ana@Example.com', 'complaint', new Date());
    await app.get(NotificationBatchDelivery).deliverMany([...ids.values()]);
    await app.get<Queue>(getQueueToken(DELIVERY_QUEUE)).resume(true);
    const run = await waitForRun(app, runId);
    expect(run.counts).toMatchObject({ sent: 2, suppressed: { 'address-suppressed': 1 } });
    expect(received.map((r) => (JSON.parse(r.body.toString('utf8')) as { userId: string }).userId).sort()).toEqual([
      'ben',
      'quitter',
    ]);
    expect((await notificationsOf(app, runId)).get('ana')).toMatchObject({
      state: 'suppressed',
      reason: { code: 'address-suppressed', value: 'complaint' },
    });
  });

  it('posts a push campaign its rendered push content, for users with or without a device', async () => {
    const run = await runOf(app, 'crm-nudge');
    expect(run.counts).toMatchObject({ eligible: 2, sent: 2 });
    const notifications = await notificationsOf(app, run.runId);
    const bodies = received.map((r) => JSON.parse(r.body.toString('utf8')) as Record<string, unknown>);
    expect(bodies.map((b) => b.userId).sort()).toEqual(['pia', 'pol']);
    for (const body of bodies) {
      const n = notifications.get(body.userId as string)!;
      const rendered = (await renderOf(app, n)) as RenderedPush;
      expect(body.message).toEqual({
        title: rendered.title,
        body: rendered.body,
        ...(rendered.deepLink !== undefined && { deepLink: expect.any(String) }),
        data: expect.any(Object),
      });
      expect(body.unsubscribeUrl).toMatch(/^https:\/\/t\.example\.com\//);
      expect(n).toMatchObject({ channel: 'push', state: 'sent', targets: [{ to: { channel: 'webhook', url } }] });
    }
  });
});

describe('a webhook campaign, written to the outbox', () => {
  let sending: Awaited<ReturnType<typeof startSending>>;
  let app: INestApplicationContext;
  const outbox = mkdtempSync(join(tmpdir(), 'jc-webhook-outbox-'));
  const url = 'https://crm.example.com/hooks/journeycast';

  beforeAll(async () => {
    sending = await startSending('webhook-outbox', {
      CAMPAIGNS_DIR: campaignsDir(campaigns(url)),
      DELIVERY_OUTBOX_DIR: outbox,
      WEBHOOK_SIGNING_SECRET: SECRET,
    });
    app = sending.app;
    await activate(app, 'crm-digest');
    await seedUsers(app);
  });

  afterAll(async () => {
    await sending?.stop();
    rmSync(outbox, { recursive: true, force: true });
  });

  it('writes one .json per message, with the body and its signature', async () => {
    const run = await runOf(app, 'crm-digest');
    expect(run.counts).toMatchObject({ eligible: 2, sent: 2 });
    const notifications = await notificationsOf(app, run.runId);
    const files = readdirSync(outbox, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files.map((f) => f.name.replace(/^[\d.-]+_/, '')).sort()).toEqual(
      ['ana', 'ben'].map((u) => `webhook_crm-digest_${safeId(notifications.get(u)!.notificationId)}.json`).sort(),
    );
    const written = files.map((f) => JSON.parse(readFileSync(join(f.parentPath, f.name), 'utf8')) as OutboxWebhook);
    expect(written.map((w) => w.userId).sort()).toEqual(['ana', 'ben']);
    for (const file of written) {
      const n = notifications.get(file.userId)!;
      expect(file).toMatchObject({
        notificationId: n.notificationId,
        channel: 'webhook',
        url,
        body: { type: 'notification', userId: n.userId, message: { subject: expect.any(String) } },
      });
      const body = JSON.stringify(file.body);
      expect(verifyWebhookSignature(SECRET, file.headers['journeycast-signature'], body, new Date())).toBe(true);
      expect(n).toMatchObject({ state: 'sent', targets: [{ state: 'accepted', provider: 'outbox' }] });
    }
  });
});
