import { INestApplicationContext } from '@nestjs/common';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { CampaignsService } from '../../../src/modules/campaigns/campaigns.service';
import { CAMPAIGN_RUNS_QUEUE } from '../../../src/modules/campaigns/runs/jobs/campaign-runs.queue';
import { CampaignSchedules } from '../../../src/modules/scheduling/campaign-schedules.service';
import { SchedulingModule } from '../../../src/modules/scheduling/scheduling.module';
import { startNestContext } from '../../setup/nest-context';
import { campaignsDir } from '../campaigns/campaigns-harness';
import { activate, db, sendingSettings, startSendingContext, startServers, until } from './sending-harness';

const base = {
  owner: 'growth',
  channel: 'email',
  template: 'email/weekly-digest',
  copy: { variant: 'journey-template' },
  id: 'switch',
  name: 'Switch',
};

describe('a campaign whose schedule changes kind', () => {
  let servers: Awaited<ReturnType<typeof startServers>>;
  let worker: INestApplicationContext;
  let scheduler: INestApplicationContext;

  afterAll(async () => {
    for (const app of [worker, scheduler]) await app?.close();
    await servers?.stop();
  });

  it('starts nothing at the instant of a one-off schedule replaced by a cron schedule', async () => {
    servers = await startServers();
    const at = new Date(Date.now() + 3_600_000);
    const dir = campaignsDir([{ ...base, schedule: { type: 'once', at: at.toISOString() } }]);
    const settings = (env: Record<string, string> = {}) =>
      sendingSettings(servers.mongo.uri, servers.redis, 'schedule_kind', { CAMPAIGNS_DIR: dir, ...env });
    worker = await startSendingContext(settings());
    await activate(worker, 'switch');
    scheduler = await startNestContext(
      settings({ CAMPAIGN_SCHEDULES_ENABLED: 'true', CAMPAIGN_SCHEDULES_SYNC_MS: '3600000' }),
      [SchedulingModule],
    );
    const queue = worker.get<Queue>(getQueueToken(CAMPAIGN_RUNS_QUEUE));
    expect((await queue.getDelayed()).map((j) => j.id)).toContain(`campaign-runs.fire:switch:once:${at.getTime()}`);

    // The file now says: every Monday at 09:00 in New York. The campaign stays active.
    const weekly = { ...base, schedule: { type: 'cron', cron: '0 9 * * 1', timeZone: 'America/New_York' } };
    writeFileSync(join(dir, 'switch.yaml'), stringify(weekly));
    await worker.get(CampaignsService).sync('test');
    expect((await worker.get(CampaignsService).get('switch')).state).toBe('active');
    await scheduler.get(CampaignSchedules).sync();

    // The one-off instant comes (promoted, rather than waited for) and its delayed job is processed.
    const once = `campaign-runs.fire:switch:once:${at.getTime()}`;
    await (await queue.getJob(once))!.promote();
    await until(async () => (await (await queue.getJob(once))?.isCompleted()) === true, 15_000);
    expect(await db(worker).collection('campaign_runs').countDocuments({ campaignId: 'switch' })).toBe(0);
  }, 60_000);
});
