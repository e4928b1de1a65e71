import { JourneyRunsService } from '../../../src/modules/journeys/journey-runs.service';
import { PlatformEmbedderService } from '../../../src/modules/journeys/platform-embedder.service';
import { db, ingest, population, useJourneysContext, waitForRun } from './journeys-harness';

describe('a user whose build failed', () => {
  const { context } = useJourneysContext('failed-users');
  const { events, userIds } = population(6, 11);

  it('is selected again by the next incremental run, however long ago their events arrived', async () => {
    const app = context();
    const runs = app.get(JourneyRunsService);
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await ingest(app, events, twoHoursAgo);
    await app.get(PlatformEmbedderService).current();
    // An event that cannot be read (stored past validation) fails its user's build.
    const broken = userIds[3];
    await db(app).collection('events').insertOne({
      id: 'unreadable',
      userId: broken,
      type: 'search',
      query: 'x',
      occurredAt: 'soon',
      receivedAt: twoHoursAgo,
    });
    const full = await waitForRun(app, (await runs.requestRun('full', 'manual')).runId);
    expect(full).toMatchObject({ status: 'completed', counts: { selected: 6, built: 5, failed: 1 } });
    expect(await db(app).collection('user_journeys').findOne({ userId: broken })).toBeNull();

    // The cause goes away; the user has no newer events, yet was never built.
    await db(app).collection('events').deleteOne({ id: 'unreadable' });
    const next = await waitForRun(app, (await runs.requestRun('incremental', 'manual')).runId);
    expect(next).toMatchObject({ status: 'completed', counts: { selected: 1, built: 1, failed: 0 } });
    expect(await db(app).collection('user_journeys').findOne({ userId: broken })).toMatchObject({
      buildRunId: next.runId,
    });

    // Built since, the user is not selected again.
    const idle = await waitForRun(app, (await runs.requestRun('incremental', 'manual')).runId);
    expect(idle.counts.selected).toBe(0);
  });
});
