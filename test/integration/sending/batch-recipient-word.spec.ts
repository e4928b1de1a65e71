import { getQueueToken } from '@nestjs/bull';
import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bull';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { RunCompletion } from '../../../src/modules/campaigns/runs/run-completion';
import { RunExplainService } from '../../../src/modules/campaigns/runs/run-explain.service';
import { DELIVERY_QUEUE } from '../../../src/modules/delivery/jobs/delivery.queue';
import { NotificationBatchDelivery } from '../../../src/modules/delivery/notification-batch-delivery.service';
import { NotificationDeliveryService } from '../../../src/modules/delivery/notification-delivery.service';
import { NotificationLifecycle } from '../../../src/modules/delivery/notification-lifecycle';
import { Notification } from '../../../src/modules/delivery/domain/notification';
import { NotificationRepository } from '../../../src/modules/delivery/notification.repository';
import { RunTally } from '../../../src/modules/delivery/run-tally';
import { PutUserDto } from '../../../src/modules/ingest/dto/put-user.dto';
import { UserRepository } from '../../../src/modules/ingest/user.repository';
import { UsersService } from '../../../src/modules/ingest/users.service';
import { RecipientPreferencesService } from '../../../src/modules/tracking/recipient-preferences.service';
import { UnsubscribeRepository } from '../../../src/modules/tracking/unsubscribe.repository';
import { SmtpSink } from '../../setup/smtp-sink';
import { seedUser } from '../campaigns/campaigns-harness';
import {
  KITCHEN_JOURNEY,
  notificationsOf,
  queuedDigestRun,
  startDigestSending,
  until,
  waitForRun,
} from './sending-harness';

const users = ['ana', 'ben', 'cy', 'dee'];

/** The time, on the clock of a worker that found the batch stalled, just after the claim's lease lapsed. */
const pastLease = (held: Notification) => new Date(held.sending!.leaseUntil.getTime() + 1);

/**
 * What the recipient says while a batch is under way: a batch claims its notifications together, then sends
 * them one provider request after another. Withdrawn consent, an unsubscribe and an erasure stop every send
 * that starts after them, and an acceptance that arrives after another worker took the notification over is
 * still recorded, so that worker sends nothing again.
 */
