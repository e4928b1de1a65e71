import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { createHash } from 'node:crypto';
import { campaignsDir, seedUser } from '../integration/campaigns/campaigns-harness';
import {
  activate,
  DIGEST_CAMPAIGN,
  KITCHEN_JOURNEY,
  notificationsOf,
  SENDING_ENV,
  until,
  waitForRun,
} from '../integration/sending/sending-harness';
import { SmtpSink } from '../setup/smtp-sink';
import { CampaignRunsService } from '../../src/modules/campaigns/runs/campaign-runs.service';
import { DELIVERY_QUEUE } from '../../src/modules/delivery/jobs/delivery.queue';
import { RecipientPreferences } from '../../src/modules/tracking/notification-tracking';
import { createTestApp, TestApp, TestServers, startTestServers } from './support/test-app';

const DB = 'suppression_address_forms_e2e';

/** `exämple.com` as DNS and mailers write it (UTS-46 to ASCII). */
const ASCII = 'xn--exmple-cua.com';
/**
 * `exämple.com` with its `ä` as one character (NFC) and as `a` and a combining diaeresis (NFD). The loopback
 * server reads a recipient's `xn--` domain back to Unicode, so what it received tells the two apart: the NFD
 * spelling converted to ASCII as written is `xn--example-hie.com`, another domain, which comes back as NFD.
 */
const NFC = 'ex\u00e4mple.com';
const NFD = 'exa\u0308mple.com';

/** The key earlier versions stored an address under: the address trimmed and lower-cased, its domain as written. */
const legacyKey = (address: string) =>
  createHash('sha256').update(`journeycast-suppression:${address.trim().toLowerCase()}`).digest('hex');

/**
 * An address with an internationalized domain is one address however its domain is written: in Unicode or in
 * ASCII (`xn--`, as mailers send it and providers report its bounces), in either Unicode normalization form, in
 * fullwidth letters. The suppression list matches it in every form, in a campaign run and in the API; email goes
 * to that one domain, and a profile rewriting the form of its domain keeps its mailbox.
 */
