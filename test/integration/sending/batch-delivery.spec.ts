import { getQueueToken } from '@nestjs/bull';
import { INestApplicationContext } from '@nestjs/common';
import { Job, Queue } from 'bull';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { RunCompletion } from '../../../src/modules/campaigns/runs/run-completion';
import { RunExplainService } from '../../../src/modules/campaigns/runs/run-explain.service';
import { DELIVERY_QUEUE } from '../../../src/modules/delivery/jobs/delivery.queue';
import { NotificationBatchDelivery } from '../../../src/modules/delivery/notification-batch-delivery.service';
import { NotificationRepository } from '../../../src/modules/delivery/notification.repository';
import { PutUserDto } from '../../../src/modules/ingest/dto/put-user.dto';
import { UsersService } from '../../../src/modules/ingest/users.service';
import { RankingExampleRepository } from '../../../src/modules/ranking/ranking-example.repository';
import { RecipientPreferences } from '../../../src/modules/tracking/notification-tracking';
import { RecipientPreferencesService } from '../../../src/modules/tracking/recipient-preferences.service';
import { buildUserProfile } from '../../factories/user.factory';
import { SmtpSink } from '../../setup/smtp-sink';
import { db, DIGEST_CAMPAIGN, notificationsOf, startDigestSending, waitForRun } from './sending-harness';

const senders = ['ana', 'ben', 'cy', 'dee'];

/**
 * Delivery in batches: a run's notifications are queued while this worker takes no delivery job, the
 * recipients change their minds after the fan-out, then one batch delivers them all. What was decided
 * at fan-out is asked again at send time, a provider's refusal is acted on, and a second delivery of the
 * same batch sends nothing.
 */
