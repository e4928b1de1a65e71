import { INestApplicationContext } from '@nestjs/common';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { JourneyRunsService } from '../../../src/modules/journeys/journey-runs.service';
import { PlatformEmbedderService } from '../../../src/modules/journeys/platform-embedder.service';
import { UserJourneysRepository } from '../../../src/modules/journeys/user-journeys.repository';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import { ingest, journeySettings, population, startJourneysContext, waitForRun } from './journeys-harness';

/** The synthetic population with every id prefixed, so a second batch adds users rather than replacing them. */
const batch = (users: number, seed: number, prefix: string) =>
  population(users, seed).events.map((e) => ({ ...e, id: `${prefix}-${e.id}`, userId: `${prefix}-${e.userId}` }));

describe('platform embedder retrained on corpus growth', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let app: INestApplicationContext;

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    app = await startJourneysContext(journeySettings(mongo.uri, redis, 'growth', { JOURNEYS_RETRAIN_GROWTH: '2' }));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  }, 30_000);

  it('keeps the model until the events double, then retrains and rebuilds everyone with the new version', async () => {
    const embedders = app.get(PlatformEmbedderService);
    const runs = app.get(JourneyRunsService);
    expect(await embedders.status()).toBeUndefined();
    expect(await runs.retrainIfGrown()).toBeUndefined();

    const [a, b, c] = [batch(4, 3, 'a'), batch(2, 4, 'b'), batch(4, 5, 'c')];
    await ingest(app, a);
    const first = await embedders.current();
    const before = await embedders.status();
    expect(before).toMatchObject({ version: first.version, events: a.length, retrainAtEvents: 2 * a.length });
    // The model carries keyword recurrence learnt from the same events.
    expect(first.model.recurrence?.json.keys.length).toBe(before!.recurrence!.keywords);
    expect(before!.recurrence!.examples).toBeGreaterThan(0);
    // With how many users used each keyword (generic vs specific), read back from the store.
    const learnt = first.model.recurrence!.json;
    expect(learnt.users).toHaveLength(learnt.keys.length);
    expect(Math.min(...learnt.users!)).toBeGreaterThanOrEqual(1);

    await ingest(app, b);
    expect(a.length + b.length).toBeLessThan(2 * a.length);
    expect(await runs.retrainIfGrown()).toBeUndefined();
    expect((await embedders.current()).version).toBe(first.version);

    await ingest(app, c);
    const total = a.length + b.length + c.length;
    expect(total).toBeGreaterThanOrEqual(2 * a.length);
    const grown = await runs.retrainIfGrown();
    expect(grown).toMatchObject({ changed: true });
    expect(grown!.version).not.toBe(first.version);
    expect(await embedders.status()).toMatchObject({
      version: grown!.version,
      events: total,
      retrainAtEvents: 2 * total,
    });
    const retrained = await embedders.status();
    expect(retrained!.recurrence!.examples).toBeGreaterThan(before!.recurrence!.examples);
    expect(await waitForRun(app, grown!.runId!)).toMatchObject({
      kind: 'full',
      trigger: 'retrain',
      status: 'completed',
      modelVersion: grown!.version,
      counts: { selected: 10, built: 10 },
    });
    expect(await runs.retrainIfGrown()).toBeUndefined();
    // Stored keyword weights are the build's real weights (relative to the strongest), not all 1.
    const stored = await app.get(UserJourneysRepository).findByUserId(a[0].userId);
    const weights = stored!.journeys.flatMap((j) => j.keywords.map((k) => k.weight));
    expect(Math.max(...weights)).toBe(1);
    expect(weights.some((w) => w > 0 && w < 1)).toBe(true);
  }, 120_000);

  it('a model trained on little activity is stored but clustered with the lexical fallback, and says why', async () => {
    const status = await app.get(PlatformEmbedderService).status();
    expect(status).toMatchObject({ clustering: 'lexical', reason: expect.stringMatching(/^trained on .*events/) });
  });
});
