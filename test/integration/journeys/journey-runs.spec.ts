import { INestApplicationContext } from '@nestjs/common';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { JOURNEY_JOBS, JOURNEYS_QUEUE } from '../../../src/modules/journeys/jobs/journeys.queue';
import { JourneyBuildRunRepository } from '../../../src/modules/journeys/journey-build-run.repository';
import { EventRepository } from '../../../src/modules/ingest/event.repository';
import { JourneyRunsService } from '../../../src/modules/journeys/journey-runs.service';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import { db, ingest, journeySettings, population, startJourneysContext, waitForRun } from './journeys-harness';

describe('journey build runs through Bull', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let app: INestApplicationContext;
  const { events, userIds } = population(24, 3);

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    app = await startJourneysContext(journeySettings(mongo.uri, redis, 'runs'));
    await ingest(app, events, new Date(Date.now() - 10_000));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  }, 30_000);

  it('builds every user with events in a full run, once each, in shards', async () => {
    const runs = app.get(JourneyRunsService);
    const requested = await runs.requestRun('full', 'manual');
    const run = await waitForRun(app, requested.runId);
    expect(run).toMatchObject({
      status: 'completed',
      shardCount: 3,
      counts: { selected: 24, built: 24, skipped: 0, failed: 0 },
    });
    expect([...run.doneShards].sort()).toEqual([0, 1, 2]);
    const docs = await db(app).collection('user_journeys').find().toArray();
    expect(docs.map((d) => d.userId).sort()).toEqual(userIds);
    expect(
      docs.every((d) => d.buildCount === 1 && d.buildRunId === run.runId && d.modelVersion === run.modelVersion),
    ).toBe(true);
    const withJourneys = docs.filter((d) => (d.journeys as unknown[]).length > 0);
    expect(withJourneys.length).toBeGreaterThan(20);
    const ledger = await db(app).collection('journey_build_ledger').find({ runId: run.runId }).toArray();
    expect(ledger).toHaveLength(24);
    expect(ledger.every((e) => e.status === 'built')).toBe(true);
  });

  it('selects only users whose events arrived after their last build', async () => {
    const runs = app.get(JourneyRunsService);
    const idle = await waitForRun(app, (await runs.requestRun('incremental', 'manual')).runId);
    expect(idle.counts).toMatchObject({ selected: 0 });

    const [a, b] = [userIds[2], userIds[17]];
    const fresh = [a, b]
      .flatMap((u) => events.filter((e) => e.userId === u).slice(0, 3))
      .map((e) => ({ ...e, id: `${e.id}-again` }));
    await ingest(app, fresh);
    const run = await waitForRun(app, (await runs.requestRun('incremental', 'manual')).runId);
    expect(run.counts).toMatchObject({ selected: 2, built: 2 });
    const built = await db(app).collection('user_journeys').find({ buildRunId: run.runId }).toArray();
    expect(built.map((d) => d.userId).sort()).toEqual([a, b].sort());
    expect(built.every((d) => d.buildCount === 2 && d.previous?.buildRunId !== undefined)).toBe(true);
  });

  it('marks a run failed when one of its jobs runs out of retries', async () => {
    const queue = app.get<Queue>(getQueueToken(JOURNEYS_QUEUE));
    await app.get(JourneyBuildRunRepository).createOnce('broken-run', 'full', 'manual', new Date());
    await queue.add(JOURNEY_JOBS.buildShard, { runId: 'broken-run', shard: 'first' }, { attempts: 2, backoff: 10 });
    const run = await waitForRun(app, 'broken-run');
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/shard must be a non-negative integer/);
  });

  it('picks up next time a user whose events arrived while the run was building', async () => {
    const runs = app.get(JourneyRunsService);
    const requested = await runs.requestRun('full', 'manual');
    // Events land while the run builds: each user either read them (watermark covers them) or did not.
    const late = userIds.filter((_, i) => i % 4 === 0);
    for (const [n, userId] of late.entries()) {
      await ingest(
        app,
        [{ ...events.find((e) => e.userId === userId)!, id: `late-${userId}` }],
        new Date(Date.now() + n),
      );
      await new Promise((r) => setTimeout(r, 15));
    }
    await waitForRun(app, requested.runId);
    const stale = await staleUsers(app);
    const next = await waitForRun(app, (await runs.requestRun('incremental', 'manual')).runId);
    expect(next.counts.selected).toBe(stale.length);
    expect(
      (await db(app).collection('user_journeys').find({ buildRunId: next.runId }).toArray())
        .map((d) => d.userId)
        .sort(),
    ).toEqual(stale);
    expect(await staleUsers(app)).toEqual([]);
  });
});

/** Users whose newest received event is newer than what their stored build read. */
async function staleUsers(app: INestApplicationContext): Promise<string[]> {
  const latest = await app.get(EventRepository).findUserIdsReceivedSince(new Date(0));
  const docs = await db(app).collection('user_journeys').find().toArray();
  const through = new Map(docs.map((d) => [d.userId as string, d.eventsReceivedThrough as Date]));
  return latest
    .filter((c) => !through.get(c.userId) || c.receivedThrough > through.get(c.userId)!)
    .map((c) => c.userId)
    .sort();
}
