import { INestApplicationContext } from '@nestjs/common';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { AudienceEstimateService } from '../../../src/modules/campaigns/audience-estimate.service';
import { CampaignMessageComposer } from '../../../src/modules/campaigns/campaign-message-composer.service';
import { CampaignsService } from '../../../src/modules/campaigns/campaigns.service';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import { campaignsDir, digestCampaign, seedUser, startCampaignsContext } from './campaigns-harness';

const DAY = 86_400_000;
const NOW = new Date('2026-03-02T18:00:00Z');
/** The last build of a user who has been silent since: their journeys were ongoing then. */
const LONG_AGO = new Date(NOW.getTime() - 60 * DAY);

const campaign = (id: string, stages: string[]) => digestCampaign(id, { journeys: { stages } });

describe('journey stage at the time of a campaign', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let app: INestApplicationContext;

  const compose = async (campaignId: string, userId: string) =>
    app
      .get(CampaignMessageComposer)
      .compose(await app.get(CampaignsService).getUsable(campaignId), userId, { now: NOW, dryRun: true });
  const estimate = async (campaignId: string) =>
    app.get(AudienceEstimateService).estimate((await app.get(CampaignsService).getUsable(campaignId)).definition, NOW);

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    app = await startCampaignsContext(mongo.uri, redis, 'stage-over-time', {
      CAMPAIGNS_DIR: campaignsDir([campaign('ongoing-only', ['ongoing']), campaign('ended-only', ['ended'])]),
    });
    await app.get(CampaignsService).sync('test');
    // Both were ongoing when last built; only `active` has been active since.
    await seedUser(app, 'silent', { now: LONG_AGO, journeys: [{ name: 'Kitchen Remodel', ageDays: [1, 3, 10] }] });
    await seedUser(app, 'active', { now: NOW, journeys: [{ name: 'Kitchen Remodel', ageDays: [1, 3, 10] }] });
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  });

  it('counts a journey left for two months as ended, not ongoing, in the estimate', async () => {
    const ongoing = await estimate('ongoing-only');
    expect(ongoing.total).toBe(1);
    expect(ongoing.byStage).toEqual({ ongoing: 1, other: 0 });
    expect((await estimate('ended-only')).total).toBe(1);
  });

  it('composes as the estimate counts: the silent user is skipped by the ongoing campaign, reached by the ended one', async () => {
    expect(await compose('ongoing-only', 'active')).toMatchObject({ status: 'message' });
    expect(await compose('ongoing-only', 'silent')).toMatchObject({ status: 'skip' });
    const ended = await compose('ended-only', 'silent');
    expect(ended).toMatchObject({ status: 'message' });
    expect(ended.status === 'message' && ended.message.context.subject?.stage).toBe('ended');
  });
});
