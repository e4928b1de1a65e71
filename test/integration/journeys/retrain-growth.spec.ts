import { INestApplicationContext } from '@nestjs/common';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { JourneyRunsService } from '../../../src/modules/journeys/journey-runs.service';
import { PlatformEmbedderService } from '../../../src/modules/journeys/platform-embedder.service';
import { UserJourneysRepository } from '../../../src/modules/journeys/user-journeys.repository';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import { db, ingest, journeySettings, population, startJourneysContext, waitForRun } from './journeys-harness';

/** The synthetic population with every id prefixed, so a second batch adds users rather than replacing them. */
const batch = (users: number, seed: number, prefix: string) =>
  population(users, seed).events.map((e) => ({ ...e, id: `${prefix}-${e.id}`, userId: `${prefix}-${e.userId}` }));

describe('platform embedder retrained on corpus growth', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let app: INestApplicationContext;
  /** The same servers, another database: an install whose first model saw one event. */
  let young: INestApplicationContext;

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    const settings = (database: string) =>
      journeySettings(mongo.uri, redis, database, { JOURNEYS_RETRAIN_GROWTH: '2' });
    [app, young] = await Promise.all([
      startJourneysContext(settings('growth')),
      startJourneysContext(settings('growth_young')),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([app?.close(), young?.close()]);
    await Promise.all([mongo?.stop(), redis?.stop()]);
  }, 30_000);

  it('keeps the model until the events double, then a build run retrains it first and builds everyone with it', async () => {
    const embedders = app.get(PlatformEmbedderService);
    const runs = app.get(JourneyRunsService);
    expect(await embedders.status()).toBeUndefined();
    expect(await embedders.hasGrown()).toBe(false);

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
    expect(await embedders.hasGrown()).toBe(false);
    const small = await runs.requestRun('incremental', 'manual');
    expect(await waitForRun(app, small.runId)).toMatchObject({
      kind: 'incremental',
      modelVersion: first.version,
      counts: { selected: 6, built: 6 },
    });
    expect((await embedders.current()).version).toBe(first.version);

    await ingest(app, c);
    const total = a.length + b.length + c.length;
    expect(total).toBeGreaterThanOrEqual(2 * a.length);
    expect(await embedders.hasGrown()).toBe(true);
    // An incremental run (the nightly one, or `journeys rebuild`) retrains first; the changed model makes it
    // build every user, not only those with new events.
    const { runId } = await runs.requestRun('incremental', 'manual');
    const run = await waitForRun(app, runId);
    const grown = await embedders.status();
    expect(grown!.version).not.toBe(first.version);
    expect(grown).toMatchObject({
      events: total,
      retrainAtEvents: 2 * total,
    });
    const retrained = await embedders.status();
    expect(retrained!.recurrence!.examples).toBeGreaterThan(before!.recurrence!.examples);
    expect(run).toMatchObject({
      kind: 'full',
      trigger: 'manual',
      status: 'completed',
      modelVersion: grown!.version,
      counts: { selected: 10, built: 10 },
    });
    expect(await embedders.hasGrown()).toBe(false);
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

  it('a full run after the events outgrew a model trained on one event retrains it before its shards build', async () => {
    const embedders = young.get(PlatformEmbedderService);
    const runs = young.get(JourneyRunsService);
    // A first event, and a first build of its user: the model learns from that one event, and is passed over.
    const [one] = batch(1, 21, 'first');
    await ingest(young, [one]);
    const tiny = await embedders.current();
    expect(tiny).toMatchObject({ kind: 'lexical', model: { training: { users: 1, events: 1 } } });
    expect(await embedders.describe(tiny.version)).toBe(
      `model ${tiny.version}: trained on 1 events of 1 users, clustering fell back to lexical, as it was ${tiny.reason}`,
    );

    // Then an import, and a rebuild of everyone as `journeys rebuild --all` requests it.
    const imported = batch(30, 22, 'import');
    await ingest(young, imported);
    expect(await embedders.hasGrown()).toBe(true);
    const { runId } = await runs.requestRun('full', 'manual');
    const run = await waitForRun(young, runId, 60_000);

    const fresh = await embedders.status();
    expect(fresh!.version).not.toBe(tiny.version);
    expect(fresh).toMatchObject({ users: 31, events: imported.length + 1 });
    expect(run).toMatchObject({
      kind: 'full',
      trigger: 'manual',
      status: 'completed',
      modelVersion: fresh!.version,
      counts: { selected: 31 },
    });
    expect(run.counts.built).toBeGreaterThanOrEqual(30);
    const built = await young.get(UserJourneysRepository).findByUserId(imported[0].userId);
    expect(built).toMatchObject({ modelVersion: fresh!.version, buildRunId: runId });
    expect(await embedders.describe(fresh!.version)).toMatch(
      new RegExp(`^model ${fresh!.version}: trained on ${imported.length + 1} events of 31 users, clustering `),
    );
    // No second retrain, and no second full run: this run was the one.
    expect(await embedders.hasGrown()).toBe(false);
    expect((await embedders.current()).version).toBe(fresh!.version);
    expect(await db(young).collection('journey_build_runs').countDocuments()).toBe(1);
  }, 120_000);
});
