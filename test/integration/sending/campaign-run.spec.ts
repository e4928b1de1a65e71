import { INestApplicationContext } from '@nestjs/common';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { RunCompletion } from '../../../src/modules/campaigns/runs/run-completion';
import { CampaignRunShardRepository } from '../../../src/modules/campaigns/runs/campaign-run-shard.repository';
import { ShardFanOut } from '../../../src/modules/campaigns/runs/shard-fan-out.service';
import { UserErasureRegistry } from '../../../src/common/erasure/user-erasure.registry';
import { MessageRenderRepository } from '../../../src/modules/delivery/message-render.repository';
import type { NotificationMessage } from '../../../src/modules/delivery/domain/notification';
import type { RenderedMessage } from '../../../src/modules/templates/template.types';
import { RunExplainService } from '../../../src/modules/campaigns/runs/run-explain.service';
import { DeliveryProducer } from '../../../src/modules/delivery/jobs/delivery.queue';
import { CampaignRunsProducer } from '../../../src/modules/campaigns/runs/jobs/campaign-runs.queue';
import { RankingExampleRepository } from '../../../src/modules/ranking/ranking-example.repository';
import { RecipientSnapshots } from '../../../src/modules/campaigns/recipient-snapshots';
import { RecipientPreferences } from '../../../src/modules/tracking/notification-tracking';
import { RecipientPreferencesService } from '../../../src/modules/tracking/recipient-preferences.service';
import { SmtpSink } from '../../setup/smtp-sink';
import { campaignsDir, seedUser } from '../campaigns/campaigns-harness';
import {
  activate,
  db,
  insertRunningRun,
  notificationsOf,
  sendingSettings,
  startSendingContext,
  startServers,
  waitForRun,
} from './sending-harness';

const NOW = new Date();
const kitchen = { name: 'Kitchen Remodel', keywords: ['kitchen remodel', 'backsplash tile'] };
const garden = { name: 'Garden Design', keywords: ['garden design', 'raised beds'] };

const digest = {
  id: 'digest',
  name: 'Digest',
  owner: 'growth',
  channel: 'email',
  category: 'weekly-digest',
  schedule: { type: 'cron', cron: '0 9 * * 1', timeZone: 'Europe/Paris' },
  content: { topK: 2 },
  template: 'email/weekly-digest',
  copy: { variant: 'journey-template' },
  frequencyCaps: [{ max: 1, withinHours: 144, scope: 'campaign' }],
};
const nudge = {
  id: 'nudge',
  name: 'Nudge',
  owner: 'growth',
  channel: 'push',
  schedule: { type: 'once', at: '2030-01-01T10:00:00Z' },
  template: 'push/journey-nudge',
  copy: { variant: 'journey-template' },
  experiment: {
    variants: [
      { id: 'interest', weight: 1, copy: 'interest' },
      { id: 'journey', weight: 1, copy: 'journey-template' },
    ],
    holdout: 0.4,
    metrics: { primary: 'push-open-rate' },
  },
};

