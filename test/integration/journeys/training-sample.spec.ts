import { INestApplicationContext } from '@nestjs/common';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { trainingSample } from '../../../src/modules/journeys/domain/training-sample';
import { PlatformEmbedderService } from '../../../src/modules/journeys/platform-embedder.service';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import { ingest, journeySettings, population, startJourneysContext } from './journeys-harness';

describe('platform embedder trained on a sample of users', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let app: INestApplicationContext;

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    app = await startJourneysContext(journeySettings(mongo.uri, redis, 'sample', { JOURNEYS_EMBEDDER_MAX_USERS: '4' }));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  }, 30_000);

  it('learns from the bounded sample, and grows its retrain threshold from every stored event', async () => {
    const { events, userIds } = population(10, 11);
    await ingest(app, events);
    const embedders = app.get(PlatformEmbedderService);
    const first = await embedders.current();
    const sampled = new Set(trainingSample(userIds, 4));
    expect(first.model.training).toEqual({
      users: 4,
      events: events.filter((e) => sampled.has(e.userId)).length,
    });
    // Growth is measured against the whole corpus, or every check would retrain a sampled model.
    expect(await embedders.status()).toMatchObject({ users: 4, retrainAtEvents: 2 * events.length });
    expect(await embedders.hasGrown()).toBe(false);
    // The same users are chosen again: retraining unchanged data gives the same model.
    expect(await embedders.retrain()).toEqual({ version: first.version, changed: false });
  }, 120_000);
});
