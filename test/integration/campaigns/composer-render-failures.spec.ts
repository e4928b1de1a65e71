import { INestApplicationContext } from '@nestjs/common';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { CampaignMessageComposer } from '../../../src/modules/campaigns/campaign-message-composer.service';
import { CampaignPreviewService } from '../../../src/modules/campaigns/campaign-preview.service';
import { CampaignsService } from '../../../src/modules/campaigns/campaigns.service';
import { RenderedPush } from '../../../src/modules/templates/template.types';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import { campaignsDir, seedUser, startCampaignsContext, templatesDirWith } from './campaigns-harness';

const NOW = new Date('2026-03-02T18:00:00Z');

/** The product's templates plus one push whose title formats a profile attribute as a number. */
const templatesDir = () =>
  templatesDirWith({
    'push/visit-count': {
      'template.json': '{ "description": "Visits so far", "locale": "en" }',
      'title.hbs': '{{number user.attributes.visits}} visits to {{subject.name}}',
      'body.hbs': 'Pick up where you left off.',
      'deep-link.hbs': '{{track "https://app.example.com/ideas"}}',
    },
  });

const visits = {
  id: 'visits',
  name: 'Visits',
  owner: 'growth',
  channel: 'push',
  schedule: { type: 'local-hour', hour: 18 },
  audience: { journeys: { stages: ['ongoing'] } },
  template: 'push/visit-count',
  copy: { variant: 'journey-template' },
};
/** A push whose copy limits are looser than this deployment's push limits (65 and 240 characters). */
const roomy = {
  ...visits,
  id: 'roomy',
  template: 'push/journey-nudge',
  copy: { variant: 'journey-template', limits: { titleMaxChars: 100, bodyMaxChars: 240 } },
};

describe('CampaignMessageComposer render failures', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let app: INestApplicationContext;
  const kitchen = { name: 'Kitchen Remodel', keywords: ['kitchen remodel', 'backsplash tile'] };

  const compose = async (userId: string) => {
    const campaign = await app.get(CampaignsService).getUsable('visits');
    return app.get(CampaignMessageComposer).compose(campaign, userId, { now: NOW, dryRun: true });
  };

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    app = await startCampaignsContext(mongo.uri, redis, 'render_failures', {
      CAMPAIGNS_DIR: campaignsDir([visits, roomy]),
      TEMPLATES_DIR: templatesDir(),
    });
    await app.get(CampaignsService).sync('test');
    await seedUser(app, 'counted', { now: NOW, profile: { attributes: { visits: 12 } }, journeys: [kitchen] });
    await seedUser(app, 'garbled', { now: NOW, profile: { attributes: { visits: 'many' } }, journeys: [kitchen] });
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  });

  it('renders the attribute when it is a number', async () => {
    const result = await compose('counted');
    if (result.status !== 'message') throw new Error(`skipped: ${result.skip.message}`);
    expect((result.message.rendered as RenderedPush).title).toBe('12 visits to Kitchen Remodel');
  });

  it('skips only the user whose value the template cannot format, naming the helper', async () => {
    const result = await compose('garbled');
    expect(result).toMatchObject({
      status: 'skip',
      userId: 'garbled',
      skip: { code: 'render-failed', rule: 'number', message: 'not a number: "many"' },
    });
  });

  it('previews the failing user as a skip, not an error', async () => {
    const preview = await app.get(CampaignPreviewService).previewUser('visits', 'garbled', { now: NOW });
    expect(preview.status).toBe('skip');
  });

  it('refuses push copy limits looser than the push limits at sync, not with a failed render per recipient', async () => {
    const campaign = await app.get(CampaignsService).get('roomy');
    expect(campaign.definition).toBeUndefined();
    expect(campaign.problems).toEqual([
      expect.objectContaining({
        path: 'copy.limits.titleMaxChars',
        message: 'must be at most 65, the push title limit (PUSH_TITLE_MAX_CHARS)',
        line: expect.any(Number),
      }),
    ]);
  });
});
