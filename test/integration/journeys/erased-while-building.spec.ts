import { INestApplicationContext } from '@nestjs/common';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { UsersService } from '../../../src/modules/ingest/users.service';
import { emptyBuildStats } from '../../../src/modules/journeys/build-stats';
import { JourneyBatchBuilderService } from '../../../src/modules/journeys/journey-batch-builder.service';
import { JourneyBuilderService } from '../../../src/modules/journeys/journey-builder.service';
import { PlatformEmbedderService } from '../../../src/modules/journeys/platform-embedder.service';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import { db, ingest, journeySettings, population, startJourneysContext } from './journeys-harness';

describe('a user erased while their journeys are built', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let app: INestApplicationContext;
  const { events, userIds } = population(4, 11);

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    app = await startJourneysContext(journeySettings(mongo.uri, redis, 'erased-building'), []);
    await ingest(app, events);
    await app.get(UsersService).putUser(userIds[0], { locale: 'en-US', consent: { email: true, push: false } });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  }, 30_000);
  afterEach(() => jest.restoreAllMocks());

  /** The user's erasure runs, start to end, after the build read their events and before it stores anything. */
  function eraseDuringBuild(userId: string): void {
    const builder = app.get(JourneyBuilderService);
    const finish = builder.finish.bind(builder);
    let erased = false;
    jest.spyOn(builder, 'finish').mockImplementation(async (...args) => {
      if (!erased) {
        erased = true;
        await app.get(UsersService).eraseUser(userId);
      }
      return finish(...args);
    });
  }

  async function storedFor(userId: string) {
    const [journeys, facts] = await Promise.all([
      db(app).collection('user_journeys').countDocuments({ userId }),
      db(app).collection('audience_facts').countDocuments({ userId }),
    ]);
    return { journeys, facts };
  }

  it('stores neither journeys nor audience facts for a user erased during a batch build', async () => {
    const embedder = await app.get(PlatformEmbedderService).current();
    const erased = userIds[0];
    eraseDuringBuild(erased);
    const settled = await app
      .get(JourneyBatchBuilderService)
      .buildMany([erased, userIds[1]], { runId: 'run-a', embedder, now: new Date() }, emptyBuildStats());
    expect(settled.find((s) => s.userId === userIds[1])?.status).toBe('built');
    expect(await storedFor(erased)).toEqual({ journeys: 0, facts: 0 });
    expect((await storedFor(userIds[1])).journeys).toBe(1);
  });

  it('stores nothing for a user without a profile erased during a single rebuild', async () => {
    const embedder = await app.get(PlatformEmbedderService).current();
    const erased = userIds[2];
    eraseDuringBuild(erased);
    await app
      .get(JourneyBuilderService)
      .build({ userId: erased, runId: 'run-b', embedder, now: new Date() }, emptyBuildStats());
    expect(await storedFor(erased)).toEqual({ journeys: 0, facts: 0 });
  });
});
