import { INestApplicationContext } from '@nestjs/common';
import { UsersService } from '../../../src/modules/ingest/users.service';
import { emptyBuildStats } from '../../../src/modules/journeys/build-stats';
import { JourneyBuilderService } from '../../../src/modules/journeys/journey-builder.service';
import { JourneyBuildLedgerRepository } from '../../../src/modules/journeys/journey-build-ledger.repository';
import { JourneyBuildRunRepository } from '../../../src/modules/journeys/journey-build-run.repository';
import { JourneyRunsService } from '../../../src/modules/journeys/journey-runs.service';
import {
  PLATFORM_EMBEDDER_KIND,
  PlatformEmbedderService,
} from '../../../src/modules/journeys/platform-embedder.service';
import { db, ingest, population, useJourneysContext, waitForRun } from './journeys-harness';

/** What the model store holds of the platform embedder: versions, and chunks of their bytes. */
async function stored(app: INestApplicationContext): Promise<{ versions: string[]; chunkVersions: string[] }> {
  const models = await db(app).collection('models').find({ kind: PLATFORM_EMBEDDER_KIND }).toArray();
  const chunks = await db(app).collection('model_chunks').distinct('version', { kind: PLATFORM_EMBEDDER_KIND });
  return { versions: models.map((m) => m.version as string).sort(), chunkVersions: (chunks as string[]).sort() };
}

describe('stored versions of the platform embedder', () => {
  const journeys = useJourneysContext('model_versions');

  it('keeps the three latest and those a build in progress uses, so no older one keeps words of erased users', async () => {
    const app = journeys.context();
    const embedders = app.get(PlatformEmbedderService);
    const users = population(6, 31).events;
    // A word only one user writes, who is erased later.
    const shared = ['erased'].flatMap((userId) =>
      Array.from({ length: 4 }, (_, i) => ({
        id: `${userId}-${i}`,
        userId,
        type: 'search' as const,
        occurredAt: new Date(Date.parse('2026-02-20T10:00:00Z') + i * 3_600_000).toISOString(),
        query: 'zorblax quilting',
      })),
    );
    await ingest(app, [...users, ...shared]);
    const first = (await embedders.retrain()).version;
    expect((await embedders.forVersion(first)).model.vocab).toContain('zorblax');
    // A build run that started with the first model is still running.
    const runs = app.get(JourneyBuildRunRepository);
    await runs.createOnce('pinned', 'full', 'manual', new Date());
    await runs.markSelecting('pinned', 'full', first, new Date());
    await runs.markRunning('pinned', new Date(), 1, 1);
    const second = (await embedders.retrain()).version;
    expect(second).toBe(first);

    await app.get(UsersService).eraseUser('erased');
    const versions = [first];
    for (let n = 0; n < 4; n++) {
      await ingest(
        app,
        population(2, 40 + n).events.map((e) => ({ ...e, id: `more${n}-${e.id}`, userId: `more${n}-${e.userId}` })),
      );
      versions.push((await embedders.retrain()).version);
    }
    expect(new Set(versions).size).toBe(5);
    expect((await embedders.forVersion(versions[4])).model.vocab).not.toContain('zorblax');
    const kept = [first, ...versions.slice(2)].sort();
    expect(await stored(app)).toEqual({ versions: kept, chunkVersions: kept });

    // Once the run is over, only the three latest stay.
    await runs.markFailed('pinned', 'stopped', new Date());
    await ingest(
      app,
      population(2, 50).events.map((e) => ({ ...e, id: `last-${e.id}`, userId: `last-${e.userId}` })),
    );
    const last = (await embedders.retrain()).version;
    const latest = [...versions.slice(3), last].sort();
    expect(await stored(app)).toEqual({ versions: latest, chunkVersions: latest });
  }, 120_000);
});

describe('a retrain that gives an earlier version again', () => {
  const journeys = useJourneysContext('model_versions_again');

  it('makes that version current again and builds every user with it', async () => {
    const app = journeys.context();
    const embedders = app.get(PlatformEmbedderService);
    const runs = app.get(JourneyRunsService);
    await ingest(app, population(6, 61).events);
    const first = await runs.retrain();
    expect(first.changed).toBe(true);
    await waitForRun(app, first.runId!);
    // A user who writes a word no one else does, then is erased: the events are those of the first model again.
    await ingest(
      app,
      Array.from({ length: 4 }, (_, i) => ({
        id: `later-${i}`,
        userId: 'later',
        type: 'search' as const,
        occurredAt: new Date(Date.parse('2026-02-20T10:00:00Z') + i * 3_600_000).toISOString(),
        query: 'zorblax quilting',
      })),
    );
    const second = await runs.retrain();
    expect(second.version).not.toBe(first.version);
    await waitForRun(app, second.runId!);
    await app.get(UsersService).eraseUser('later');

    const again = await runs.retrain();
    expect(again).toMatchObject({ version: first.version, changed: true });
    expect((await embedders.current()).version).toBe(first.version);
    expect((await embedders.status())?.version).toBe(first.version);
    expect((await embedders.current()).model.vocab).not.toContain('zorblax');
    // Every user is built once more, with the model that is current again.
    expect(again.runId).not.toBe(first.runId);
    const run = await waitForRun(app, again.runId!);
    expect(run).toMatchObject({ status: 'completed', modelVersion: first.version, counts: { built: 6 } });
  }, 120_000);
});

describe('a build run with a model replaced since it started', () => {
  const journeys = useJourneysContext('model_versions_older_run');

  it('leaves the users a run with the newer model built since as they are', async () => {
    const app = journeys.context();
    const embedders = app.get(PlatformEmbedderService);
    const runs = app.get(JourneyRunsService);
    const { events, userIds } = population(4, 71);
    await ingest(app, events);
    const older = (await embedders.retrain()).version;
    // A run selected its users with that model, and has not built them yet.
    const runRepository = app.get(JourneyBuildRunRepository);
    await runRepository.createOnce('older', 'full', 'manual', new Date());
    await runRepository.markSelecting('older', 'full', older, new Date());
    await app.get(JourneyBuildLedgerRepository).insertSelection('older', userIds, 10);
    await runRepository.markRunning('older', new Date(), 1, userIds.length);

    await ingest(
      app,
      population(3, 72).events.map((e) => ({ ...e, id: `new-${e.id}`, userId: `new-${e.userId}` })),
    );
    const newer = await runs.retrain();
    expect(newer.version).not.toBe(older);
    expect(await waitForRun(app, newer.runId!)).toMatchObject({ status: 'completed', modelVersion: newer.version });

    await runs.processShard('older', 0);
    const stored = await db(app)
      .collection('user_journeys')
      .find({ userId: { $in: userIds } })
      .toArray();
    expect(stored.map((d) => [d.userId, d.modelVersion, d.buildRunId])).toEqual(
      userIds.map((userId) => [userId, newer.version, newer.runId]),
    );
    expect(await runs.findRun('older')).toMatchObject({
      status: 'completed',
      counts: { built: 0, skipped: userIds.length },
    });

    // A single user's rebuild that read the older model before the retrain commits (or retries) after that run.
    const alone = await app
      .get(JourneyBuilderService)
      .build(
        { userId: userIds[0], runId: 'user-alone', embedder: await embedders.forVersion(older), now: new Date() },
        emptyBuildStats(),
      );
    expect(alone.outcome).toBe('skipped');
    expect(await db(app).collection('user_journeys').findOne({ userId: userIds[0] })).toMatchObject({
      modelVersion: newer.version,
      buildRunId: newer.runId,
    });
  }, 120_000);
});
