import { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { CampaignRepository } from '../../../src/modules/campaigns/campaign.repository';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import {
  CampaignRunsProducer,
  CAMPAIGN_RUNS_QUEUE,
} from '../../../src/modules/campaigns/runs/jobs/campaign-runs.queue';
import { campaignsDir } from '../campaigns/campaigns-harness';
import { activate, db, sendingSettings, startSendingContext, startServers } from './sending-harness';

const HOUR = 3_600_000;
const base = {
  owner: 'growth',
  channel: 'email',
  template: 'email/weekly-digest',
  copy: { variant: 'journey-template' },
};
// Instants relative to the start of the test file, to the minute.
const started = Math.floor(Date.now() / 60_000) * 60_000;
const iso = (millis: number) => new Date(millis).toISOString();
/** A one-off sale whose instant is `hoursAgo` past (default lateness: 120 minutes). */
const sale = (id: string, hoursAgo: number) => ({
  ...base,
  id,
  name: id,
  schedule: { type: 'once', at: iso(started - hoursAgo * HOUR) },
});
const flash = sale('flash', 6);
const recent = sale('recent', 1 / 3);
// A daily cron due three hours before the test: its firing is handled three hours late.
const dueDaily = new Date(started - 3 * HOUR);
const daily = {
  ...base,
  id: 'daily',
  name: 'daily',
  schedule: { type: 'cron', cron: `${dueDaily.getUTCMinutes()} ${dueDaily.getUTCHours()} * * *`, timeZone: 'UTC' },
};
const hourly = {
  ...base,
  id: 'hourly',
  name: 'hourly',
  schedule: { type: 'cron', cron: '0 * * * *', timeZone: 'UTC' },
};

describe('schedule firings handled late', () => {
  let servers: Awaited<ReturnType<typeof startServers>>;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    servers = await startServers();
    worker = await startSendingContext(
      sendingSettings(servers.mongo.uri, servers.redis, 'late_firings', {
        CAMPAIGNS_DIR: campaignsDir([flash, recent, daily, hourly]),
      }),
    );
    await activate(worker, 'daily', 'hourly');
    // The one-off sales were activated before their instants (activation now is refused as past).
    await db(worker)
      .collection('campaigns')
      .updateMany({ campaignId: { $in: ['flash', 'recent'] } }, { $set: { state: 'active' } });
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await servers?.stop();
  });

  /** Delivers the firings to the worker's fire handler, as Bull does once a worker is up again, and waits for each. */
  async function handle(add: () => Promise<string[]>): Promise<void> {
    const queue = worker.get<Queue>(getQueueToken(CAMPAIGN_RUNS_QUEUE));
    const ids = await add();
    for (const id of ids) await (await queue.getJob(id))!.finished();
  }

  const runsOf = (campaignId: string) => worker.get(CampaignRunsService).list({ campaignId, limit: 10 });
  const historyOf = (campaignId: string) => worker.get(CampaignRepository).findChanges(campaignId);

  it('starts no run for a one-off firing handled later than its maxLateMinutes, and says so in its history', async () => {
    const producer = worker.get(CampaignRunsProducer);
    await handle(async () => [await producer.enqueueOnce('flash', new Date(flash.schedule.at))]);
    expect(await runsOf('flash')).toEqual([]);
    const [latest] = await historyOf('flash');
    expect(latest).toMatchObject({
      action: 'firing-too-late',
      actor: 'scheduler',
      fromState: 'active',
      toState: 'active',
      note: expect.stringMatching(
        new RegExp(
          `^firing due ${flash.schedule.at} handled 36\\d minutes late, past schedule.maxLateMinutes \\(120\\): no run started$`,
        ),
      ),
    });
  });

  it('starts the run of a one-off firing handled late but within its maxLateMinutes', async () => {
    const producer = worker.get(CampaignRunsProducer);
    await handle(async () => [await producer.enqueueOnce('recent', new Date(recent.schedule.at))]);
    const runs = await runsOf('recent');
    expect(runs.map((r) => r.scheduledFor.toISOString())).toEqual([recent.schedule.at]);
    expect((await historyOf('recent')).map((c) => c.action)).not.toContain('firing-too-late');
  });

  it('starts no run for cron firings handled later than its maxLateMinutes, noted once for their latest due time', async () => {
    const producer = worker.get(CampaignRunsProducer);
    // Yesterday's firing and today's, delivered together three hours after today's.
    const yesterday = new Date(dueDaily.getTime() - 24 * HOUR);
    await handle(() => Promise.all([yesterday, dueDaily].map((at) => producer.enqueueFiring('daily', at))));
    expect(await runsOf('daily')).toEqual([]);
    const late = (await historyOf('daily')).filter((c) => c.action === 'firing-too-late');
    expect(late).toEqual([
      expect.objectContaining({ note: expect.stringContaining(`firing due ${dueDaily.toISOString()} handled 18`) }),
    ]);
  });

  it('starts one run, for the latest due time, from missed cron firings delivered together', async () => {
    const producer = worker.get(CampaignRunsProducer);
    const lastHour = Math.floor(Date.now() / HOUR) * HOUR;
    await handle(() =>
      Promise.all([3, 2, 1, 0].map((hours) => producer.enqueueFiring('hourly', new Date(lastHour - hours * HOUR)))),
    );
    const runs = await runsOf('hourly');
    expect(runs).toHaveLength(1);
    // The latest due time when the firings were handled: this hour's, or the next if the hour turned meanwhile.
    expect([lastHour, lastHour + HOUR]).toContain(runs[0].scheduledFor.getTime());
    expect((await historyOf('hourly')).map((c) => c.action)).not.toContain('firing-too-late');
  });
});
