import { getQueueToken } from '@nestjs/bull';
import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bull';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { RunCompletion } from '../../../src/modules/campaigns/runs/run-completion';
import { DeliveryMetrics } from '../../../src/modules/delivery/delivery.metrics';
import { DELIVERY_QUEUE } from '../../../src/modules/delivery/jobs/delivery.queue';
import { NotificationBatchDelivery } from '../../../src/modules/delivery/notification-batch-delivery.service';
import { NotificationDeliveryService } from '../../../src/modules/delivery/notification-delivery.service';
import { NotificationRepository } from '../../../src/modules/delivery/notification.repository';
import { RunTally } from '../../../src/modules/delivery/run-tally';
import { FakeRequest, HttpFake } from '../../setup/providers/http-fake';
import { campaignsDir, seedUser } from '../campaigns/campaigns-harness';
import {
  activate,
  db,
  DIGEST_CAMPAIGN,
  KITCHEN_JOURNEY,
  notificationsOf,
  queuedDigestRun,
  startSending,
  until,
  waitForRun,
} from './sending-harness';

/** One email a day, whichever campaign sends it. */
const DAILY_EMAIL = [{ max: 1, withinHours: 24, scope: 'channel' }];

/**
 * An attempt taken over while its request was with the provider: its acceptance arrives after the takeover's
 * claim, while the takeover's own request is out, and the provider refuses that second copy (a webhook
 * receiver answering 409 to an Idempotency-Key it has seen) or asks for it again later. The message went out:
 * the notification is sent, with the first acceptance, and keeps its frequency-cap slot.
 */
