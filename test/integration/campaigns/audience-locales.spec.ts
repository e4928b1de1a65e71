import { INestApplicationContext } from '@nestjs/common';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { AudienceEstimateService } from '../../../src/modules/campaigns/audience-estimate.service';
import { CampaignMessageComposer } from '../../../src/modules/campaigns/campaign-message-composer.service';
import { CampaignsService } from '../../../src/modules/campaigns/campaigns.service';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import { campaignsDir, digestCampaign, seedUser, startCampaignsContext } from './campaigns-harness';

const NOW = new Date('2026-03-02T18:00:00Z');

const campaign = (id: string, locales: string[]) => digestCampaign(id, { locales });

describe('audience locale rules', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let app: INestApplicationContext;

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    app = await startCampaignsContext(mongo.uri, redis, 'audience-locales', {
      CAMPAIGNS_DIR: campaignsDir([campaign('french', ['fr_FR']), campaign('nonsense', ['not a locale'])]),
    });
    await app.get(CampaignsService).sync('test');
    await seedUser(app, 'amelie', { now: NOW, profile: { locale: 'fr-FR' }, journeys: [{ name: 'Pain Au Levain' }] });
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  });

  it('reads a rule locale written fr_FR as fr-FR, as a profile locale is, in the estimate and the message', async () => {
    const french = await app.get(CampaignsService).getUsable('french');
    expect((await app.get(AudienceEstimateService).estimate(french.definition, NOW)).total).toBe(1);
    const composed = await app.get(CampaignMessageComposer).compose(french, 'amelie', { now: NOW, dryRun: true });
    expect(composed).toMatchObject({ status: 'message' });
  });

  it('refuses at sync a rule locale that is no locale, naming the field', async () => {
    const nonsense = await app.get(CampaignsService).get('nonsense');
    expect(nonsense.problems).toEqual([
      expect.objectContaining({ path: 'audience.locales[0]', message: expect.stringContaining('locale') }),
    ]);
  });
});
