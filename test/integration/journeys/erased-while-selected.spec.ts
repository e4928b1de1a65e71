import { EventRepository } from '../../../src/modules/ingest/event.repository';
import { UsersService } from '../../../src/modules/ingest/users.service';
import { JourneyRunsService } from '../../../src/modules/journeys/journey-runs.service';
import { PlatformEmbedderService } from '../../../src/modules/journeys/platform-embedder.service';
import { db, ingest, population, useJourneysContexts } from './journeys-harness';

describe('a user erased while a build run selects its users', () => {
  const { contexts } = useJourneysContexts('erased-while-selected', 1, []);

  it('leaves no ledger entry naming them once the run is over', async () => {
    const [app] = contexts();
    const { events, userIds } = population(5, 17);
    await ingest(app, events);
    await app.get(PlatformEmbedderService).current();
    // The erasure runs, start to end, after the run read its users and before it records them.
    const erased = userIds[1];
    const repository = app.get(EventRepository);
    const findUserIds = repository.findUserIds.bind(repository);
    jest.spyOn(repository, 'findUserIds').mockImplementationOnce(async () => {
      const found = await findUserIds();
      await app.get(UsersService).eraseUser(erased);
      return found;
    });
    const runs = app.get(JourneyRunsService);
    await runs.startRun('full-erasing', 'full', 'manual');
    await runs.processShard('full-erasing', 0);

    expect(await db(app).collection('journey_build_ledger').countDocuments({ userId: erased })).toBe(0);
    expect(await db(app).collection('user_journeys').countDocuments({ userId: erased })).toBe(0);
    expect(await runs.findRun('full-erasing')).toMatchObject({
      status: 'completed',
      counts: { selected: 4, built: 4, skipped: 0, failed: 0 },
    });
  });
});
