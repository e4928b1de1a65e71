import { INestApplicationContext } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { CampaignsService } from '../../../src/modules/campaigns/campaigns.service';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import {
  CampaignRunsProducer,
  CAMPAIGN_RUNS_QUEUE,
} from '../../../src/modules/campaigns/runs/jobs/campaign-runs.queue';
import { RunExplainService } from '../../../src/modules/campaigns/runs/run-explain.service';
import { DELIVERY_QUEUE } from '../../../src/modules/delivery/jobs/delivery.queue';
import { NotificationRepository } from '../../../src/modules/delivery/notification.repository';
import { TimeZoneRejudge } from '../../../src/modules/delivery/time-zone-rejudge';
import { PutUserDto } from '../../../src/modules/ingest/dto/put-user.dto';
import { UsersService } from '../../../src/modules/ingest/users.service';
import { ShardFanOut } from '../../../src/modules/campaigns/runs/shard-fan-out.service';
import { CampaignSchedules } from '../../../src/modules/scheduling/campaign-schedules.service';
import { SchedulingModule } from '../../../src/modules/scheduling/scheduling.module';
import { startNestContext } from '../../setup/nest-context';
import { campaignsDir, seedUser } from '../campaigns/campaigns-harness';
import { activate, db, notificationsOf, sendingSettings, startSendingContext, startServers } from './sending-harness';

const kitchen = { name: 'Kitchen Remodel', keywords: ['kitchen remodel', 'backsplash tile'] };
const base = {
  owner: 'growth',
  channel: 'email',
  template: 'email/weekly-digest',
  copy: { variant: 'journey-template' },
};
const weekly = {
  ...base,
  id: 'weekly',
  name: 'Weekly',
  schedule: { type: 'cron', cron: '0 9 * * 1', timeZone: 'America/New_York' },
};
const launch = { ...base, id: 'launch', name: 'Launch', schedule: { type: 'once', at: '2031-06-01T10:00:00Z' } };
const late = {
  ...base,
  id: 'late',
  name: 'Late',
  // Held to the morning: as late as a schedule allows.
  schedule: { type: 'local-hour', hour: 22, maxLateMinutes: 1440 },
  quietHours: { start: '21:00', end: '08:00', whenQuiet: 'delay' },
};
const morning = { ...base, id: 'morning', name: 'Morning', schedule: { type: 'local-hour', hour: 10 } };