describe('a batch and the recipient changing their mind', () => {
  let sink: SmtpSink;
  let app: INestApplicationContext;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    // One provider request at a time: the order of a batch's sends is known.
    ({ app, sink, stop } = await startDigestSending('batch-recipient-word', users, {
      DELIVERY_BATCH_SIZE: '10',
      DELIVERY_CONCURRENCY: '1',
    }));
  });

  afterAll(async () => {
    await stop?.();
  });

  const sentSince = (before: number) => sink.messages.slice(before).map((m) => m.to[0]);

  const queuedRun = () => queuedDigestRun(app, users.length);

  /** Lets the run finish through the queue, and checks its live counters against its records. */
  async function finish(runId: string) {
    await app.get<Queue>(getQueueToken(DELIVERY_QUEUE)).resume(true);
    const run = await waitForRun(app, runId);
    expect(await app.get(RunCompletion).counts(runId)).toEqual(run.counts);
    return run;
  }

  const setConsent = (userId: string, email: boolean) =>
    app
      .get(UsersService)
      .putUser(userId, { email: `${userId}@example.com`, consent: { email, push: email } } as PutUserDto);

  /**
   * `change` runs after the run's notifications were queued; ana's goes out in a batch with cy's and dee's,
   * ben's one by one, and ana's and ben's must be suppressed for `reason` with no attempt.
   */
  async function refusedAtSendTime(change: () => Promise<void>, reason: { code: string; rule: string }) {
    const { runId, ids } = await queuedRun();
    const before = sink.messages.length;
    try {
      await change();
      await app.get(NotificationBatchDelivery).deliverMany([ids.get('ana')!, ids.get('cy')!, ids.get('dee')!]);
      await app.get(NotificationDeliveryService).deliver(ids.get('ben')!);
      expect(sentSince(before).sort()).toEqual(['cy@example.com', 'dee@example.com']);
      const after = await notificationsOf(app, runId);
      for (const userId of ['ana', 'ben']) {
        expect(after.get(userId)).toMatchObject({ state: 'suppressed', reason, attempts: [] });
      }
      const run = await finish(runId);
      expect(run.counts).toMatchObject({ sent: 2, suppressed: { [reason.code]: 2 } });
    } finally {
      for (const userId of ['ana', 'ben', 'cy']) await setConsent(userId, true);
    }
  }

  it('asks consent again at send time, in a batch and one by one', () =>
    // Both withdraw consent to email after their notification was queued.
    refusedAtSendTime(
      async () => {
        await setConsent('ana', false);
        await setConsent('ben', false);
      },
      { code: 'no-consent', rule: 'consent.email' },
    ));

  it('sends nothing to an address the user replaced after the message was queued, in a batch and one by one', () => {
    const moveTo = (userId: string, email: string) =>
      app.get(UsersService).putUser(userId, { email, consent: { email: true, push: true } } as PutUserDto);
    // Both give a new address after their notification was queued; cy only writes theirs in other case.
    return refusedAtSendTime(
      async () => {
        await moveTo('ana', 'ana@elsewhere.example');
        await moveTo('ben', 'ben@elsewhere.example');
        await moveTo('cy', 'Cy@Example.com');
      },
      { code: 'no-address', rule: 'email' },
    );
  });

  it('records an acceptance that arrives after its lapsed claim was taken over, and sends it once', async () => {
    const { runId, ids } = await queuedRun();
    const anaId = ids.get('ana')!;
    const notifications = app.get(NotificationRepository);
    const before = sink.messages.length;
    let tookOver = false;
    // While ana's message is with the provider, another worker finds the batch's lease lapsed (its heartbeat
    // stalled) and takes the notification over: the batch's attempt is logged as interrupted.
    sink.beforeAccept = async (mail) => {
      if (tookOver || !mail.to.includes('ana@example.com')) return;
      const held = await notifications.findById(anaId);
      tookOver = await notifications.recover(anaId, held!.sending!.attemptId, pastLease(held!));
      // As the worker taking over does: its live counters move the notification back to queued.
      if (tookOver) await app.get(RunTally).notifications(runId, 'sending', 'queued', undefined);
    };
    try {
      await app.get(NotificationBatchDelivery).deliverMany([ids.get('ana')!]);
    } finally {
      sink.beforeAccept = undefined;
    }
    expect(tookOver).toBe(true);
    const { acceptedAt } = (await notificationsOf(app, runId)).get('ana')!.targets[0];
    expect(acceptedAt).toEqual(expect.any(Date));
    // The worker that took over carries on a while later, finds the target accepted and sends nothing again.
    await new Promise((r) => setTimeout(r, 50));
    await app.get(NotificationDeliveryService).deliver(anaId);
    expect(sentSince(before).filter((to) => to === 'ana@example.com')).toHaveLength(1);
    // Sent when the provider accepted it: opens, clicks and the ranker's example go by that time. Nothing held
    // it back, so it has no reason, and explain shows none.
    const ana = (await notificationsOf(app, runId)).get('ana')!;
    expect(ana).toMatchObject({ state: 'sent', sentAt: acceptedAt });
    expect(ana.reason).toBeUndefined();
    const why = await app.get(RunExplainService).explain(runId, 'ana');
    expect(why.notification).toMatchObject({ state: 'sent' });
    expect(why.notification!.reason).toBeUndefined();
    await finish(runId);
  });

  /**
   * While ana's message is with the provider, another worker takes the lapsed claim over (`takeOver`) and reads
   * her notification at once (target pending); the batch's acceptance is recorded before that worker claims it.
   * She gets one message, and the notification is sent with the acceptance's time.
   */
  async function acceptedBetweenReadAndClaim(takeOver: (notificationId: string) => Promise<unknown>): Promise<void> {
    const { runId, ids } = await queuedRun();
    const anaId = ids.get('ana')!;
    const notifications = app.get(NotificationRepository);
    const lifecycle = app.get(NotificationLifecycle);
    const gate = lifecycle.gate.bind(lifecycle);
    const before = sink.messages.length;
    let takeover: Promise<unknown> | undefined;
    sink.beforeAccept = async (mail) => {
      if (takeover || !mail.to.includes('ana@example.com')) return;
      const held = await notifications.findById(anaId);
      if (!(await notifications.recover(anaId, held!.sending!.attemptId, pastLease(held!)))) return;
      await app.get(RunTally).notifications(runId, 'sending', 'queued', undefined);
      jest.spyOn(lifecycle, 'gate').mockImplementationOnce(async (id) => {
        await until(async () => (await notifications.findById(anaId))!.targets[0].state === 'accepted');
        return gate(id);
      });
      takeover = takeOver(anaId);
    };
    try {
      await app.get(NotificationBatchDelivery).deliverMany([anaId]);
      await takeover;
    } finally {
      sink.beforeAccept = undefined;
      jest.restoreAllMocks();
    }
    expect(takeover).toBeDefined();
    expect(sentSince(before).filter((to) => to === 'ana@example.com')).toHaveLength(1);
    const ana = (await notificationsOf(app, runId)).get('ana')!;
    expect(ana).toMatchObject({ state: 'sent', sentAt: ana.targets[0].acceptedAt });
    expect(ana.reason).toBeUndefined();
    await finish(runId);
  }

  it('does not send again an acceptance recorded between the taking-over worker reading it and claiming it', () =>
    acceptedBetweenReadAndClaim((id) => app.get(NotificationDeliveryService).deliver(id)));

  it('does not send again an acceptance recorded between a taking-over batch reading it and claiming it', () =>
    acceptedBetweenReadAndClaim((id) => app.get(NotificationBatchDelivery).deliverMany([id])));

  it('sends nothing more to a user whose erasure began while an earlier message of the batch was in flight', async () => {
    const { runId, ids } = await queuedRun();
    const queued = [...(await notificationsOf(app, runId)).values()].filter((n) => n.state === 'queued');
    expect(queued.map((n) => n.userId).sort()).toEqual([...users].sort());
    const before = sink.messages.length;
    const profiles = app.get(UserRepository);
    const deleteProfile = profiles.deleteByUserId.bind(profiles);
    let batchDone!: () => void;
    const batchEnded = new Promise<void>((resolve) => (batchDone = resolve));
    let erased: string | undefined;
    let erasure: Promise<unknown> | undefined;
    let erasersRan = false;
    // The profile goes last, once every eraser has run; here the others take the whole batch to finish.
    jest.spyOn(profiles, 'deleteByUserId').mockImplementationOnce(async (userId) => {
      erasersRan = true;
      await batchEnded;
      return deleteProfile(userId);
    });
    const started = new Set<string>();
    // While the batch's first message is with the provider, another recipient of the batch asks to be erased:
    // their notification (claimed by the batch, waiting for its turn) is erased before their profile.
    sink.beforeAccept = async (mail) => {
      const to = mail.to[0].split('@')[0];
      started.add(to);
      if (erased) return;
      erased = users.find((u) => u !== to)!;
      erasure = app.get(UsersService).eraseUser(erased);
      await until(async () => erasersRan);
    };
    try {
      await app.get(NotificationBatchDelivery).deliverMany([...ids.values()]);
    } finally {
      sink.beforeAccept = undefined;
      batchDone();
      await erasure;
      jest.restoreAllMocks();
    }
    try {
      expect(erased).toBeDefined();
      expect(started.has(erased!)).toBe(false);
      expect(sentSince(before)).toHaveLength(users.length - 1);
      expect(sentSince(before)).not.toContain(`${erased}@example.com`);
      expect((await notificationsOf(app, runId)).has(erased!)).toBe(false);
    } finally {
      await seedUser(app, erased!, {
        now: new Date(),
        profile: { email: `${erased}@example.com` },
        journeys: [KITCHEN_JOURNEY],
      });
    }
  });

  it('asks again after the one-by-one claim: an unsubscribe stored between its check and its claim stops the send', async () => {
    const { runId, ids } = await queuedRun();
    const benId = ids.get('ben')!;
    const notifications = app.get(NotificationRepository);
    const startAttempt = notifications.startAttempt.bind(notifications);
    const before = sink.messages.length;
    let unsubscribed = false;
    // Ben leaves everything after the worker asked for his word, just before its claim lands.
    jest.spyOn(notifications, 'startAttempt').mockImplementationOnce(async (...args) => {
      await app
        .get(RecipientPreferencesService)
        .unsubscribe({ userId: 'ben', category: '*', at: new Date(), source: 'page' });
      unsubscribed = true;
      return startAttempt(...args);
    });
    try {
      await app.get(NotificationDeliveryService).deliver(benId);
      expect(unsubscribed).toBe(true);
      expect(sentSince(before)).not.toContain('ben@example.com');
      expect((await notificationsOf(app, runId)).get('ben')).toMatchObject({
        state: 'suppressed',
        reason: { code: 'unsubscribed' },
      });
      const run = await finish(runId);
      expect(run.counts).toMatchObject({ sent: users.length - 1, suppressed: { unsubscribed: 1 } });
    } finally {
      jest.restoreAllMocks();
      await app.get(UnsubscribeRepository).deleteByUser('ben');
    }
  });

  it('stops a later send of the batch for an unsubscribe stored while an earlier one was in flight', async () => {
    const { runId, ids } = await queuedRun();
    const before = sink.messages.length;
    let leaver: string | undefined;
    let storedAt = 0;
    const started = new Map<string, number>();
    // While the batch's first message is with the provider, another recipient of the batch leaves everything.
    sink.beforeAccept = async (mail) => {
      const to = mail.to[0].split('@')[0];
      started.set(to, Date.now());
      if (leaver) return;
      leaver = users.find((u) => u !== to)!;
      await app
        .get(RecipientPreferencesService)
        .unsubscribe({ userId: leaver, category: '*', at: new Date(), source: 'page' });
      storedAt = Date.now();
    };
    try {
      await app.get(NotificationBatchDelivery).deliverMany([...ids.values()]);
    } finally {
      sink.beforeAccept = undefined;
    }
    expect(leaver).toBeDefined();
    expect(started.get(leaver!)).toBeUndefined();
    expect(sentSince(before)).toHaveLength(users.length - 1);
    expect(sentSince(before)).not.toContain(`${leaver}@example.com`);
    expect((await notificationsOf(app, runId)).get(leaver!)).toMatchObject({
      state: 'suppressed',
      reason: { code: 'unsubscribed' },
    });
    expect(storedAt).toBeGreaterThan(0);
    const run = await finish(runId);
    expect(run.counts).toMatchObject({ sent: users.length - 1, suppressed: { unsubscribed: 1 } });
  });
});

