import { INestApplicationContext } from '@nestjs/common';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { emptyBuildStats } from '../../../src/modules/journeys/build-stats';
import { JourneyBatchBuilderService } from '../../../src/modules/journeys/journey-batch-builder.service';
import { JourneyBuilderService } from '../../../src/modules/journeys/journey-builder.service';
import { PlatformEmbedderService } from '../../../src/modules/journeys/platform-embedder.service';
import { UserJourneysBuild, UserJourneysRepository } from '../../../src/modules/journeys/user-journeys.repository';
import { buildStoredJourney } from '../../factories/journey.factory';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import { db, ingest, journeySettings, population, startJourneysContext } from './journeys-harness';

function build(userId: string, runId: string): UserJourneysBuild {
  return { userId, journeys: [], generatedAt: new Date(), modelVersion: 'm1', buildRunId: runId };
}

describe('building users in batches', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let app: INestApplicationContext;
  const { events, userIds } = population(12, 5);

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    app = await startJourneysContext(journeySettings(mongo.uri, redis, 'batches'), []);
    await ingest(app, events);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  }, 30_000);

  it('commits first builds and rebuilds in bulk, and tells its own earlier commit from a lost race', async () => {
    const repo = app.get(UserJourneysRepository);
    const first = await repo.commitBuilds(['a', 'b', 'c'].map((u) => ({ build: build(u, 'r1'), base: undefined })));
    expect([...first.values()]).toEqual(['committed', 'committed', 'committed']);

    const bases = await repo.findByUserIds(['a', 'b', 'c']);
    // `b` was meanwhile rebuilt by another run; `c` already carries run r2 (a re-processed shard).
    await db(app)
      .collection('user_journeys')
      .updateOne({ userId: 'b' }, { $set: { buildRunId: 'rX' }, $inc: { buildCount: 1 } });
    await repo.commitBuilds([{ build: build('c', 'r2'), base: bases.get('c') }]);
    const second = await repo.commitBuilds([
      ...['a', 'b', 'c'].map((u) => ({ build: build(u, 'r2'), base: bases.get(u) })),
      { build: build('a2', 'r1'), base: undefined },
      { build: build('d', 'r2'), base: undefined },
    ]);
    expect(Object.fromEntries(second)).toEqual({
      a: 'committed',
      b: 'conflict',
      c: 'already-built',
      a2: 'committed',
      d: 'committed',
    });
    const stored = await db(app)
      .collection('user_journeys')
      .find({}, { sort: { userId: 1 } })
      .toArray();
    expect(stored.map((d) => [d.userId, d.buildRunId, d.buildCount])).toEqual([
      ['a', 'r2', 2],
      ['a2', 'r1', 1],
      ['b', 'rX', 2],
      ['c', 'r2', 2],
      ['d', 'r2', 1],
    ]);
    expect(stored[0].previous).toMatchObject({ buildRunId: 'r1' });
  });

  it('keeps the stored build as the previous one and stores text that starts with $ verbatim', async () => {
    const repo = app.get(UserJourneysRepository);
    const stored = buildStoredJourney(new Date(), { name: 'Kitchen Renovation' });
    const cheap = buildStoredJourney(new Date(), { name: '$5 Meals', keywords: ['$5 meals', '$concat'] });
    await repo.commitBuilds([{ build: { ...build('p', 'r1'), journeys: [stored] }, base: undefined }]);
    const base = (await repo.findByUserIds(['p'])).get('p');
    const outcome = await repo.commitBuilds([{ build: { ...build('p', 'r2'), journeys: [cheap] }, base }]);
    expect(outcome.get('p')).toBe('committed');
    const doc = await db(app).collection('user_journeys').findOne({ userId: 'p' });
    expect(doc).toMatchObject({ buildRunId: 'r2', buildCount: 2, modelVersion: 'm1' });
    expect(doc!.journeys[0].name).toBe('$5 Meals');
    expect(doc!.journeys[0].keywords.map((k: { text: string }) => k.text)).toEqual(['$5 meals', '$concat']);
    expect(doc!.previous.buildRunId).toBe('r1');
    expect(doc!.previous.journeys[0].name).toBe('Kitchen Renovation');
  });

  it('builds a batch as the per-user path does: same journeys, each user committed once', async () => {
    const embedder = await app.get(PlatformEmbedderService).current();
    const batch = app.get(JourneyBatchBuilderService);
    const now = new Date();
    const settled = await batch.buildMany(
      [...userIds, 'never-active'],
      { runId: 'run-b', embedder, now },
      emptyBuildStats(),
    );
    expect(settled.map((s) => s.status)).toEqual([...userIds.map(() => 'built'), 'skipped']);
    const again = await batch.buildMany(userIds, { runId: 'run-b', embedder, now }, emptyBuildStats());
    expect(again.every((s) => s.status === 'skipped')).toBe(true);

    const docs = await db(app)
      .collection('user_journeys')
      .find({ userId: { $in: userIds } })
      .toArray();
    expect(docs.every((d) => d.buildRunId === 'run-b' && d.buildCount === 1)).toBe(true);
    expect(settled.map((s) => s.journeys)).toEqual([
      ...userIds.map((u) => (docs.find((d) => d.userId === u)!.journeys as unknown[]).length),
      0,
    ]);
    // The per-user path on the same events and time gives the same journeys (ids continue from the batch's).
    const single = await app
      .get(JourneyBuilderService)
      .build({ userId: userIds[0], runId: 'run-c', embedder, now }, emptyBuildStats());
    expect(single.outcome).toBe('built');
    expect(single.journeys).toEqual(docs.find((d) => d.userId === userIds[0])!.journeys);
    const facts = await db(app)
      .collection('audience_facts')
      .countDocuments({ userId: { $in: userIds } });
    expect(facts).toBe(userIds.length);
  });

  it('rebuilds a batch from the stored ids and keywords: continuing journeys keep their ids', async () => {
    const embedder = await app.get(PlatformEmbedderService).current();
    const batch = app.get(JourneyBatchBuilderService);
    const journeysOf = async () =>
      (
        await db(app)
          .collection('user_journeys')
          .find({ userId: { $in: userIds } })
          .toArray()
      ).map((d) => ({
        userId: d.userId as string,
        ids: (d.journeys as Array<{ id: string }>).map((j) => j.id),
      }));
    const before = await journeysOf();
    expect(before.some((u) => u.ids.length > 0)).toBe(true);
    const settled = await batch.buildMany(userIds, { runId: 'run-d', embedder, now: new Date() }, emptyBuildStats());
    expect(settled.every((s) => s.status === 'built')).toBe(true);
    const after = await journeysOf();
    for (const { userId, ids } of after) {
      const kept = before.find((u) => u.userId === userId)!.ids;
      expect(ids.filter((id) => kept.includes(id)).length).toBe(Math.min(ids.length, kept.length));
    }
  });
});
