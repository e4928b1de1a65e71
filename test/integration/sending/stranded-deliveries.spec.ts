import { getQueueToken } from '@nestjs/bull';
import { INestApplicationContext } from '@nestjs/common';
import { Job, Queue } from 'bull';
import { CampaignRunRepository } from '../../../src/modules/campaigns/runs/campaign-run.repository';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { RunHooks } from '../../../src/modules/campaigns/runs/run-hooks';
import { DeliveryMetrics } from '../../../src/modules/delivery/delivery.metrics';
import { DELIVERY_JOBS, DELIVERY_QUEUE, DeliveryProducer } from '../../../src/modules/delivery/jobs/delivery.queue';
import { StrandedDeliveries } from '../../../src/modules/delivery/stranded-deliveries';
import { SmtpSink } from '../../setup/smtp-sink';
import { zoneAt } from '../../setup/zones';
import { campaignsDir, seedUser } from '../campaigns/campaigns-harness';
import {
  activate,
  DIGEST_CAMPAIGN,
  KITCHEN_JOURNEY,
  NIGHTLY_CAMPAIGN,
  notificationsOf,
  queuedDigestRun,
  startSending,
  until,
  waitForRun,
} from './sending-harness';

const users = ['ana', 'ben', 'cleo'];

/**
 * A queued message is sent only by its delivery job in Redis. A job lost (Redis's data lost, a job Bull gave up
 * on) leaves the message queued for good and its run running, unless the sweep of stranded messages gives it a
 * job again; it must leave alone a message whose job is merely waiting, and one a paused run parked.
 */
