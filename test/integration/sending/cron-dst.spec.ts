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
const santiago = {
  ...base,
  id: 'santiago',
  name: 'Santiago',
  schedule: { type: 'cron', cron: '0 0 * * *', timeZone: 'America/Santiago' },
};
const lordHowe = {
  ...base,
  id: 'lord-howe',
  name: 'Lord Howe',
  schedule: { type: 'cron', cron: '15 2 * * *', timeZone: 'Australia/Lord_Howe' },
};

describe('cron schedules across a clock change that skips their time', () => {
  let servers: Awaited<ReturnType<typeof startServers>>;
  let worker: INestApplicationContext;
  beforeAll(async () => {
    servers = await startServers();
    worker = await startSendingContext(
      sendingSettings(servers.mongo.uri, servers.redis, 'cron_dst', {
        CAMPAIGNS_DIR: campaignsDir([santiago, lordHowe]),
      }),
    );
    await activate(worker, 'santiago', 'lord-howe');
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
});