describe('campaign schedules, local send hours and quiet hours', () => {
  let servers: Awaited<ReturnType<typeof startServers>>;
  let worker: INestApplicationContext;
  const schedulers: INestApplicationContext[] = [];

  const outbox = mkdtempSync(join(tmpdir(), 'jc-schedules-'));

  beforeAll(async () => {
    servers = await startServers();
    const settings = (env: Record<string, string> = {}) =>
      sendingSettings(servers.mongo.uri, servers.redis, 'schedules', {
        CAMPAIGNS_DIR: campaignsDir([weekly, launch, late, morning]),
        DELIVERY_OUTBOX_DIR: outbox,
        ...env,
      });
    worker = await startSendingContext(settings());
    await activate(worker, 'weekly', 'launch', 'late', 'morning');
    const now = new Date();
    await seedUser(worker, 'ny', {
      now,
      profile: { email: 'ny@example.com', timeZone: 'America/New_York' },
      journeys: [kitchen],
    });
    await seedUser(worker, 'paris', {
      now,
      profile: { email: 'paris@example.com', timeZone: 'Europe/Paris' },
      journeys: [kitchen],
    });
    // Two scheduler replicas on the same Redis.
    for (let i = 0; i < 2; i++) {
      const env = { CAMPAIGN_SCHEDULES_ENABLED: 'true', CAMPAIGN_SCHEDULES_SYNC_MS: '3600000' };
      schedulers.push(await startNestContext(settings(env), [SchedulingModule]));
    }
  }, 60_000);

  afterAll(async () => {
    for (const app of [worker, ...schedulers]) await app?.close();
    await servers?.stop();
    rmSync(outbox, { recursive: true, force: true });
  });

  it('registers each active campaign once however many schedulers run, and drops a paused one', async () => {
    await Promise.all(schedulers.map((s) => s.get(CampaignSchedules).sync()));
    const producer = worker.get(CampaignRunsProducer);
    const scheduled = await producer.scheduledCampaigns();
    expect(
      scheduled
        .map(({ campaignId, cron, tz }) => ({ campaignId, cron, tz }))
        .sort((a, b) => a.campaignId.localeCompare(b.campaignId)),
    ).toEqual([
      { campaignId: 'late', cron: '0 0 * * *', tz: 'UTC' },
      { campaignId: 'morning', cron: '0 0 * * *', tz: 'UTC' },
      { campaignId: 'weekly', cron: '0 9 * * 1', tz: 'America/New_York' },
    ]);
    const queue = worker.get<Queue>(getQueueToken(CAMPAIGN_RUNS_QUEUE));
    const once = (await queue.getDelayed()).filter((j) => String(j.id).includes(':once:'));
    expect(once.map((j) => j.id)).toEqual([`campaign-runs.fire:launch:once:${Date.parse(launch.schedule.at)}`]);

    await worker.get(CampaignsService).pause('weekly', 'test');
    await schedulers[0].get(CampaignSchedules).sync();
    expect((await producer.scheduledCampaigns()).map((s) => s.campaignId).sort()).toEqual(['late', 'morning']);
  });

  it('starts one run per firing, however often the firing is delivered', async () => {
    const runs = worker.get(CampaignRunsService);
    const at = new Date(launch.schedule.at);
    const [a, b] = await Promise.all([runs.startScheduled('launch', at), runs.startScheduled('launch', at)]);
    expect(a!.runId).toBe(b!.runId);
    expect(await db(worker).collection('campaign_runs').countDocuments({ campaignId: 'launch' })).toBe(1);
    // A firing far from the one-off instant belongs to an older definition: nothing starts.
    expect(await runs.startScheduled('launch', new Date('2031-05-01T10:00:00Z'))).toBeUndefined();
  });

  /**
   * Fires the local-hour campaign for the local date after `firedAt` and fans its shards out now, after
   * `between` (what happens between the selection and the fan-out).
   */
  async function fire(campaignId: string, firedAt: string, between?: () => Promise<unknown>) {
    const run = (await worker.get(CampaignRunsService).startScheduled(campaignId, new Date(firedAt)))!;
    for (let i = 0; i < 100 && (await worker.get(CampaignRunsService).get(run.runId)).counts.audience < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const shards = await db(worker).collection('campaign_run_shards').find({ runId: run.runId }).toArray();
    expect(shards.flatMap((s) => s.userIds as string[]).sort()).toEqual(['ny', 'paris']);
    await between?.();
    // The shard jobs wait for 2030; run their work now, as the worker will then.
    for (const { shard } of shards) await worker.get(ShardFanOut).process(run.runId, shard as number, true);
    const sendAt = Object.fromEntries(
      shards.flatMap((s) => (s.userIds as string[]).map((userId) => [userId, (s.sendAt as Date).toISOString()])),
    );
    const notifications = await notificationsOf(worker, run.runId);
    return { run, sendAt, notifications };
  }

  it.each([
    // US clocks spring forward on 2030-03-10: New York's quiet night ends at 08:00 EDT (12:00Z, not 13:00Z).
    [
      '2030-03-08T00:00:00Z',
      { ny: '2030-03-10T03:00:00.000Z', paris: '2030-03-09T21:00:00.000Z' },
      { ny: '2030-03-10T12:00:00.000Z', paris: '2030-03-10T07:00:00.000Z' },
    ],
    // EU clocks spring forward on 2030-03-31: Paris's ends at 08:00 CEST (06:00Z).
    [
      '2030-03-29T00:00:00Z',
      { ny: '2030-03-31T02:00:00.000Z', paris: '2030-03-30T21:00:00.000Z' },
      { ny: '2030-03-31T12:00:00.000Z', paris: '2030-03-31T06:00:00.000Z' },
    ],
    // EU clocks fall back on 2030-10-27: Paris's ends at 08:00 CET (07:00Z).
    [
      '2030-10-25T00:00:00Z',
      { ny: '2030-10-27T02:00:00.000Z', paris: '2030-10-26T20:00:00.000Z' },
      { ny: '2030-10-27T12:00:00.000Z', paris: '2030-10-27T07:00:00.000Z' },
    ],
    // US clocks fall back on 2030-11-03: New York's ends at 08:00 EST (13:00Z).
    [
      '2030-11-01T00:00:00Z',
      { ny: '2030-11-03T02:00:00.000Z', paris: '2030-11-02T21:00:00.000Z' },
      { ny: '2030-11-03T13:00:00.000Z', paris: '2030-11-03T07:00:00.000Z' },
    ],
  ])(
    'fired at %s: each user at 22:00 in their zone, held to the end of their quiet night across the clock change',
    async (firedAt, sendAt, notBefore) => {
      const delayed = await fire('late', firedAt);
      expect(delayed.sendAt).toEqual(sendAt);
      for (const user of ['ny', 'paris'] as const) {
        const n = delayed.notifications.get(user)!;
        expect(n).toMatchObject({ state: 'queued', timeZone: user === 'ny' ? 'America/New_York' : 'Europe/Paris' });
        expect(n.notBefore!.toISOString()).toBe(notBefore[user]);
      }
    },
  );

  /** Sets a profile's zone in the database, as the selection and the fan-out read it, without telling anyone. */
  const zoneOf = (userId: string, timeZone: string) =>
    db(worker).collection('users').updateOne({ userId }, { $set: { timeZone } });

  it('sends at the hour where the user is when their shard is processed, not where the selection found them', async () => {
    try {
      // Selected in Paris for 10:00 on 2030-06-15 (08:00Z), then moved to Tokyo: 10:00 there is 01:00Z.
      const { run, sendAt, notifications } = await fire('morning', '2030-06-14T00:00:00Z', () =>
        zoneOf('paris', 'Asia/Tokyo'),
      );
      expect(sendAt).toEqual({ ny: '2030-06-15T14:00:00.000Z', paris: '2030-06-15T08:00:00.000Z' });
      expect(notifications.get('paris')).toMatchObject({ state: 'queued', timeZone: 'Asia/Tokyo' });
      expect(notifications.get('paris')!.notBefore!.toISOString()).toBe('2030-06-15T01:00:00.000Z');
      expect(notifications.get('ny')!.notBefore!.toISOString()).toBe('2030-06-15T14:00:00.000Z');
      expect((await worker.get(RunExplainService).explain(run.runId, 'paris')).summary).toBe(
        'queued for its local send time, 10:00 in Asia/Tokyo (2030-06-15T01:00:00.000Z)',
      );
    } finally {
      await zoneOf('paris', 'Europe/Paris');
    }
  });

  it("takes a waiting message's local send time again where its user moves after the fan-out", async () => {
    const move = (userId: string, timeZone: string) =>
      worker.get(UsersService).putUser(userId, {
        email: `${userId}@example.com`,
        timeZone,
        consent: { email: true, push: true },
      } as PutUserDto);
    const queue = worker.get<Queue>(getQueueToken(DELIVERY_QUEUE));
    const jobsOf = async (notificationId: string) =>
      (await queue.getDelayed()).filter(
        (j) => (j.data as { notificationId?: string }).notificationId === notificationId,
      );
    try {
      // Queued for 10:00 on 2030-06-21 where each user is: 08:00Z in Paris, 14:00Z in New York.
      const { run, notifications } = await fire('morning', '2030-06-20T00:00:00Z');
      const paris = notifications.get('paris')!;
      expect(paris).toMatchObject({ localSend: { date: '2030-06-21', hour: 10, minute: 0 } });
      expect(paris.notBefore!.toISOString()).toBe('2030-06-21T08:00:00.000Z');
      const parisJobs = (await jobsOf(paris.notificationId)).length;

      // Paris moves to Tokyo, where 10:00 is seven hours sooner: a delivery job of its own for 01:00Z.
      await move('paris', 'Asia/Tokyo');
      // New York moves to Los Angeles, three hours later: its waiting job finds the new time.
      const nyJobs = (await jobsOf(notifications.get('ny')!.notificationId)).length;
      await move('ny', 'America/Los_Angeles');
      const after = await notificationsOf(worker, run.runId);
      expect(after.get('paris')).toMatchObject({ state: 'queued', timeZone: 'Asia/Tokyo' });
      expect(after.get('paris')!.notBefore!.toISOString()).toBe('2030-06-21T01:00:00.000Z');
      expect(after.get('ny')).toMatchObject({ state: 'queued', timeZone: 'America/Los_Angeles' });
      expect(after.get('ny')!.notBefore!.toISOString()).toBe('2030-06-21T17:00:00.000Z');
      const sooner = await jobsOf(paris.notificationId);
      expect(sooner).toHaveLength(parisJobs + 1);
      // The new job is the one with an origin of its own; Bull stores its due time as added time plus delay.
      const fresh = sooner.filter((j) => (j.data as { origin?: string }).origin !== undefined);
      expect(fresh).toHaveLength(1);
      const due = fresh[0].timestamp + (fresh[0].opts.delay ?? 0);
      expect(Math.abs(due - Date.parse('2030-06-21T01:00:00Z'))).toBeLessThan(1_000);
      expect(await jobsOf(notifications.get('ny')!.notificationId)).toHaveLength(nyJobs);
      expect((await worker.get(RunExplainService).explain(run.runId, 'paris')).summary).toBe(
        'queued for its local send time, 10:00 in Asia/Tokyo (2030-06-21T01:00:00.000Z)',
      );
    } finally {
      await zoneOf('paris', 'Europe/Paris');
      await zoneOf('ny', 'America/New_York');
    }
  });

  it('leaves a waiting message judged where its user is after two quick moves, whichever listener writes last', async () => {
    const rejudge = worker.get(TimeZoneRejudge);
    const repository = worker.get(NotificationRepository);
    const write = repository.rescheduleZoneWait.bind(repository);
    const spy = jest.spyOn(repository, 'rescheduleZoneWait');
    try {
      const { run, notifications } = await fire('morning', '2030-06-24T00:00:00Z');
      expect(notifications.get('paris')!.notBefore!.toISOString()).toBe('2030-06-25T08:00:00.000Z');
      // Paris moves to Tokyo and straight back. The Tokyo listener has read the waiting message and is about
      // to write it when the move back lands and its own listener runs to its end: it finds the message still
      // in Paris time and has nothing to do. The Tokyo write lands last.
      let movedBack = false;
      spy.mockImplementation(async (...args) => {
        if (!movedBack) {
          movedBack = true;
          await zoneOf('paris', 'Europe/Paris');
          await rejudge.rejudge('paris');
        }
        return write(...args);
      });
      await zoneOf('paris', 'Asia/Tokyo');
      await rejudge.rejudge('paris');
      expect(movedBack).toBe(true);
      const paris = (await notificationsOf(worker, run.runId)).get('paris')!;
      expect(paris).toMatchObject({ state: 'queued', timeZone: 'Europe/Paris' });
      expect(paris.notBefore!.toISOString()).toBe('2030-06-25T08:00:00.000Z');
    } finally {
      spy.mockRestore();
      await zoneOf('paris', 'Europe/Paris');
    }
  });

  it('holds a local send time that falls in the night of the zone its user moves to, due from that time there', async () => {
    try {
      // 22:00 in Paris is in the night: held until 08:00 (06:00Z), due since 20:00Z.
      const { run, notifications } = await fire('late', '2030-06-20T00:00:00Z');
      expect(notifications.get('paris')!.notBefore!.toISOString()).toBe('2030-06-22T06:00:00.000Z');
      await worker.get(UsersService).putUser('paris', {
        email: 'paris@example.com',
        timeZone: 'Asia/Tokyo',
        consent: { email: true, push: true },
      } as PutUserDto);
      // In Tokyo 22:00 is 13:00Z, and the night ends at 08:00 there, 23:00Z.
      const paris = (await notificationsOf(worker, run.runId)).get('paris')!;
      expect(paris).toMatchObject({
        timeZone: 'Asia/Tokyo',
        quietWait: { dueAt: new Date('2030-06-21T13:00:00Z'), until: new Date('2030-06-21T23:00:00Z') },
      });
      expect(paris.notBefore!.toISOString()).toBe('2030-06-21T23:00:00.000Z');
    } finally {
      await zoneOf('paris', 'Europe/Paris');
    }
  });
});
