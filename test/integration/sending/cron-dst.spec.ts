import { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import {
  CAMPAIGN_RUN_JOBS,
  CAMPAIGN_RUNS_QUEUE,
  CampaignRunsProducer,
} from '../../../src/modules/campaigns/runs/jobs/campaign-runs.queue';
import { campaignsDir } from '../campaigns/campaigns-harness';
import { activate, sendingSettings, startSendingContext, startServers } from './sending-harness';

const base = {
  owner: 'growth',
  channel: 'email',
  template: 'email/weekly-digest',
  copy: { variant: 'journey-template' },
};
/** A cron campaign named after its id. */
const cronCampaign = (id: string, cron: string, timeZone: string) => ({
  ...base,
  id,
  name: id,
  schedule: { type: 'cron', cron, timeZone },
});
const santiago = cronCampaign('santiago', '0 0 * * *', 'America/Santiago');
const lordHowe = cronCampaign('lord-howe', '15 2 * * *', 'Australia/Lord_Howe');
const lordHoweAutumn = cronCampaign('lord-howe-autumn', '30 1 * * *', 'Australia/Lord_Howe');
const chatham = cronCampaign('chatham', '45 3 * * *', 'Pacific/Chatham');
const parisHourly = cronCampaign('paris-hourly', '0 * * * *', 'Europe/Paris');
const campaigns = [santiago, lordHowe, lordHoweAutumn, chatham, parisHourly];

describe('cron schedules across clock changes', () => {
  let servers: Awaited<ReturnType<typeof startServers>>;
  let worker: INestApplicationContext;
  beforeAll(async () => {
    servers = await startServers();
    worker = await startSendingContext(
      sendingSettings(servers.mongo.uri, servers.redis, 'cron_dst', {
        CAMPAIGNS_DIR: campaignsDir(campaigns),
      }),
    );
    await activate(worker, ...campaigns.map((c) => c.id));
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await servers?.stop();
  });

  it.each([
    // Chile springs forward at 24:00 on Saturday 2030-09-07: Sunday's 00:00 is 01:00 -03 (04:00Z).
    ['santiago', '2030-09-07T04:00:00Z', ['2030-09-08T04:00:00.000Z', '2030-09-09T03:00:00.000Z']],
    // Lord Howe jumps from 02:00 to 02:30 on 2030-10-06: 02:15 is 02:45 +11 (15:45Z the day before).
    ['lord-howe', '2030-10-04T15:45:00Z', ['2030-10-05T15:45:00.000Z', '2030-10-06T15:15:00.000Z']],
  ])('%s fired at %s fires next at %j', async (campaignId, fired, next) => {
    const campaign = campaignId === 'santiago' ? santiago : lordHowe;
    const { cron, timeZone: tz } = campaign.schedule;
    const queue = worker.get<Queue>(getQueueToken(CAMPAIGN_RUNS_QUEUE));
    await queue.pause(true);
    await worker.get(CampaignRunsProducer).scheduleCampaign(campaign.id, { cron, tz });
    // What a worker does with the repeatable job of that firing: Bull queues the next firing, and the run starts.
    await (queue as unknown as { nextRepeatableJob: (...args: unknown[]) => Promise<unknown> }).nextRepeatableJob(
      CAMPAIGN_RUN_JOBS.fire,
      { campaignId: campaign.id },
      { repeat: { cron, tz, jobId: campaign.id }, jobId: campaign.id, prevMillis: Date.parse(fired) },
    );
    await worker.get(CampaignRunsService).startScheduled(campaign.id, new Date(fired), 'repeat');
    const firings = (await queue.getDelayed())
      .filter((j) => j.name === CAMPAIGN_RUN_JOBS.fire && (j.data as { campaignId: string }).campaignId === campaign.id)
      .map((j) => Number(String(j.id).split(':').pop()))
      .filter((millis) => millis > Date.parse(fired))
      .sort((a, b) => a - b)
      .map((millis) => new Date(millis).toISOString());
    expect(firings).toEqual(next);
  });

  it.each([
    // Lord Howe falls back from 02:00 +11 to 01:30 +10:30 on 2030-04-07: 01:30 happens at 14:30Z and 15:00Z.
    ['lord-howe-autumn', ['2030-04-06T14:30:00Z', '2030-04-06T15:00:00Z'], ['2030-04-06T14:30:00.000Z']],
    // Chatham springs from 02:45 +12:45 to 03:45 +13:45 on 2030-09-29: the cron library also fires at 04:45 (15:00Z).
    ['chatham', ['2030-09-28T14:00:00Z', '2030-09-28T15:00:00Z'], ['2030-09-28T14:00:00.000Z']],
    // Paris falls back from 03:00 to 02:00 on 2030-10-27: an hourly pattern fires in both hours.
    [
      'paris-hourly',
      ['2030-10-27T00:00:00Z', '2030-10-27T01:00:00Z'],
      ['2030-10-27T00:00:00.000Z', '2030-10-27T01:00:00.000Z'],
    ],
  ])('%s fired at %j starts runs for %j only', async (campaignId, fired, started) => {
    const runs = worker.get(CampaignRunsService);
    for (const at of fired) await runs.startScheduled(campaignId, new Date(at), 'repeat');
    const stored = await runs.list({ campaignId, limit: 10 });
    expect(stored.map((r) => r.scheduledFor.toISOString()).sort()).toEqual(started);
  });
});