/**
 * What changes under a batch while it is under way on the sender's side: the run is cancelled, or the batch
 * stalls past its lease and another worker takes its claims over.
 */
describe('a batch and its run or its lease changing under it', () => {
  let sink: SmtpSink;
  let app: INestApplicationContext;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    // One provider request at a time, and the shortest lease, so a stall can outlast it.
    ({ app, sink, stop } = await startDigestSending('batch-run-lease', users, {
      DELIVERY_BATCH_SIZE: '10',
      DELIVERY_CONCURRENCY: '1',
      DELIVERY_LEASE_MS: '1000',
    }));
  });

  afterAll(async () => {
    await stop?.();
  });

  const sentSince = (before: number) => sink.messages.slice(before).map((m) => m.to[0]);

  it('sends nothing more of a batch whose run was cancelled while its first message was in flight', async () => {
    const { runId, ids } = await queuedDigestRun(app, users.length);
    const before = sink.messages.length;
    let first: string | undefined;
    sink.beforeAccept = async (mail) => {
      if (first) return;
      first = mail.to[0];
      await app.get(CampaignRunsService).cancel(runId, 'test');
      // A worker learns of a cancel within a second, as the one-by-one path does.
      await new Promise((r) => setTimeout(r, 1_100));
    };
    try {
      await app.get(NotificationBatchDelivery).deliverMany([...ids.values()]);
    } finally {
      sink.beforeAccept = undefined;
    }
    expect(sentSince(before)).toEqual([first]);
    const after = [...(await notificationsOf(app, runId)).values()];
    expect(after.filter((n) => n.state === 'sent').map((n) => `${n.userId}@example.com`)).toEqual([first]);
    for (const n of after.filter((x) => x.state !== 'sent')) {
      expect(n).toMatchObject({ reason: { code: 'run-cancelled' } });
      expect(n.targets[0].state).not.toBe('accepted');
    }
    await app.get<Queue>(getQueueToken(DELIVERY_QUEUE)).resume(true);
    const run = await waitForRun(app, runId);
    expect(run).toMatchObject({ state: 'cancelled' });
    expect(await app.get(RunCompletion).counts(runId)).toEqual(run.counts);
  });

  it('sends nothing that another worker took over and sent while the batch stalled past its lease', async () => {
    const { runId, ids } = await queuedDigestRun(app, users.length);
    const notifications = app.get(NotificationRepository);
    const single = app.get(NotificationDeliveryService);
    const before = sink.messages.length;
    // The batch's lease renewals fail (its database writes time out) while its first message is with the provider.
    jest.spyOn(notifications, 'extendLeases').mockRejectedValue(new Error('write timed out'));
    let first: string | undefined;
    const tookOver: string[] = [];
    sink.beforeAccept = async (mail) => {
      if (first) return;
      first = mail.to[0];
      await new Promise((r) => setTimeout(r, 1_300));
      // The delivery jobs of the batch's other messages, on another worker, find the lease lapsed: each takes its
      // message over and sends it.
      for (const [userId, id] of ids) {
        if (`${userId}@example.com` === first) continue;
        await single.deliver(id);
        tookOver.push(`${userId}@example.com`);
      }
    };
    try {
      await app.get(NotificationBatchDelivery).deliverMany([...ids.values()]);
    } finally {
      sink.beforeAccept = undefined;
      jest.restoreAllMocks();
    }
    expect(tookOver).toHaveLength(users.length - 1);
    // Each user has one message: the first from the batch, the others from the worker that took them over.
    expect(sentSince(before).sort()).toEqual(users.map((u) => `${u}@example.com`).sort());
    const after = [...(await notificationsOf(app, runId)).values()];
    expect(after.map((n) => n.state)).toEqual(users.map(() => 'sent'));
    await app.get<Queue>(getQueueToken(DELIVERY_QUEUE)).resume(true);
    const run = await waitForRun(app, runId);
    expect(run.counts).toMatchObject({ sent: users.length });
    expect(await app.get(RunCompletion).counts(runId)).toEqual(run.counts);
  });

  it('takes over no attempt whose lease was renewed after another worker read it as lapsed', async () => {
    const { runId, ids } = await queuedDigestRun(app, users.length);
    const notifications = app.get(NotificationRepository);
    const id = ids.get('ana')!;
    const now = Date.now();
    expect(await notifications.startAttempt(id, 'stalled', new Date(now), new Date(now + 10))).toBeDefined();
    await app.get(RunTally).notifications(runId, 'queued', 'sending', undefined);
    await new Promise((r) => setTimeout(r, 20));
    // Another worker reads the lease lapsed; the attempt's renewal lands before that worker's takeover.
    const lapsed = (await notifications.findById(id))!;
    expect(lapsed.sending!.leaseUntil.getTime()).toBeLessThan(Date.now());
    expect(await notifications.extendLease(id, 'stalled', new Date(Date.now() + 60_000))).toBe(true);
    expect(await notifications.recover(id, 'stalled', new Date())).toBe(false);
    expect(await notifications.findById(id)).toMatchObject({ state: 'sending', sending: { attemptId: 'stalled' } });
    // Once it lapses for good, the takeover lands and the renewal fails.
    expect(await notifications.recover(id, 'stalled', new Date(Date.now() + 60_001))).toBe(true);
    expect(await notifications.extendLease(id, 'stalled', new Date(Date.now() + 60_000))).toBe(false);
    await app.get(RunTally).notifications(runId, 'sending', 'queued', undefined);
    await app.get<Queue>(getQueueToken(DELIVERY_QUEUE)).resume(true);
    const run = await waitForRun(app, runId);
    expect(run.counts).toMatchObject({ sent: users.length });
    expect(await app.get(RunCompletion).counts(runId)).toEqual(run.counts);
  });
});