describe('a late acceptance of an attempt taken over, and the takeover refused', () => {
  let sending: Awaited<ReturnType<typeof startSending>>;
  let receiver: HttpFake;
  let app: INestApplicationContext;
  const received: FakeRequest[] = [];
  /** Per notification id: what the receiver's first acceptance writes as the second copy arrives. */
  const lateAcceptances = new Map<string, () => Promise<number>>();
  /** Per notification id: a first copy whose acceptance reaches the sender late; later copies get a 409. */
  const slowFirstCopies = new Map<string, { answer: Promise<void> }>();
  const answered = new Set<string>();

  beforeAll(async () => {
    receiver = await new HttpFake(async (request) => {
      received.push(request);
      const id = request.headers['idempotency-key'] as string;
      const slow = slowFirstCopies.get(id);
      if (slow) {
        // The first copy is accepted, but its answer reaches the sender only once `slow.answer` settles; the
        // copies after it are refused as duplicates of it.
        slowFirstCopies.delete(id);
        await slow.answer;
        return { status: 202, headers: { 'x-request-id': `req-a-${id}` } };
      }
      if (answered.has(id)) return { status: 409, body: '{"error":"duplicate idempotency key"}' };
      const late = lateAcceptances.get(id);
      if (!late) return { status: 202, headers: { 'x-request-id': `req-${received.length}` } };
      // The receiver refuses the second copy as a duplicate, or (for Cy's) is briefly unavailable.
      const status = await late();
      return { status, body: '{"error":"duplicate idempotency key"}' };
    }).listen();
    const url = `${receiver.baseUrl}/hooks/journeycast`;
    sending = await startSending('late-acceptance', {
      CAMPAIGNS_DIR: campaignsDir([
        { ...DIGEST_CAMPAIGN, id: 'crm-digest', category: 'crm-digest', frequencyCaps: DAILY_EMAIL, webhook: { url } },
      ]),
      DELIVERY_WEBHOOK_CHANNEL: 'http',
      WEBHOOK_SIGNING_SECRET: 'whsec_0123456789abcdef0123456789abcdef',
      DELIVERY_RATE_WEBHOOK: '0',
      // Renewed every 200 s: a lease made to lapse by the test stays lapsed while it stages the takeover.
      DELIVERY_LEASE_MS: '600000',
    });
    app = sending.app;
    await activate(app, 'crm-digest');
    for (const userId of ['ana', 'ben', 'cy']) {
      await seedUser(app, userId, {
        now: new Date(),
        profile: { email: `${userId}@example.com`, consent: { email: true, push: false } },
        journeys: [KITCHEN_JOURNEY],
      });
    }
  });

  afterAll(async () => {
    await sending?.stop();
    await receiver?.stop();
  });

  it('settles it as sent with the first acceptance, one by one or in a batch, and keeps its cap slot', async () => {
    const { runId, ids } = await queuedDigestRun(app, 3, 'crm-digest');
    const notifications = app.get(NotificationRepository);
    const tally = app.get(RunTally);
    const acceptedAt = new Date(Date.now() - 5_000);
    for (const [userId, id] of ids) {
      const queued = (await notifications.findById(id))!;
      // Attempt A claimed it, and its lease lapsed while its request was with the receiver.
      const attemptA = `attempt-a-${userId}`;
      await notifications.startAttempt(id, attemptA, new Date(), new Date(Date.now() - 1));
      await tally.notifications(runId, 'queued', 'sending', undefined);
      // The receiver accepted A's copy; the acceptance is written, as an attempt's always is, whatever holds
      // the notification then: here while the takeover's copy is with the receiver.
      lateAcceptances.set(id, async () => {
        await notifications.recordTarget(id, 0, {
          to: queued.targets[0].to,
          state: 'accepted',
          provider: 'webhook',
          providerMessageId: `req-a-${userId}`,
          acceptedAt,
          response: 'HTTP 202',
        });
        return userId === 'cy' ? 503 : 409;
      });
      if (userId === 'ben' && (await notifications.recover(id, attemptA, new Date()))) {
        await tally.notifications(runId, 'sending', 'queued', undefined);
      }
    }

    // Ana's and Cy's takeovers are one-by-one jobs (each takes the lapsed claim over itself), Ben's a batch.
    await app.get(NotificationDeliveryService).deliver(ids.get('ana')!);
    await app.get(NotificationBatchDelivery).deliverMany([ids.get('ben')!]);
    // Asked to try Cy's copy again later, it has nothing left to try: it is sent now, not retried.
    expect(await app.get(NotificationDeliveryService).deliver(ids.get('cy')!)).toEqual({ kind: 'done' });
    expect(received).toHaveLength(3);

    const byUser = await notificationsOf(app, runId);
    for (const userId of ['ana', 'ben', 'cy']) {
      const n = byUser.get(userId)!;
      expect(n).toMatchObject({
        state: 'sent',
        sentAt: acceptedAt,
        targets: [{ state: 'accepted', provider: 'webhook', providerMessageId: `req-a-${userId}` }],
      });
      expect(n.reason).toBeUndefined();
      expect(n.attempts.map((a) => a.outcome)).toEqual(['interrupted', 'accepted']);
    }
    await app.get<Queue>(getQueueToken(DELIVERY_QUEUE)).resume(true);
    const run = await waitForRun(app, runId);
    expect(run.counts).toMatchObject({ sent: 3, failed: 0, queued: 0, sending: 0 });
    expect(await app.get(RunCompletion).counts(runId)).toEqual(run.counts);

    // Each went out today: the next message of the day is refused by the daily cap.
    lateAcceptances.clear();
    const { runId: next } = await app.get(CampaignRunsService).startManual('crm-digest', 'test');
    expect((await waitForRun(app, next)).counts).toMatchObject({ sent: 0, suppressed: { 'frequency-cap': 3 } });
    expect(received).toHaveLength(3);
  });

  it('settles it as sent when the acceptance arrives after the takeover ended failed, and keeps its cap slot', async () => {
    for (const userId of ['dan', 'eve', 'fay']) {
      await seedUser(app, userId, {
        now: new Date(),
        profile: { email: `${userId}@example.com`, consent: { email: true, push: false } },
        journeys: [KITCHEN_JOURNEY],
      });
    }
    // Fay's message waits in the queue until the end: the run is not finished while the others are settled.
    const { runId, ids } = await queuedDigestRun(app, 3, 'crm-digest');
    const notifications = db(app).collection('notifications');
    let answer!: () => void;
    const firstAnswers = new Promise<void>((resolve) => (answer = resolve));
    const [dan, eve] = [ids.get('dan')!, ids.get('eve')!];
    for (const id of [dan, eve]) slowFirstCopies.set(id, { answer: firstAnswers });
    const before = received.length;

    // Attempt A: Dan's a one-by-one job, Eve's a batch. Their copies are with the receiver, which accepts them.
    const single = app.get(NotificationDeliveryService);
    const attemptsA = Promise.all([single.deliver(dan), app.get(NotificationBatchDelivery).deliverMany([eve])]);
    await until(async () => received.length === before + 2);
    // Their workers stall: the leases lapse, another worker takes both over and sends again, and the receiver
    // refuses the second copies as duplicates: the takeovers end failed.
    await notifications.updateMany(
      { notificationId: { $in: [dan, eve] } },
      { $set: { 'sending.leaseUntil': new Date(Date.now() - 1) } },
    );
    for (const id of [dan, eve]) answered.add(id);
    for (const id of [dan, eve]) await single.deliver(id);
    expect(received).toHaveLength(before + 4);
    expect((await notificationsOf(app, runId)).get('dan')).toMatchObject({ state: 'failed' });

    // Then the first copies' acceptances reach their stalled workers.
    answer();
    await attemptsA;
    const byUser = await notificationsOf(app, runId);
    for (const [userId, id] of [
      ['dan', dan],
      ['eve', eve],
    ]) {
      const n = byUser.get(userId)!;
      expect(n).toMatchObject({
        state: 'sent',
        sentAt: n.targets[0].acceptedAt,
        targets: [{ state: 'accepted', provider: 'webhook', providerMessageId: `req-a-${id}` }],
      });
      expect(n.reason).toBeUndefined();
    }
    await app.get<Queue>(getQueueToken(DELIVERY_QUEUE)).resume(true);
    const run = await waitForRun(app, runId);
    expect(run.counts).toMatchObject({ sent: 3, failed: 0, queued: 0, sending: 0 });
    expect(await app.get(RunCompletion).counts(runId)).toEqual(run.counts);

    // Each went out today: the next message of the day is refused by the daily cap.
    const { runId: next } = await app.get(CampaignRunsService).startManual('crm-digest', 'test');
    await waitForRun(app, next);
    const capped = await notificationsOf(app, next);
    for (const userId of ['dan', 'eve']) {
      expect(capped.get(userId)).toMatchObject({ state: 'suppressed', reason: { code: 'frequency-cap' } });
    }

    // The counters agree with the stored states: a failure a late acceptance overruled is counted as sent after
    // a failure, which the failures' count less those gives.
    const metrics = app.get(DeliveryMetrics);
    await metrics.flush();
    const counted = async (event: string, reason?: string) =>
      (await metrics.read())
        .filter(
          (c) => c.campaignId === 'crm-digest' && c.event === event && (reason === undefined || c.reason === reason),
        )
        .reduce((sum, c) => sum + c.count, 0);
    const stored = (state: string) => notifications.countDocuments({ campaignId: 'crm-digest', state });
    expect(await counted('sent')).toBe(await stored('sent'));
    expect((await counted('failed')) - (await counted('sent', 'after-failure'))).toBe(await stored('failed'));
    expect(await counted('sent', 'after-failure')).toBe(2);
  });
  it('settles it as sent when the acceptance is written while the takeover ends failed', async () => {
    await seedUser(app, 'gus', {
      now: new Date(),
      profile: { email: 'gus@example.com', consent: { email: true, push: false } },
      journeys: [KITCHEN_JOURNEY],
    });
    const { runId, ids } = await queuedDigestRun(app, 1, 'crm-digest');
    const gus = ids.get('gus')!;
    const notifications = app.get(NotificationRepository);
    const single = app.get(NotificationDeliveryService);
    const queued = (await notifications.findById(gus))!;
    // Attempt A claimed it, and its lease lapsed while its copy was with the receiver.
    await notifications.startAttempt(gus, 'attempt-a-gus', new Date(), new Date(Date.now() - 1));
    await app.get(RunTally).notifications(runId, 'queued', 'sending', undefined);
    // The takeover's copy is refused as a duplicate of A's.
    answered.add(gus);
    const acceptedAt = new Date(Date.now() - 5_000);
    const finishAttempt = notifications.finishAttempt.bind(notifications);
    const ending = jest.spyOn(notifications, 'finishAttempt').mockImplementationOnce(async (...args) => {
      // A's acceptance reaches its worker as the takeover ends: written, and read back while still being sent.
      await notifications.recordTarget(gus, 0, {
        to: queued.targets[0].to,
        state: 'accepted',
        provider: 'webhook',
        providerMessageId: 'req-a-gus',
        acceptedAt,
        response: 'HTTP 202',
      });
      await single.acceptedLate(queued);
      return finishAttempt(...args);
    });

    await single.deliver(gus);
    ending.mockRestore();

    const n = (await notificationsOf(app, runId)).get('gus')!;
    expect(n).toMatchObject({ state: 'sent', sentAt: acceptedAt, targets: [{ state: 'accepted' }] });
    expect(n.reason).toBeUndefined();
  });
});