describe('the suppression list and the forms of an internationalized domain', () => {
  let servers: TestServers;
  let sink: SmtpSink;
  let t: TestApp;
  let admin: string;
  let ingest: string;
  const auth = () => ({ Authorization: `Bearer ${admin}` });
  const deliveryReads = (address: string) => t.app.get(RecipientPreferences).suppressionOf(address);

  beforeAll(async () => {
    [servers, sink] = await Promise.all([startTestServers(), SmtpSink.start()]);
    t = await createTestApp(servers, {
      database: DB,
      env: { ...SENDING_ENV, CAMPAIGNS_DIR: campaignsDir([DIGEST_CAMPAIGN]), SMTP_URL: sink.url },
    });
    [admin, ingest] = await Promise.all([t.createKey('admin'), t.createKey('ingest')]);
    await activate(t.app, DIGEST_CAMPAIGN.id);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await Promise.all([servers?.stop(), sink?.stop()]);
  }, 30_000);

  it('sends nothing to an address listed with its domain in another form, and lists one a bounce refuses in every form', async () => {
    const now = new Date();
    const profiles: Record<string, string> = {
      ana: `ana@${NFC}`,
      ben: `ben@${ASCII}`,
      cy: `cy@${NFD}`,
      dee: 'dee@example.com',
      fay: `fay@${NFC}`,
      gus: `gus@${NFC}`,
    };
    for (const [userId, email] of Object.entries(profiles)) {
      await seedUser(t.app, userId, { now, profile: { email }, journeys: [KITCHEN_JOURNEY] });
    }
    const addresses = [
      { address: `ana@${ASCII}`, reason: 'hard-bounce' },
      { address: `BEN@${NFC.toUpperCase()}`, reason: 'complaint' },
      { address: 'dee@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff43\uff4f\uff4d' }, // fullwidth example.com
    ];
    await t.http().post('/v1/suppressions:import').set(auth()).send({ addresses }).expect(200);
    await t
      .http()
      .put(`/v1/suppressions/${encodeURIComponent(`cy@${NFC}`)}`)
      .set(auth())
      .send({})
      .expect(201);
    // Mailers send the domain in ASCII; the loopback server reads it back in Unicode (NFC), as a provider's logs may.
    sink.replyToRecipient(`gus@${NFC}`, 550, '5.1.1 mailbox gus does not exist');

    const started = await t.http().post('/v1/campaign-runs').set(auth()).send({ campaignId: DIGEST_CAMPAIGN.id });
    const run = await waitForRun(t.app, started.body.runId);

    expect(run).toMatchObject({ state: 'completed', counts: { sent: 1, failed: 1, suppressed: { suppressed: 4 } } });
    expect(sink.messages.flatMap((m) => m.to)).toEqual([`fay@${NFC}`]);
    // The provider refused the address as it was sent: looked up so, or as the profile holds it, it is listed.
    for (const form of [`gus@${ASCII}`, `gus@${NFC}`, `GUS@${NFD}`]) {
      const listed = await t
        .http()
        .get(`/v1/suppressions/${encodeURIComponent(form)}`)
        .set(auth())
        .expect(200);
      expect(listed.body).toMatchObject({ address: form, reason: 'hard-bounce' });
    }
  }, 120_000);

  it('answers, lists again and lifts an address in any form of its domain', async () => {
    const path = (address: string) => `/v1/suppressions/${encodeURIComponent(address)}`;
    await t
      .http()
      .put(path(`kim@${NFD}`))
      .set(auth())
      .send({ reason: 'complaint' })
      .expect(201);
    await t
      .http()
      .get(path(`kim@${ASCII}`))
      .set(auth())
      .expect(200);
    const again = await t
      .http()
      .put(path(`Kim@${ASCII.toUpperCase()}`))
      .set(auth())
      .send({ reason: 'manual' });
    expect(again.status).toBe(200);
    expect(again.body.reason).toBe('complaint');
    const imported = await t
      .http()
      .post('/v1/suppressions:import')
      .set(auth())
      .send({ addresses: [{ address: `kim@${NFC}` }, { address: `lu@${ASCII}` }, { address: `lu@${NFD}` }] })
      .expect(200);
    expect(imported.body).toEqual({ received: 3, added: 1, alreadyListed: 2 });
    expect(await t.app.get(RecipientPreferences).suppressionsOf([`kim@${NFC}`, `lu@${NFC}`])).toEqual(
      new Map([
        [`kim@${NFC}`, 'complaint'],
        [`lu@${NFC}`, 'manual'],
      ]),
    );

    await t
      .http()
      .delete(path(`kim@${NFC}`))
      .set(auth())
      .expect(204);
    expect(await deliveryReads(`kim@${ASCII}`)).toBeUndefined();
    await t
      .http()
      .get(path(`kim@${NFD}`))
      .set(auth())
      .expect(404);
  });

  it('still matches an address an earlier version listed under the key of its domain as written, and lifts it', async () => {
    const at = new Date('2026-01-05T10:00:00Z');
    await t
      .db()
      .collection('suppressions')
      .insertMany([
        { addressKey: legacyKey(`Mo@${NFC}`), reason: 'complaint', at, domain: NFC },
        { addressKey: legacyKey(`nia@${NFC}`), reason: 'hard-bounce', at, domain: NFC },
      ]);

    expect(await deliveryReads(`mo@${NFC}`)).toBe('complaint');
    expect(await deliveryReads(`mo@${NFD}`)).toBe('complaint');
    expect(await deliveryReads(`nia@${ASCII}`)).toBe('hard-bounce');
    expect(await t.app.get(RecipientPreferences).suppressionsOf([`mo@${ASCII}`, `nia@${NFD}`])).toEqual(
      new Map([
        [`mo@${ASCII}`, 'complaint'],
        [`nia@${NFD}`, 'hard-bounce'],
      ]),
    );
    // Listed already: the first reason and time stay, and no second record is written.
    const again = await t.http().put(`/v1/suppressions/mo@${ASCII}`).set(auth()).send({ reason: 'manual' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ reason: 'complaint', since: at.toISOString() });
    const imported = await t
      .http()
      .post('/v1/suppressions:import')
      .set(auth())
      .send({ addresses: [{ address: `nia@${ASCII}` }] })
      .expect(200);
    expect(imported.body).toEqual({ received: 1, added: 0, alreadyListed: 1 });

    await t.http().delete(`/v1/suppressions/mo@${ASCII}`).set(auth()).expect(204);
    expect(await deliveryReads(`mo@${NFC}`)).toBeUndefined();
    expect(
      await t
        .db()
        .collection('suppressions')
        .countDocuments({ addressKey: legacyKey(`mo@${NFC}`) }),
    ).toBe(0);
    expect(await deliveryReads(`nia@${NFC}`)).toBe('hard-bounce');
  });

  it('sends to the domain in its ASCII form, the local part as stored, and lists the address it bounces', async () => {
    const now = new Date();
    const profiles = { hal: `hal@${NFD}`, ida: `Ida@${NFD.toUpperCase()}`, jo: `jo@${NFD}` };
    for (const [userId, email] of Object.entries(profiles)) {
      await seedUser(t.app, userId, { now, profile: { email }, journeys: [KITCHEN_JOURNEY] });
    }
    // The mailbox does not exist at the domain the address names.
    sink.replyToRecipient(`jo@${NFC}`, 550, '5.1.1 mailbox jo does not exist');
    const before = sink.messages.length;

    const started = await t.http().post('/v1/campaign-runs').set(auth()).send({ campaignId: DIGEST_CAMPAIGN.id });
    await waitForRun(t.app, started.body.runId);

    const received = sink.messages.slice(before).filter((m) => /^(hal|ida|jo)@/i.test(m.to[0]));
    expect(received.map((m) => m.to[0]).sort()).toEqual([`Ida@${NFC}`, `hal@${NFC}`]);
    expect(received.map((m) => m.headers.get('to')).sort()).toEqual([`Ida@${ASCII}`, `hal@${ASCII}`]);
    // The refusal is the notification's own: jo's fails, and jo's address is listed in every form.
    const jo = (await notificationsOf(t.app, started.body.runId)).get('jo');
    expect(jo).toMatchObject({ state: 'failed', reason: { code: 'delivery.hard-bounce' } });
    for (const form of [`jo@${NFD}`, `jo@${ASCII}`]) {
      expect(await deliveryReads(form)).toBe('hard-bounce');
    }
  }, 60_000);

  it('sends a queued message when the profile rewrites only the form of its domain', async () => {
    const now = new Date();
    await seedUser(t.app, 'lee', { now, profile: { email: `lee@${NFC}` }, journeys: [KITCHEN_JOURNEY] });
    await seedUser(t.app, 'mae', { now, profile: { email: `Mae@${NFD}` }, journeys: [KITCHEN_JOURNEY] });
    const deliveries = t.app.get<Queue>(getQueueToken(DELIVERY_QUEUE));
    await deliveries.pause(true);
    const { runId } = await t.app.get(CampaignRunsService).startManual(DIGEST_CAMPAIGN.id, 'test');
    await until(async () => {
      const queued = await notificationsOf(t.app, runId);
      return ['lee', 'mae'].every((userId) => queued.get(userId)?.state === 'queued');
    }, 20_000);
    // The same mailboxes, written as another system writes them, before their messages go out.
    const moveTo = (userId: string, email: string) =>
      t
        .http()
        .put(`/v1/users/${userId}`)
        .set({ Authorization: `Bearer ${ingest}` })
        .send({ email, consent: { email: true, push: true } })
        .expect(200);
    await moveTo('lee', `lee@${ASCII}`);
    await moveTo('mae', `mae@${NFC.toUpperCase()}`);
    const before = sink.messages.length;
    await deliveries.resume(true);

    await waitForRun(t.app, runId);
    const sent = await notificationsOf(t.app, runId);
    expect([sent.get('lee')?.state, sent.get('mae')?.state]).toEqual(['sent', 'sent']);
    const received = sink.messages.slice(before).flatMap((m) => m.to);
    expect(received.filter((to) => /^(lee|mae)@/i.test(to)).sort()).toEqual([`Mae@${NFC}`, `lee@${NFC}`]);
  }, 60_000);
});
