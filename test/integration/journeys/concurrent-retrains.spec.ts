import { EventRepository } from '../../../src/modules/ingest/event.repository';
import { PlatformEmbedderService } from '../../../src/modules/journeys/platform-embedder.service';
import { ingest, population, useJourneysContexts } from './journeys-harness';

describe('two processes retraining the platform embedder at once', () => {
  const { contexts } = useJourneysContexts('concurrent-retrains', 2, []);

  it('keeps the model trained on the newer events when the one that read older events finishes last', async () => {
    const apps = contexts();
    const [slow, fast] = apps;
    await ingest(slow, population(20, 5).events);
    // The slow training reads the events stored now, then holds on until the other one has finished.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let read!: () => void;
    const hasRead = new Promise<void>((resolve) => (read = resolve));
    const events = slow.get(EventRepository);
    const findHistories = events.findHistories.bind(events);
    jest.spyOn(events, 'findHistories').mockImplementation(async (userIds) => {
      const histories = await findHistories(userIds);
      read();
      await held;
      return histories;
    });
    const stale = slow.get(PlatformEmbedderService).retrain();
    await hasRead;

    const more = population(20, 9).events.map((e) => ({ ...e, id: `${e.id}-later` }));
    await ingest(fast, more);
    const newer = await fast.get(PlatformEmbedderService).retrain();
    expect(newer.changed).toBe(true);

    release();
    const late = await stale;
    // What both processes report as current is the model of the newer events, and the late one changed nothing.
    for (const app of apps) expect((await app.get(PlatformEmbedderService).status())?.version).toBe(newer.version);
    expect(late).toMatchObject({ version: newer.version, changed: false });
  });
});
