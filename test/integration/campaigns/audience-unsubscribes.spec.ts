import { INestApplicationContext } from '@nestjs/common';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { AudienceEstimateService } from '../../../src/modules/campaigns/audience-estimate.service';
import { CampaignMessageComposer } from '../../../src/modules/campaigns/campaign-message-composer.service';
import { CampaignsService } from '../../../src/modules/campaigns/campaigns.service';
import { RecipientPreferencesService } from '../../../src/modules/tracking/recipient-preferences.service';
import { PreferenceGuardsModule } from '../../../src/modules/tracking/preference-guards.module';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import { campaignsDir, digestCampaign, seedUser, startCampaignsContext } from './campaigns-harness';

const NOW = new Date('2026-03-02T18:00:00Z');
const AT = new Date('2026-03-01T10:00:00Z');

describe('audience estimates and unsubscribes', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let app: INestApplicationContext;

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    app = await startCampaignsContext(
      mongo.uri,
      redis,
      'audience-unsubscribes',
      {
        CAMPAIGNS_DIR: campaignsDir([
          digestCampaign('weekly', {}),
          { ...digestCampaign('tips', {}), category: 'advice' },
          { ...digestCampaign('journeys', { journeys: { minConfidence: 0 } }), category: 'weekly' },
        ]),
      },
      [PreferenceGuardsModule],
    );
    await app.get(CampaignsService).sync('test');
    for (const userId of ['ada', 'bob', 'cem', 'dan', 'eve']) {
      await seedUser(app, userId, { now: NOW, journeys: [{ name: 'Kitchen Remodel' }] });
    }
    const preferences = app.get(RecipientPreferencesService);
    const leave = (userId: string, category: string) =>
      preferences.unsubscribe({ userId, category, at: AT, source: 'api' });
    await leave('bob', 'weekly');
    await leave('cem', '*');
    await leave('dan', 'advice');
    await leave('eve', 'weekly');
    await preferences.resubscribe('eve', 'weekly');
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  });

  const estimate = async (campaignId: string) =>
    app.get(AudienceEstimateService).estimate((await app.get(CampaignsService).getUsable(campaignId)).definition, NOW);

  it('counts a user who left the campaign category, or everything, apart from those it can reach', async () => {
    const weekly = await estimate('weekly');
    expect(weekly.total).toBe(3);
    expect(weekly.byConsent).toEqual({ consented: 3, withoutConsent: 0, unsubscribed: 2 });
    expect(weekly.byLocale.reduce((sum, l) => sum + l.users, 0)).toBe(3);

    // The campaign's own category, not its id, decides.
    const tips = await estimate('tips');
    expect(tips.byConsent).toEqual({ consented: 3, withoutConsent: 0, unsubscribed: 2 });
  });

  it('leaves unsubscribed users out of the users with an ongoing journey too', async () => {
    const journeys = await estimate('journeys');
    expect(journeys.total).toBe(3);
    expect(journeys.byStage).toEqual({ ongoing: 3, other: 0 });
  });

  it('agrees with the composer, which skips the same users', async () => {
    const weekly = await app.get(CampaignsService).getUsable('weekly');
    const composer = app.get(CampaignMessageComposer);
    const reached = [];
    for (const userId of ['ada', 'bob', 'cem', 'dan', 'eve']) {
      const composed = await composer.compose(weekly, userId, { now: NOW, dryRun: true });
      if (composed.status === 'message') reached.push(userId);
    }
    expect(reached).toEqual(['ada', 'dan', 'eve']);
  });
});
