import { INestApplicationContext } from '@nestjs/common';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { JourneysService, UserJourneysView } from '../../../src/modules/journeys/journeys.service';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import { db, ingest, journeySettings, population, startJourneysContext } from './journeys-harness';

describe('configured blocklist', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  const apps: INestApplicationContext[] = [];
  const { events } = population(10, 9, 50);
  const puppyOwner = events.find((e) => e.query?.includes('puppy'))!.userId;
  const mentionsPuppy = (view: UserJourneysView) =>
    view.journeys.filter(({ journey, expansion }) =>
      [journey.name, ...journey.keywords.map((k) => k.text), ...(expansion?.related ?? [])].some((t) =>
        /pupp/i.test(t),
      ),
    );

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    for (const env of [{}, { JOURNEYS_BLOCKED_TERMS: 'puppy, puppies' }] as Array<Record<string, string>>) {
      apps.push(await startJourneysContext(journeySettings(mongo.uri, redis, 'safety', env), []));
    }
    await ingest(apps[0], events);
  }, 60_000);
  afterAll(async () => {
    for (const app of apps) await app.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  }, 30_000);

  it('drops journeys and expansions with a blocked term and keeps the ranks contiguous', async () => {
    const open = await apps[0].get(JourneysService).rebuildUser(puppyOwner);
    expect(mentionsPuppy(open).length).toBeGreaterThan(0);
    const blocked = await apps[1].get(JourneysService).rebuildUser(puppyOwner);
    expect(mentionsPuppy(blocked)).toEqual([]);
    expect(blocked.journeys.length).toBe(open.journeys.length - mentionsPuppy(open).length);
    expect(blocked.journeys.map(({ journey }) => journey.rank)).toEqual(blocked.journeys.map((_, i) => i + 1));
    // The previous build is kept next to the current one, so a rebuild can be diffed.
    const stored = await db(apps[1]).collection('user_journeys').findOne({ userId: puppyOwner });
    expect(stored?.previous.journeys).toHaveLength(open.journeys.length);
  });
});
