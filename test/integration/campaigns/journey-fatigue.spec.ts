import { INestApplicationContext } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { CampaignsService } from '../../../src/modules/campaigns/campaigns.service';
import { LocalCopyBudget } from '../../../src/modules/personalization/domain/copy-budget';
import { buildCampaign } from '../../factories/campaign.factory';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import { campaignsDir, composeDryRun, seedUser, startCampaignsContext } from './campaigns-harness';

const NOW = new Date('2026-03-02T18:00:00Z');
const DAY = 86_400_000;
// One message about the user's leading journey, in journey copy.
const single = buildCampaign(
  { id: 'single', name: 'Single', content: { topK: 1 }, copy: { variant: 'journey-template' } },
  null,
);
// The kitchen was touched a day later than the garden: it leads while neither has been notified about.
const kitchen = { name: 'Kitchen Remodel', keywords: ['kitchen remodel'], ageDays: [1, 2, 3], axis: 0 };
const garden = { name: 'Garden Design', keywords: ['garden design'], ageDays: [2, 3, 4], axis: 1 };

describe('what a message is about, after the notifications a user ignored', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let app: INestApplicationContext;
  const subjectOf = async (userId: string) =>
    (await composeDryRun(app, 'single', userId, NOW, new LocalCopyBudget(0, 0))).subject.name;

  /** Notifications about the kitchen sent `daysAgo`, opened an hour after sending when `opened`. */
  const sentAboutKitchen = (userId: string, daysAgo: number[], opened: boolean) =>
    app
      .get<Connection>(getConnectionToken())
      .collection('notifications')
      .insertMany(
        daysAgo.map((days) => {
          const sentAt = new Date(NOW.getTime() - days * DAY);
          return {
            notificationId: `${userId}-${days}`,
            runId: `past-${days}`,
            userId,
            sentAt,
            ranking: {
              journeyId: 'kitchen-remodel',
              journeyName: 'Kitchen Remodel',
              features: {},
              ...(opened && { openedAt: new Date(sentAt.getTime() + 3_600_000) }),
            },
          };
        }),
      );

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    app = await startCampaignsContext(mongo.uri, redis, 'journey-fatigue', { CAMPAIGNS_DIR: campaignsDir([single]) });
    await app.get(CampaignsService).sync('test');
    for (const userId of ['kay', 'lee', 'max']) await seedUser(app, userId, { now: NOW, journeys: [kitchen, garden] });
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  });

  it('is the leading journey for a user never notified about it', async () => {
    await expect(subjectOf('kay')).resolves.toBe('Kitchen Remodel');
  });

  it('moves to the next journey once the user ignored three notifications about the leading one this week', async () => {
    await sentAboutKitchen('lee', [4, 5, 6], false);
    await expect(subjectOf('lee')).resolves.toBe('Garden Design');
  });

  it('stays on the leading journey when the user opened the notifications about it', async () => {
    await sentAboutKitchen('max', [4, 5, 6], true);
    await expect(subjectOf('max')).resolves.toBe('Kitchen Remodel');
  });
});