describe('the sweep of stranded messages', () => {
  let sink: SmtpSink;
  let app: INestApplicationContext;
  let stop: () => Promise<void>;
  let deliveries: Queue;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    ({ app, stop } = await startSending('stranded-deliveries', {
      CAMPAIGNS_DIR: campaignsDir([DIGEST_CAMPAIGN, NIGHTLY_CAMPAIGN]),
      SMTP_URL: sink.url,
      DELIVERY_STRANDED_AFTER_MS: '1000',
    }));
    await activate(app, DIGEST_CAMPAIGN.id, NIGHTLY_CAMPAIGN.id);
    for (const userId of users) {
      await seedUser(app, userId, {
        now: new Date(),
        profile: { email: `${userId}@example.com`, timeZone: zoneAt(14) },
        journeys: [KITCHEN_JOURNEY],
      });
    }
    deliveries = app.get<Queue>(getQueueToken(DELIVERY_QUEUE));
  });

  afterAll(async () => {
    await stop?.();
    await sink?.stop();
  });

  /** The delivery jobs that wait or are delayed, by the notification ids they carry. */
  async function pendingJobsOf(notificationId: string): Promise<number> {
    const jobs = (await deliveries.getJobs(['waiting', 'delayed', 'active'])) as Job[];
    return jobs.filter((job) => {
      const data = job.data as { notificationId?: string; notificationIds?: string[] };
      return data.notificationId === notificationId || data.notificationIds?.includes(notificationId);
    }).length;
  }

  it('sends every message of a run whose delivery jobs were lost once, and completes the run', async () => {
    const { runId } = await queuedDigestRun(app, users.length);
    // Redis lets go of the run's delivery jobs before any worker takes them.
    await deliveries.empty();
    await deliveries.resume(true);
    await new Promise((r) => setTimeout(r, 1_200));
    expect([...(await notificationsOf(app, runId)).values()].map((n) => n.state)).toEqual([
      'queued',
      'queued',
      'queued',
    ]);
    expect((await app.get(CampaignRunsService).get(runId)).state).toBe('running');

    // Every second, as the scheduler registers it (every minute by default).
    await app.get(DeliveryProducer).scheduleStrandedSweep('* * * * * *');
    try {
      const run = await waitForRun(app, runId, 15_000);
      expect(run).toMatchObject({ state: 'completed', counts: { sent: users.length } });
      // Sweeps after the sends find nothing more to do.
      await new Promise((r) => setTimeout(r, 2_100));
      for (const user of users) expect(sink.to(`${user}@example.com`)).toHaveLength(1);
    } finally {
      for (const schedule of await deliveries.getRepeatableJobs()) {
        if (schedule.name === DELIVERY_JOBS.redeliverStranded) await deliveries.removeRepeatableByKey(schedule.key);
      }
    }
    const metrics = app.get(DeliveryMetrics);
    await metrics.flush();
    const redelivered = (await metrics.read()).filter((c) => c.event === 'redelivered');
    expect(redelivered).toEqual([
      { event: 'redelivered', campaignId: DIGEST_CAMPAIGN.id, channel: 'email', reason: 'queued', count: 3 },
    ]);
  });

  it('leaves alone a message whose job waits for the end of the night', async () => {
    await seedUser(app, 'owl', {
      now: new Date(),
      profile: { email: 'owl@example.com', timeZone: zoneAt(2) },
      journeys: [KITCHEN_JOURNEY],
    });
    const { runId } = await app.get(CampaignRunsService).startManual(NIGHTLY_CAMPAIGN.id, 'test');
    const owl = async () => (await notificationsOf(app, runId)).get('owl');
    const othersSent = async () =>
      [...(await notificationsOf(app, runId)).values()].filter((n) => n.state === 'sent').length === users.length;
    await until(othersSent, 20_000);
    await until(async () => (await owl())?.state === 'queued' && (await owl())?.notBefore !== undefined, 10_000);
    await until(async () => (await pendingJobsOf((await owl())!.notificationId)) === 1, 10_000);

    // A minute on: every other message of the run is long sent, and the owl's is still not due.
    const sweep = await app.get(StrandedDeliveries).redeliver(new Date(Date.now() + 60_000));

    expect(sweep).toEqual({ redelivered: 0, parked: 0, behind: false });
    const waiting = (await owl())!;
    expect(waiting).toMatchObject({ state: 'queued' });
    expect(waiting).not.toHaveProperty('redeliveredAt');
    expect(await pendingJobsOf(waiting.notificationId)).toBe(1);
  });

  it('waits while the queue is more than the grace behind: overdue messages may be waiting their turn', async () => {
    const before = sink.messages.length;
    const { runId, ids } = await queuedDigestRun(app, users.length + 1);

    const sweep = await app.get(StrandedDeliveries).redeliver(new Date(Date.now() + 60_000));

    expect(sweep).toEqual({ redelivered: 0, parked: 0, behind: true });
    for (const id of ids.values()) expect(await pendingJobsOf(id)).toBe(1);
    await deliveries.resume(true);
    expect(await waitForRun(app, runId, 15_000)).toMatchObject({ state: 'completed' });
    expect(sink.messages.length).toBe(before + ids.size);
  });

  it("does not enqueue a paused run's parked messages again; resuming the run sends them once", async () => {
    const before = sink.messages.length;
    const runs = app.get(CampaignRunsService);
    // The owl too: the digest has no quiet hours.
    const audience = [...users, 'owl'];
    const { runId, ids } = await queuedDigestRun(app, audience.length);
    await runs.pause(runId, 'test');
    await deliveries.resume(true);
    // The worker parks each message: its jobs end, and nothing is left to send it until the run resumes.
    for (const id of ids.values()) await until(async () => (await pendingJobsOf(id)) === 0, 10_000);

    const sweep = await app.get(StrandedDeliveries).redeliver(new Date(Date.now() + 60_000));

    expect(sweep).toEqual({ redelivered: 0, parked: audience.length, behind: false });
    for (const id of ids.values()) expect(await pendingJobsOf(id)).toBe(0);
    for (const notification of (await notificationsOf(app, runId)).values()) {
      expect(notification).toMatchObject({ state: 'queued' });
      expect(notification).not.toHaveProperty('redeliveredAt');
    }
    expect(sink.messages.length).toBe(before);

    await runs.resume(runId, 'test');
    expect(await waitForRun(app, runId, 15_000)).toMatchObject({
      state: 'completed',
      counts: { sent: audience.length },
    });
    const received = (mails: typeof sink.messages) =>
      audience.map((u) => mails.filter((m) => m.to.includes(`${u}@example.com`)).length);
    expect(received(sink.messages.slice(before))).toEqual([1, 1, 1, 1]);
  });

  /**
   * A run resumed or cancelled (its generation bumped) whose requeue's delivery jobs were lost, on a worker still
   * holding what it read of the run a moment before (`gate`, answered before the action and landing after it):
   * the sweep gives each message a job of the run's current generation, which the worker answers from a fresh
   * read, not from the one it holds.
   */
  async function strandedAfter(action: 'resume' | 'cancel', gate: 'paused' | 'open') {
    const runsService = app.get(CampaignRunsService);
    // The owl too: the digest has no quiet hours.
    const { runId, ids } = await queuedDigestRun(app, users.length + 1);
    if (gate === 'paused') await runsService.pause(runId, 'test');
    const runs = app.get(CampaignRunRepository);
    const findById = runs.findById.bind(runs);
    jest.spyOn(runs, 'findById').mockImplementationOnce(async (id) => {
      const before = await findById(id);
      await runsService[action](runId, 'test');
      // The requeue enqueues every queued message under the new generation; Redis then loses those jobs too.
      await until(async () =>
        ((await deliveries.getJobs(['waiting', 'delayed'])) as Job[]).some(
          (job) => (job.data as { step: string }).step === '1.0',
        ),
      );
      await deliveries.empty();
      return before;
    });
    try {
      expect(await app.get(RunHooks).gate(runId)).toBe(gate);
    } finally {
      jest.restoreAllMocks();
    }
    expect((await app.get(CampaignRunsService).get(runId)).generation).toBe(1);

    const sweep = await app.get(StrandedDeliveries).redeliver(new Date(Date.now() + 60_000));

    expect(sweep).toEqual({ redelivered: ids.size, parked: 0, behind: false });
    const jobs = (await deliveries.getJobs(['waiting', 'delayed'])) as Job[];
    const mine = jobs.map((job) => job.data as { notificationId?: string; step: string });
    expect(
      [...ids.values()].map((id) => mine.filter((job) => job.notificationId === id).map((job) => job.step)),
    ).toEqual([...ids.values()].map(() => ['1.0']));
    return { runId, ids };
  }

  it("gives a resumed run's messages jobs of its current generation, which send each once", async () => {
    const before = sink.messages.length;
    const { runId, ids } = await strandedAfter('resume', 'paused');
    await deliveries.resume(true);
    expect(await waitForRun(app, runId, 15_000)).toMatchObject({ state: 'completed', counts: { sent: ids.size } });
    const received = (mails: typeof sink.messages) =>
      [...ids.keys()].map((u) => mails.filter((m) => m.to.includes(`${u}@example.com`)).length);
    expect(received(sink.messages.slice(before))).toEqual([...ids.keys()].map(() => 1));
  });

  it("gives a cancelled run's messages jobs of its current generation, which send none of them", async () => {
    const before = sink.messages.length;
    const { runId } = await strandedAfter('cancel', 'open');
    await deliveries.resume(true);
    await until(
      async () =>
        [...(await notificationsOf(app, runId)).values()].every((n) => n.state !== 'queued' && n.state !== 'sending'),
      15_000,
    );
    for (const notification of (await notificationsOf(app, runId)).values()) {
      expect(notification).toMatchObject({ state: 'suppressed', reason: { code: 'run-cancelled' } });
    }
    expect(sink.messages.length).toBe(before);
  });
});
