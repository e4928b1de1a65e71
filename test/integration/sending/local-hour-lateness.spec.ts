import { INestApplicationContext } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { ShardFanOut } from '../../../src/modules/campaigns/runs/shard-fan-out.service';
import { RunExplainService } from '../../../src/modules/campaigns/runs/run-explain.service';
import { Notification } from '../../../src/modules/delivery/domain/notification';
import { FrequencyCaps } from '../../../src/modules/delivery/frequency-caps';
import { campaignsDir, seedUser } from '../campaigns/campaigns-harness';
import {
  activate,
  db,
  notificationsOf,
  sendingSettings,
  startSendingContext,
  startServers,
  until,
} from './sending-harness';

const HOUR = 3_600_000;
const kitchen = { name: 'Kitchen Remodel', keywords: ['kitchen remodel', 'backsplash tile'] };
/** One local-hour campaign per case, each for the users of its cohort; 12:00 local, the default limit. */
const evening = (cohort: string) => ({
  id: `noon-${cohort}`,
  name: `Noon ${cohort}`,
  owner: 'growth',
  channel: 'email',
  template: 'email/weekly-digest',
  copy: { variant: 'journey-template' },
  schedule: { type: 'local-hour', hour: 12 },
  audience: { attributes: { cohort } },
  frequencyCaps: [{ max: 1, withinHours: 24, scope: 'channel' }],
});
const COHORTS = ['within', 'stale', 'paused'];

/**
 * A fixed-offset zone and local date whose 12:00 is `lateHours` before `now` (give or take the minutes of the
 * hour), so the outcome does not depend on when the test runs.
 */
function noonLate(lateHours: number, now: Date): { zone: string; localDate: string } {
  const h = now.getUTCHours();
  for (const days of [0, -1, 1]) {
    const offset = lateHours + 12 + 24 * days - h;
    if (offset < -12 || offset > 14) continue;
    const zone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    const localDate = new Date(now.getTime() + offset * HOUR).toISOString().slice(0, 10);
    return { zone, localDate };
  }
  throw new Error('no zone');
}

/** The firing of the local-hour schedule that covers `localDate`: 00:00 UTC the day before. */
const firingFor = (localDate: string) => new Date(Date.parse(`${localDate}T00:00:00Z`) - 24 * HOUR);

describe('how late a local-hour message may go out', () => {
  let servers: Awaited<ReturnType<typeof startServers>>;
  let worker: INestApplicationContext;
  const outbox = mkdtempSync(join(tmpdir(), 'jc-lateness-'));
  const now = new Date();
  const plans = {
    // Due minutes ago: within the 120 minutes.
    within: noonLate(0, now),
    // Due three hours ago and more: the run started late.
    stale: noonLate(3, now),
    // Due in about three hours.
    paused: noonLate(-3, now),
  };

  beforeAll(async () => {
    servers = await startServers();
    worker = await startSendingContext(
      sendingSettings(servers.mongo.uri, servers.redis, 'lateness', {
        CAMPAIGNS_DIR: campaignsDir(COHORTS.map(evening)),
        DELIVERY_OUTBOX_DIR: outbox,
      }),
    );
    await activate(worker, ...COHORTS.map((c) => `noon-${c}`));
    for (const cohort of COHORTS) {
      await seedUser(worker, cohort, {
        now,
        profile: {
          email: `${cohort}@example.com`,
          timeZone: plans[cohort as keyof typeof plans].zone,
          attributes: { cohort },
        },
        journeys: [kitchen],
      });
    }
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await servers?.stop();
    rmSync(outbox, { recursive: true, force: true });
  });

  async function start(cohort: keyof typeof plans): Promise<string> {
    const run = await worker
      .get(CampaignRunsService)
      .startScheduled(`noon-${cohort}`, firingFor(plans[cohort].localDate));
    return run!.runId;
  }

  /** Whether another campaign's email may go to `userId` now: the user holds no slot of the one a day. */
  async function slotFree(userId: string): Promise<boolean> {
    const subject = { userId, channel: 'email' as const, campaignId: 'other' };
    const cap = [{ max: 1, withinHours: 24, scope: 'channel' as const }];
    const verdict = await worker.get(FrequencyCaps).reserve(subject, cap, new Date(), `other-${userId}`);
    return verdict.granted;
  }

  async function settled(runId: string, userId: string, state?: Notification['state']): Promise<Notification> {
    let found: Notification | undefined;
    await until(async () => {
      found = (await notificationsOf(worker, runId)).get(userId);
      return (
        found !== undefined && (state ? found.state === state : ['sent', 'suppressed', 'failed'].includes(found.state))
      );
    }, 20_000);
    return found!;
  }

  it('sends a message of a run that starts late when its user is still within the limit', async () => {
    const runId = await start('within');
    const n = await settled(runId, 'within');
    expect(n.state).toBe('sent');
  }, 30_000);

  it('suppresses as stale, at the fan-out and without a cap slot, a message of a run that starts past the limit', async () => {
    const runId = await start('stale');
    const n = await settled(runId, 'stale');
    expect(n).toMatchObject({ state: 'suppressed', reason: { code: 'stale', rule: 'schedule.maxLateMinutes' } });
    expect(n.attempts).toEqual([]);
    const run = await worker.get(CampaignRunsService).get(runId);
    await until(async () => (await worker.get(CampaignRunsService).get(runId)).counts.suppressed.stale === 1);
    expect(run.counts.sent).toBe(0);
    const explained = await worker.get(RunExplainService).explain(runId, 'stale');
    expect(explained.summary).toContain('suppressed by schedule.maxLateMinutes');
    // It took no frequency-cap slot.
    expect(await slotFree('stale')).toBe(true);
  }, 30_000);

  it('suppresses as stale a message of a run resumed past the limit, and gives its cap slot back', async () => {
    const runs = worker.get(CampaignRunsService);
    const runId = await start('paused');
    // Its shard waits for the users' hour; run its work now, as the worker will then.
    await until(async () => (await db(worker).collection('campaign_run_shards').countDocuments({ runId })) > 0);
    const shards = await db(worker).collection('campaign_run_shards').find({ runId }).toArray();
    for (const { shard } of shards) await worker.get(ShardFanOut).process(runId, shard as number, true);
    const queued = await settled(runId, 'paused', 'queued');
    expect(queued.notBefore!.getTime()).toBeGreaterThan(Date.now());
    expect(queued.sendBy!.getTime() - queued.notBefore!.getTime()).toBe(120 * 60_000);
    // Its slot is held for its send time, hours ahead.
    expect(await slotFree('paused')).toBe(false);
    await runs.pause(runId, 'test');
    // The run stays paused past its users' hour: six hours on, the message is due four hours late.
    const shift = (d: Date) => new Date(d.getTime() - 6 * HOUR);
    await db(worker)
      .collection('notifications')
      .updateOne(
        { notificationId: queued.notificationId },
        {
          $set: {
            notBefore: shift(queued.notBefore!),
            capSlotAt: shift(queued.capSlotAt!),
            sendBy: shift(queued.sendBy!),
          },
        },
      );
    await runs.resume(runId, 'test');
    const n = await settled(runId, 'paused');
    expect(n).toMatchObject({ state: 'suppressed', reason: { code: 'stale' } });
    expect(n.attempts).toEqual([]);
    await until(async () => (await runs.get(runId)).counts.suppressed.stale === 1);
    // Given back right after the suppression is written, as a quiet-hours drop gives it back.
    await until(() => slotFree('paused'));
  }, 30_000);
});
