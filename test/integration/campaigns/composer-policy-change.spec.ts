import { INestApplicationContext } from '@nestjs/common';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { ActivityEvent } from '../../../src/lib/events/activity-event';
import { AudienceEstimateService } from '../../../src/modules/campaigns/audience-estimate.service';
import { CampaignPreviewService } from '../../../src/modules/campaigns/campaign-preview.service';
import { CampaignsService } from '../../../src/modules/campaigns/campaigns.service';
import { EventsService } from '../../../src/modules/ingest/events.service';
import { PutUserDto } from '../../../src/modules/ingest/dto/put-user.dto';
import { UsersService } from '../../../src/modules/ingest/users.service';
import { DEFAULT_SAFETY_POLICY } from '../../../src/modules/journeys/domain/journey-safety';
import { JOURNEY_POLICY, journeyPolicyOf } from '../../../src/modules/journeys/journey-policy';
import { toUserJourneysResponse } from '../../../src/modules/journeys/dto/user-journeys-response.dto';
import { JourneysModule } from '../../../src/modules/journeys/journeys.module';
import { JourneysService } from '../../../src/modules/journeys/journeys.service';
import { LocalCopyBudget } from '../../../src/modules/personalization/domain/copy-budget';
import { buildUserProfile } from '../../factories/user.factory';
import { startTestMongo } from '../../setup/mongo';
import { startNestContext } from '../../setup/nest-context';
import { startTestRedis } from '../../setup/redis';
import { testSettings } from '../../setup/settings';
import { campaignsDir, composeDryRun, digestCampaign, startCampaignsContext } from './campaigns-harness';

const HOUR_MS = 3_600_000;
const DATABASE = 'composer-policy-change';
const SEARCHES = [
  'pregnancy test',
  'early pregnancy test',
  'pregnancy test results',
  'kitchen remodel',
  'kitchen island',
];

describe('journeys built before the safety policy changed', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  // A release whose policy had no fertility category built the journeys; the current one sends.
  let older: INestApplicationContext;
  let current: INestApplicationContext;

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    const settings = testSettings(mongo.uri, redis.url, DATABASE, { JOURNEYS_SCHEDULE_ENABLED: 'false' });
    const { fertility: _, ...sensitiveCategories } = DEFAULT_SAFETY_POLICY.sensitiveCategories;
    const policy = journeyPolicyOf(settings.journeys);
    older = await startNestContext(settings, [JourneysModule], (builder) =>
      builder
        .overrideProvider(JOURNEY_POLICY)
        .useValue({ ...policy, safety: { ...policy.safety, sensitiveCategories } }),
    );
    current = await startCampaignsContext(mongo.uri, redis, DATABASE, {
      CAMPAIGNS_DIR: campaignsDir([
        { ...digestCampaign('digest', {}), content: { topK: 3 } },
        digestCampaign('pregnancy-digest', { journeys: { include: ['pregnancy'] } }),
        digestCampaign('kitchen-digest', { journeys: { include: ['kitchen'] } }),
      ]),
    });
    await current.get(CampaignsService).sync('test');
  }, 60_000);

  afterAll(async () => {
    await older?.close();
    await current?.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  });

  it('are judged by the policy in force when read, not the one they were built under', async () => {
    const profile = buildUserProfile({ consent: { email: true, push: true } }) as PutUserDto;
    await current.get(UsersService).putUser('expecting', profile);
    const now = new Date();
    const events = Array.from({ length: 20 }, (_, i) => ({
      id: `expecting-e${i}`,
      userId: 'expecting',
      type: 'search',
      query: SEARCHES[i % SEARCHES.length],
      occurredAt: new Date(now.getTime() - (i + 1) * 6 * HOUR_MS),
    })) as ActivityEvent[];
    await current.get(EventsService).store(events);
    const built = await older.get(JourneysService).rebuildUser('expecting');
    const pregnancy = built.journeys.filter(({ journey }) => /pregnancy/i.test(journey.name));
    // Nothing told the older release that these are sensitive.
    expect(pregnancy.length).toBeGreaterThan(0);
    expect(pregnancy.map(({ journey }) => journey.sensitiveCategories)).toEqual(pregnancy.map(() => []));

    const message = await composeDryRun(current, 'digest', 'expecting', now, new LocalCopyBudget(10, 1_000_000));
    expect(message.subjects.length).toBeGreaterThan(0);
    expect(message.subjects.map((s) => s.name).filter((name) => /pregnancy/i.test(name))).toEqual([]);
    expect(message.subjects[0]).toMatchObject({ kind: 'journey', name: expect.stringMatching(/kitchen/i) });
    // Where the user's journeys are shown, they are not notifiable either.
    const shown = await current.get(JourneysService).getUserJourneys('expecting');
    const notifiable = new Map(shown.journeys.map(({ journey, notifiable }) => [journey.name, notifiable]));
    expect(pregnancy.map(({ journey }) => notifiable.get(journey.name))).toEqual(pregnancy.map(() => false));
    // And they are shown as sensitive, in the category today's policy finds, as the API answers.
    const answered = new Map(toUserJourneysResponse(shown).journeys.map((j) => [j.name, j]));
    expect(pregnancy.map(({ journey }) => answered.get(journey.name))).toEqual(
      pregnancy.map(() =>
        expect.objectContaining({ sensitive: true, sensitiveCategories: ['fertility'], notifiable: false }),
      ),
    );
    const kitchen = [...answered.values()].filter((j) => /kitchen/i.test(j.name));
    expect(kitchen.length).toBeGreaterThan(0);
    expect(kitchen).toEqual(
      kitchen.map(() => expect.objectContaining({ sensitive: false, sensitiveCategories: [], notifiable: true })),
    );
  });

  it('qualify no one for an audience by a journey the policy now withholds', async () => {
    // The facts audiences are counted on were written by the older release's build, above.
    const estimate = async (campaignId: string) =>
      current
        .get(AudienceEstimateService)
        .estimate((await current.get(CampaignsService).getUsable(campaignId)).definition, new Date());
    expect((await estimate('pregnancy-digest')).total).toBe(0);
    expect((await estimate('kitchen-digest')).total).toBe(1);
    // Previews and runs select their users by the same rules: none to skip, where the older facts named one.
    expect(await current.get(CampaignPreviewService).previewSample('pregnancy-digest', 1)).toEqual({
      campaignId: 'pregnancy-digest',
      messages: [],
      skipped: {},
    });
  });
});