describe('batch delivery of a run', () => {
  let sink: SmtpSink;
  let app: INestApplicationContext;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ app, sink, stop } = await startDigestSending('batch-delivery', [...senders, 'leaver', 'bounced', 'unknown'], {
      DELIVERY_BATCH_SIZE: '3',
    }));
  });

  /** A manual run of the digest whose notifications (one per sender) wait queued: this worker's delivery is paused. */
  async function queuedRun(): Promise<{ deliveries: Queue; runId: string }> {
    const deliveries = app.get<Queue>(getQueueToken(DELIVERY_QUEUE));
    await deliveries.pause(true);
    const runs = app.get(CampaignRunsService);
    const { runId } = await runs.startManual(DIGEST_CAMPAIGN.id, 'test');
    await carriedByWaitingJobs(deliveries, senders.length);
    return { deliveries, runId };
  }

  /**
   * The notification ids that the queue's waiting delivery jobs carry, once they are `count`: a run counts a
   * notification as queued when it is stored, a moment before its delivery job is enqueued.
   */
  async function carriedByWaitingJobs(deliveries: Queue, count: number): Promise<{ jobs: Job[]; carried: string[] }> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const jobs = await deliveries.getWaiting();
      const carried = jobs.flatMap((job) => {
        const data = job.data as { notificationId?: string; notificationIds?: string[] };
        return data.notificationIds ?? [data.notificationId!];
      });
      if (carried.length >= count || Date.now() > deadline) return { jobs, carried };
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  afterAll(async () => {
    await stop?.();
  });

  it('asks consent again at send time, acts on a hard bounce, and sends each message once', async () => {
    const deliveries = app.get<Queue>(getQueueToken(DELIVERY_QUEUE));
    await deliveries.pause(true);
    const runs = app.get(CampaignRunsService);
    const { runId } = await runs.startManual(DIGEST_CAMPAIGN.id, 'test');
    // The fan-out queues all seven; with this worker's delivery paused, nothing is sent yet.
    const { jobs: waiting, carried } = await carriedByWaitingJobs(deliveries, 7);
    expect(sink.messages).toHaveLength(0);
    // DELIVERY_BATCH_SIZE caps every batch job; together the jobs carry each notification once.
    expect(
      Math.max(...waiting.map((job) => (job.data as { notificationIds?: string[] }).notificationIds?.length ?? 1)),
    ).toBe(3);
    expect(new Set(carried).size).toBe(7);
    expect(carried).toHaveLength(7);

    const preferences = app.get(RecipientPreferencesService);
    await preferences.unsubscribe({ userId: 'leaver', category: '*', at: new Date(), source: 'page' });
    await app.get(RecipientPreferences).suppress('Bounced@Example.com', 'complaint', new Date());
    sink.replyToRecipient('unknown@example.com', 550, '5.1.1 user unknown');

    const ids = [...(await notificationsOf(app, runId)).values()].map((n) => n.notificationId);
    const batch = app.get(NotificationBatchDelivery);
    const outcomes = await batch.deliverMany(ids);
    expect([...outcomes.values()].every((o) => o.kind === 'done')).toBe(true);

    const byUser = await notificationsOf(app, runId);
    for (const userId of senders) {
      expect(sink.to(`${userId}@example.com`)).toHaveLength(1);
      expect(byUser.get(userId)).toMatchObject({
        state: 'sent',
        targets: [{ state: 'accepted', provider: 'smtp' }],
      });
      expect(byUser.get(userId)!.attempts).toEqual([expect.objectContaining({ outcome: 'accepted' })]);
    }
    expect(byUser.get('leaver')).toMatchObject({ state: 'suppressed', reason: { code: 'unsubscribed' } });
    expect(byUser.get('bounced')).toMatchObject({ state: 'suppressed', reason: { code: 'address-suppressed' } });
    expect(byUser.get('unknown')).toMatchObject({ state: 'failed', targets: [{ state: 'failed' }] });
    expect(await app.get(RecipientPreferences).suppressionOf('unknown@example.com')).toBe('hard-bounce');
    // Each sent notification is the ranker's example: its features from its creation, its acceptance's send time.
    const examples = await app
      .get(RankingExampleRepository)
      .findLabelled(new Date(0), new Date(Date.now() + 73 * 3_600_000), 72);
    expect(examples.filter((e) => senders.includes(e.userId))).toHaveLength(senders.length);
    expect(await db(app).collection('ranking_examples').countDocuments({})).toBe(0);

    // A crash after ana's acceptance was written and before her after-send records: the re-run job finds her
    // sent, writes them again and sends nothing. The same batch again, twice over (a duplicated job), likewise.
    const anaId = byUser.get('ana')!.notificationId;
    await batch.deliverMany([...ids, ...ids]);
    expect(sink.messages).toHaveLength(senders.length);
    // Her tracking is in her notification, whose acceptance wrote the send time opens and conversions go by.
    expect(await db(app).collection('notifications').findOne({ notificationId: anaId })).toMatchObject({
      sentAt: expect.any(Date),
      tracking: { links: expect.any(Array) },
    });
    expect(await db(app).collection('tracked_notifications').countDocuments({ runId })).toBe(0);

    await deliveries.resume(true);
    const run = await waitForRun(app, runId);
    expect(run.counts).toMatchObject({
      sent: 4,
      failed: 1,
      queued: 0,
      sending: 0,
      suppressed: { unsubscribed: 1, 'address-suppressed': 1 },
    });
    expect(await app.get(RunCompletion).counts(runId)).toEqual(run.counts);
    expect(sink.messages).toHaveLength(senders.length);
  });

  it("fails only the notification whose render is gone, with the reason explain shows, and sends the batch's others", async () => {
    const { deliveries, runId } = await queuedRun();
    const byUser = await notificationsOf(app, runId);
    // The render store lost ana's render (renders are shared by content, so hers points at one that is not there).
    await db(app)
      .collection('notifications')
      .updateOne({ runId, userId: 'ana' }, { $set: { 'message.renderId': 'render-that-is-gone' } });
    const before = sink.messages.length;

    const ids = senders.map((userId) => byUser.get(userId)!.notificationId);
    const outcomes = await app.get(NotificationBatchDelivery).deliverMany(ids);
    expect([...outcomes.values()].every((o) => o.kind === 'done')).toBe(true);

    const after = await notificationsOf(app, runId);
    expect(after.get('ana')).toMatchObject({ state: 'failed', reason: { code: 'render-missing' }, attempts: [] });
    for (const userId of senders.filter((u) => u !== 'ana')) expect(after.get(userId)!.state).toBe('sent');
    expect(sink.messages.length - before).toBe(senders.length - 1);
    expect(sink.messages.slice(before).some((m) => m.to.includes('ana@example.com'))).toBe(false);
    const why = await app.get(RunExplainService).explain(runId, 'ana');
    expect(why.notification).toMatchObject({ state: 'failed', reason: { code: 'render-missing' } });
    expect(why.summary).toBe("failed before any attempt: the message's render is not in the render store");

    await deliveries.resume(true);
    const run = await waitForRun(app, runId);
    expect(run.counts).toMatchObject({ sent: senders.length - 1, failed: 1, queued: 0, sending: 0 });
    expect(await app.get(RunCompletion).counts(runId)).toEqual(run.counts);
  });

  it("has a message's tracking, with its click links, before the provider accepts the message", async () => {
    const { deliveries, runId } = await queuedRun();
    const tracked = db(app).collection('tracked_notifications');
    const notifications = db(app).collection('notifications');
    // Carried by the notifications from their creation at fan-out, by the queued ones only: the leaver
    // (unsubscribed by the first test) is suppressed there and keeps no links of a message never sent.
    const created = await notificationsOf(app, runId);
    expect(created.get('leaver')).toMatchObject({ state: 'suppressed', reason: { code: 'unsubscribed' } });
    expect(created.get('leaver')!.tracking).toBeUndefined();
    for (const userId of senders) {
      expect(created.get(userId)).toMatchObject({ state: 'queued', tracking: { links: expect.any(Array) } });
    }
    expect(await tracked.countDocuments({ runId })).toBe(0);
    // A notification created without its tracking (stored before notifications carried it) gets a record
    // of its own at delivery, before its provider request.
    await notifications.updateOne({ runId, userId: 'ana' }, { $unset: { tracking: 1 } });
    // An open or a click can come the moment a message lands: its links must already be known.
    const seen: Array<{ userId: string; links: number }> = [];
    sink.beforeAccept = async (mail) => {
      const userId = mail.to[0].split('@')[0];
      const carried = await notifications.findOne({ runId, userId });
      const record = carried?.tracking ?? (await tracked.findOne({ runId, userId }));
      seen.push({ userId, links: (record?.links as unknown[] | undefined)?.length ?? -1 });
    };
    try {
      await deliveries.resume(true);
      await waitForRun(app, runId);
    } finally {
      sink.beforeAccept = undefined;
    }
    expect(await tracked.findOne({ runId, userId: 'ana' })).toMatchObject({ sentAt: expect.any(Date) });
    expect(seen.map((s) => s.userId).sort()).toEqual([...senders].sort());
    for (const { links } of seen) expect(links).toBeGreaterThan(0);
  });

  it('tells which claims and acceptances took effect when some did not', async () => {
    const notifications = app.get(NotificationRepository);
    const { runId } = await app.get(CampaignRunsService).startManual(DIGEST_CAMPAIGN.id, 'test');
    await waitForRun(app, runId);
    const [sent, other] = [...(await notificationsOf(app, runId)).values()].filter((n) => n.state === 'sent');
    const at = new Date();
    // A settled notification cannot be claimed, and an attempt that holds nothing cannot be recorded.
    expect(await notifications.startAttempts([sent.notificationId], 'a1', at, at)).toEqual(new Set());
    // Of a batch, only the queued notifications are claimed, and the answer says which.
    await db(app)
      .collection('notifications')
      .updateOne({ notificationId: other.notificationId }, { $set: { state: 'queued' } });
    expect(await notifications.startAttempts([sent.notificationId, other.notificationId], 'a2', at, at)).toEqual(
      new Set([other.notificationId]),
    );
    expect(await notifications.findById(other.notificationId)).toMatchObject({
      state: 'sending',
      sending: { attemptId: 'a2' },
    });
    const attempt = { attemptId: 'a1', startedAt: at, endedAt: at, outcome: 'accepted' as const };
    const target = { ...sent.targets[0], state: 'accepted' as const };
    const written = await notifications.finishAccepted(
      [{ notificationId: sent.notificationId, index: 0, target, attempt }],
      at,
    );
    expect(written).toEqual(new Set());
    expect((await notifications.findById(sent.notificationId))!.attempts).toHaveLength(sent.attempts.length);
  });

  it('finds a suppressed address however each profile spells it, several spellings in one batch', async () => {
    const spellings = new Map([
      ['ana', 'Shared@Example.com'],
      ['ben', 'shared@example.com'],
      ['cy', 'SHARED@EXAMPLE.COM'],
    ]);
    const setEmail = (userId: string, email: string) =>
      app
        .get(UsersService)
        .putUser(userId, buildUserProfile({ consent: { email: true, push: true }, email }) as PutUserDto);
    const preferences = app.get(RecipientPreferencesService);
    for (const [userId, email] of spellings) await setEmail(userId, email);
    try {
      // A complaint about the shared address arrives after the run queued all three: nothing goes out.
      const { deliveries, runId } = await queuedRun();
      const byUser = await notificationsOf(app, runId);
      await preferences.suppress('shared@example.com', 'complaint', new Date());
      const before = sink.messages.length;
      await app
        .get(NotificationBatchDelivery)
        .deliverMany([...spellings.keys()].map((u) => byUser.get(u)!.notificationId));
      expect(sink.messages.slice(before).map((m) => m.to[0])).toEqual([]);
      const after = await notificationsOf(app, runId);
      for (const userId of spellings.keys()) {
        expect(after.get(userId)).toMatchObject({ state: 'suppressed', reason: { code: 'address-suppressed' } });
      }
      await deliveries.resume(true);
      await waitForRun(app, runId);

      // The next run skips all three as it composes their messages.
      const { runId: next } = await app.get(CampaignRunsService).startManual(DIGEST_CAMPAIGN.id, 'test');
      await waitForRun(app, next);
      const skipped = await notificationsOf(app, next);
      for (const userId of spellings.keys()) {
        expect(skipped.get(userId)).toMatchObject({ state: 'suppressed', reason: { guard: 'suppressed' } });
      }
      expect(sink.messages.slice(before).filter((m) => /^shared@/i.test(m.to[0]))).toEqual([]);
    } finally {
      await preferences.lift('shared@example.com');
      for (const userId of spellings.keys()) await setEmail(userId, `${userId}@example.com`);
    }
  });
});