describe('a campaign run, from audience to provider', () => {
  let servers: Awaited<ReturnType<typeof startServers>>;
  let sink: SmtpSink;
  let app: INestApplicationContext;
  let outbox: string;
  const emailUsers = ['ana', 'ben', 'cy', 'dee', 'eve'];
  const pushUsers = Array.from({ length: 20 }, (_, i) => `p${String(i).padStart(2, '0')}`);

  beforeAll(async () => {
    [servers, sink] = await Promise.all([startServers(), SmtpSink.start()]);
    outbox = mkdtempSync(join(tmpdir(), 'jc-outbox-'));
    app = await startSendingContext(
      sendingSettings(servers.mongo.uri, servers.redis, 'campaign-run', {
        CAMPAIGNS_DIR: campaignsDir([digest, nudge]),
        SMTP_URL: sink.url,
        DELIVERY_OUTBOX_DIR: outbox,
      }),
    );
    await activate(app, 'digest', 'nudge');
    for (const userId of [...emailUsers, 'quitter']) {
      await seedUser(app, userId, {
        now: NOW,
        profile: { email: `${userId}@example.com`, consent: { email: true, push: false } },
        journeys: [kitchen, garden],
      });
    }
    for (const userId of pushUsers) {
      await seedUser(app, userId, {
        now: NOW,
        profile: { email: undefined, consent: { email: false, push: true } },
        journeys: [kitchen],
      });
    }
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([servers?.stop(), sink?.stop()]);
    rmSync(outbox, { recursive: true, force: true });
  });

  it('sends every eligible user one email and records the rest with their reason', async () => {
    await app.get(RecipientPreferencesService).unsubscribe({
      userId: 'quitter',
      category: 'weekly-digest',
      at: new Date(),
      source: 'page',
    });
    expect(await app.get(RecipientPreferences).isUnsubscribed('quitter', 'weekly-digest')).toBe(true);

    const started = await app.get(CampaignRunsService).startManual('digest', 'test');
    const run = await waitForRun(app, started.runId);

    expect(run.state).toBe('completed');
    expect(run.counts).toMatchObject({
      audience: 6,
      eligible: 5,
      sent: 5,
      failed: 0,
      queued: 0,
      pending: 0,
      suppressed: { unsubscribed: 1 },
    });
    // The live counters, kept as the records change, agree with the counts grouped from the records.
    expect(await app.get(RunCompletion).counts(run.runId)).toEqual(run.counts);
    // A notified user is recorded by the notification alone: the shard lists them, the ledger has no entry.
    expect(await db(app).collection('campaign_run_ledger').countDocuments({ runId: run.runId })).toBe(0);
    const shards = await db(app).collection('campaign_run_shards').find({ runId: run.runId }).toArray();
    expect(shards.flatMap((s) => s.userIds as string[]).sort()).toEqual([...emailUsers, 'quitter'].sort());
    expect(shards.every((s) => s.finishedAt instanceof Date)).toBe(true);
    expect(await app.get(RunExplainService).explain(run.runId, 'quitter')).toMatchObject({
      inAudience: true,
      ledger: { status: 'done', shard: shards[0].shard, settledAt: expect.any(Date) },
      notification: { state: 'suppressed' },
    });
    for (const userId of emailUsers) expect(sink.to(`${userId}@example.com`)).toHaveLength(1);
    expect(sink.to('quitter@example.com')).toHaveLength(0);
    const mail = sink.to('ana@example.com')[0];
    expect(mail.headers.get('list-unsubscribe')).toContain('https://t.example.com/');
    expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

    const notifications = await notificationsOf(app, run.runId);
    const ana = notifications.get('ana')!;
    expect(ana).toMatchObject({
      state: 'sent',
      targets: [{ state: 'accepted', provider: 'smtp', providerMessageId: mail.headers.get('message-id') }],
      message: { variant: { copy: 'journey-template' }, subject: { kind: 'journey' }, copy: { source: 'template' } },
    });
    expect(ana.attempts).toEqual([expect.objectContaining({ outcome: 'accepted' })]);
    expect(notifications.get('quitter')).toMatchObject({ state: 'suppressed', reason: { code: 'unsubscribed' } });

    // The ranker's example: the sent notification about a journey carries its features.
    const stored = await db(app).collection('notifications').findOne({ notificationId: ana.notificationId });
    expect(stored!.ranking).toMatchObject({ journeyId: ana.message!.subject.id, features: expect.any(Object) });
    expect(Object.keys(stored!.ranking.features as object).length).toBeGreaterThan(20);
    const examples = await app
      .get(RankingExampleRepository)
      .findLabelled(new Date(0), new Date(Date.now() + 73 * 3_600_000), 72);
    expect(examples.filter((e) => e.userId === 'ana')).toEqual([
      expect.objectContaining({ journeyName: stored!.ranking.journeyName, label: 0 }),
    ]);
    // The next fan-out ranks ana's journeys with it: her history, read with her chunk, holds the message.
    const later = new Date(Date.now() + 60_000);
    const [snapshot] = (await app.get(RecipientSnapshots).load(run.definition, ['ana'], later)).values();
    expect(snapshot.history).toEqual([
      expect.objectContaining({ userId: 'ana', journeyId: stored!.ranking.journeyId, sentAt: ana.sentAt }),
    ]);
  });

  it('sends nothing twice when its jobs are delivered again', async () => {
    const [run] = await app.get(CampaignRunsService).list({ campaignId: 'digest', limit: 1 });
    const before = sink.messages.length;
    await app.get(CampaignRunsProducer).enqueueShards(run.runId, 7, [{ shard: 0 }]);
    const ids = [...(await notificationsOf(app, run.runId)).values()].map((n) => ({
      notificationId: n.notificationId,
    }));
    await app.get(DeliveryProducer).enqueueMany(ids, 7);
    await app.get(DeliveryProducer).enqueueMany(ids, 8);
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.messages.length).toBe(before);
  });

  it("holds the next run to the campaign's frequency cap", async () => {
    const started = await app.get(CampaignRunsService).startManual('digest', 'test');
    const run = await waitForRun(app, started.runId);
    expect(run.counts).toMatchObject({ sent: 0, suppressed: { 'frequency-cap': 5, unsubscribed: 1 } });
    expect(await app.get(RunCompletion).counts(run.runId)).toEqual(run.counts);
    const ana = (await notificationsOf(app, run.runId)).get('ana')!;
    expect(ana.reason).toMatchObject({ code: 'frequency-cap', rule: 'frequencyCaps[0]', value: 1 });
    const why = await app.get(RunExplainService).explain(run.runId, 'ana');
    expect(why).toMatchObject({
      inAudience: true,
      notification: { state: 'suppressed', reason: { code: 'frequency-cap' } },
    });
    expect(why.summary).toMatch(/^suppressed by frequencyCaps\[0\]: already 1 email message/);
  });

  it('assigns arms first: held-out users get a ledger entry and nothing else', async () => {
    const started = await app.get(CampaignRunsService).startManual('nudge', 'test');
    const run = await waitForRun(app, started.runId);
    const ledger = await db(app).collection('campaign_run_ledger').find({ runId: run.runId }).toArray();
    const heldOut = ledger.filter((e) => e.status === 'held-out');
    expect(run.counts.audience).toBe(pushUsers.length);
    expect(heldOut.length).toBe(run.counts.heldOut);
    expect(heldOut.length).toBeGreaterThan(0);
    expect(await app.get(RunCompletion).counts(run.runId)).toEqual(run.counts);
    expect(run.counts.sent + heldOut.length).toBe(pushUsers.length);
    const notifications = await notificationsOf(app, run.runId);
    for (const entry of heldOut) expect(notifications.has(entry.userId as string)).toBe(false);
    const why = await app.get(RunExplainService).explain(run.runId, heldOut[0].userId as string);
    expect(why).toMatchObject({ inAudience: true, experiment: { receives: false }, ledger: { status: 'held-out' } });
    expect(why.notification).toBeUndefined();
    expect(why.summary).toMatch(/^held out/);
    for (const n of notifications.values()) {
      expect(n.experiment).toMatchObject({ armId: expect.stringMatching(/^(interest|journey)$/) });
      expect(n.message!.variant.id).toBe(n.experiment!.armId);
    }
    // Every sent push is a file in the outbox, one per device.
    const files = readdirSync(outbox, { recursive: true }).filter((f) => String(f).endsWith('.json'));
    expect(files).toHaveLength(run.counts.sent);
  });

  it('stores each distinct render once, explains with it, and erases it with the last notification using it', async () => {
    const [run] = await app.get(CampaignRunsService).list({ campaignId: 'nudge', limit: 1 });
    const sent = [...(await notificationsOf(app, run.runId)).values()].filter((n) => n.state === 'sent');
    expect(sent.length).toBeGreaterThan(1);
    for (const n of sent) expect(n.message).toMatchObject({ renderId: expect.any(String) });
    expect(sent.some((n) => n.message?.rendered)).toBe(false);
    const renders = db(app).collection('message_renders');
    const byRender = new Map<string, string[]>();
    for (const n of sent) byRender.set(n.message!.renderId!, [...(byRender.get(n.message!.renderId!) ?? []), n.userId]);
    expect(await renders.countDocuments({ renderId: { $in: [...byRender.keys()] } })).toBe(byRender.size);
    // The arms' copies differ, but users of one arm got the same message: fewer renders than messages.
    expect(byRender.size).toBeLessThan(sent.length);

    const [renderId, users] = [...byRender].find(([, u]) => u.length > 1)!;
    const why = await app.get(RunExplainService).explain(run.runId, users[0]);
    expect(why.notification?.render).toMatchObject({ channel: 'push', title: expect.any(String) });

    const erasure = app.get(UserErasureRegistry);
    await erasure.eraseAll(users[0]);
    expect(await renders.countDocuments({ renderId })).toBe(1);
    for (const userId of users.slice(1)) await erasure.eraseAll(userId);
    expect(await renders.countDocuments({ renderId })).toBe(0);
    // No shard lists an erased user any more.
    expect(
      await db(app)
        .collection('campaign_run_shards')
        .countDocuments({ userIds: { $in: users } }),
    ).toBe(0);
  });

  it('finishes a run selected when every selected user got a pending ledger entry', async () => {
    const runId = 'digest-selected-with-pending-entries';
    await insertRunningRun(app, 'digest', runId, { shardCount: 1 });
    const selected = [...emailUsers, 'quitter'];
    const ledger = db(app).collection('campaign_run_ledger');
    await ledger.insertMany(selected.map((userId) => ({ runId, userId, shard: 0, status: 'pending' })));
    expect((await app.get(RunCompletion).recount(runId)).pending).toBe(selected.length);
    // Resuming finds the shard by its pending entries.
    expect(await app.get(CampaignRunShardRepository).findUnfinished(runId)).toEqual([]);

    await app.get(ShardFanOut).process(runId, 0, true);
    const run = await waitForRun(app, runId);
    expect(run.state).toBe('completed');
    // The digest's cap holds every user this week; each entry is settled as done, with its notification.
    expect(run.counts).toMatchObject({ audience: 6, pending: 0, eligible: 0 });
    expect(await ledger.countDocuments({ runId, status: 'done' })).toBe(selected.length);
    expect(await app.get(RunExplainService).explain(runId, 'ana')).toMatchObject({
      ledger: { status: 'done', shard: 0 },
      notification: { state: 'suppressed' },
    });
  });

  it('keeps a render that a run stored again after an erasure began (the run created a notification with it)', async () => {
    const renders = app.get(MessageRenderRepository);
    const rendered = pushRender('Erasure race', 'kept');
    const started = new Date(Date.now() - 1000);
    await renders.storeMany([{ renderId: 'race-stored-again', rendered }], new Date(started.getTime() - 60_000));
    await renders.storeMany([{ renderId: 'race-stale', rendered }], new Date(started.getTime() - 60_000));
    // The run's second store lands after the erasure began and before its delete.
    await renders.storeMany([{ renderId: 'race-stored-again', rendered }], new Date());
    expect(await renders.deleteMany(['race-stored-again', 'race-stale'], started)).toBe(1);
    const left = await db(app)
      .collection('message_renders')
      .distinct('renderId', { renderId: /^race-/ });
    expect(left).toEqual(['race-stored-again']);
  });

  it('reads a render it stored from memory: its delivery jobs do not ask the database for it again', async () => {
    const renders = app.get(MessageRenderRepository);
    const rendered = pushRender('Stored here', 'read back from memory');
    await renders.storeMany([{ renderId: 'stored-here', rendered }], new Date());
    // Gone from the collection behind the repository's back: only a read of the database would miss it.
    await db(app).collection('message_renders').deleteOne({ renderId: 'stored-here' });
    expect(await renders.rendersOf([{ renderId: 'stored-here' } as NotificationMessage])).toEqual([rendered]);
  });
});

/** A push render without links, to store as a run would. */
function pushRender(title: string, body: string): RenderedMessage {
  return { channel: 'push', title, body, data: {}, links: [], truncated: [] } as unknown as RenderedMessage;
}
