import { INestApplicationContext } from '@nestjs/common';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { CampaignMessageComposer } from '../../../src/modules/campaigns/campaign-message-composer.service';
import { CampaignsService } from '../../../src/modules/campaigns/campaigns.service';
import { ComposedMessage } from '../../../src/modules/campaigns/domain/compose-result';
import { LocalCopyBudget } from '../../../src/modules/personalization/domain/copy-budget';
import { RenderedPush } from '../../../src/modules/templates/template.types';
import { buildCampaign } from '../../factories/campaign.factory';
import { startTestMongo } from '../../setup/mongo';
import { FakeOpenAiServer } from '../../setup/openai-server';
import { startTestRedis } from '../../setup/redis';
import { campaignsDir, journeyOf, llmEnv, seedUser, startCampaignsContext } from './campaigns-harness';

const NOW = new Date('2026-03-02T18:00:00Z');
// Interest copy against journey copy, for a campaign that never talks about babies.
const family = buildCampaign(
  { id: 'family', audience: { journeys: { exclude: ['baby'] } } },
  {
    variants: [
      { id: 'interest', weight: 1, copy: 'interest' },
      { id: 'journey', weight: 1, copy: 'journey-llm' },
    ],
  },
);

const searches = (...queries: string[]) => queries.map((query) => ({ query }));

describe('the interest arm of an experiment', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let server: FakeOpenAiServer;
  let app: INestApplicationContext;

  const compose = async (userId: string, arm: string): Promise<ComposedMessage> => {
    const campaign = await app.get(CampaignsService).getUsable('family');
    const variant = campaign.definition.experiment!.variants.find((v) => v.id === arm);
    const result = await app.get(CampaignMessageComposer).compose(campaign, userId, {
      now: NOW,
      dryRun: true,
      variant,
      budget: new LocalCopyBudget(10, 1_000_000),
    });
    if (result.status !== 'message') throw new Error(`skipped: ${result.skip.message}`);
    return result.message;
  };

  beforeAll(async () => {
    [mongo, redis, server] = await Promise.all([startTestMongo(), startTestRedis(), FakeOpenAiServer.start()]);
    server.onChat((request) => {
      const journey = journeyOf(request);
      return { content: JSON.stringify({ title: `Your ${journey}`, body: `Fresh ${journey} ideas are waiting.` }) };
    });
    app = await startCampaignsContext(mongo.uri, redis, 'composer-interest-arm', {
      CAMPAIGNS_DIR: campaignsDir([{ ...family }]),
      ...llmEnv(server.baseUrl),
    });
    await app.get(CampaignsService).sync('test');
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop(), server?.stop()]);
  });

  it("keeps to the campaign's excluded journeys, as the journey arm does", async () => {
    await seedUser(app, 'parent', {
      now: NOW,
      events: searches('baby shower', 'baby shower games', 'baby shower cake', 'kitchen remodel'),
      journeys: [{ name: 'Baby Shower', keywords: ['baby shower', 'shower games'] }, { name: 'Kitchen Remodel' }],
    });
    const journey = await compose('parent', 'journey');
    expect(journey.subject).toMatchObject({ kind: 'journey', name: 'Kitchen Remodel' });
    const interest = await compose('parent', 'interest');
    // Not "baby", nor "shower" or "cake" from the same searches: they are about the excluded journey.
    expect(interest.subject).toMatchObject({ kind: 'interest', name: 'kitchen' });
    expect((interest.rendered as RenderedPush).title).toBe('New ideas for kitchen');
  });

  it('skips a user with nothing it may name, whom the journey arm still reaches, with the reason', async () => {
    // Every search holds the excluded term; the journey built from them keeps only its other words.
    await seedUser(app, 'decorator', {
      now: NOW,
      events: [{ query: 'baby nursery paint' }, { query: 'baby nursery paint colors' }],
      journeys: [{ name: 'Nursery Paint', keywords: ['nursery paint', 'paint colors'] }],
    });
    expect((await compose('decorator', 'journey')).subject).toMatchObject({ name: 'Nursery Paint' });
    const campaign = await app.get(CampaignsService).getUsable('family');
    const interest = await app.get(CampaignMessageComposer).compose(campaign, 'decorator', {
      now: NOW,
      dryRun: true,
      variant: campaign.definition.experiment!.variants.find((v) => v.id === 'interest'),
    });
    // Not the journey's words instead, which would make the baseline journey-aware for exactly these users.
    expect(interest).toMatchObject({ status: 'skip', skip: { code: 'no-interest' } });
  });

  it('counts no event about a sensitive topic, as the journey arm withholds its journey', async () => {
    await seedUser(app, 'expecting', {
      now: NOW,
      events: searches('pregnancy test', 'pregnancy test', 'early pregnancy test', 'kitchen remodel'),
      journeys: [
        {
          name: 'Pregnancy Test',
          keywords: ['pregnancy test', 'early pregnancy test'],
          sensitiveCategories: ['fertility'],
        },
        { name: 'Kitchen Remodel' },
      ],
    });
    const journey = await compose('expecting', 'journey');
    expect(journey.subject).toMatchObject({ kind: 'journey', name: 'Kitchen Remodel' });
    const interest = await compose('expecting', 'interest');
    // Not "test" nor "early" of the searches for a pregnancy test, which the journey arm keeps off.
    expect(interest.subject).toMatchObject({ kind: 'interest', name: 'kitchen' });
  });
});
