import { ConflictException } from '@nestjs/common';
import { ActivityEvent } from '../../../src/lib/events/activity-event';
import { EventRepository, REPLAY_MARK_MS, UNDO_WINDOW_MS } from '../../../src/modules/ingest/event.repository';
import { EventsService } from '../../../src/modules/ingest/events.service';
import { buildEvent } from '../../factories/event.factory';
import { useIngestContext } from './ingest-context';

const REAL_TIMERS = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

type Read = () => Promise<Map<string, ActivityEvent>>;

// Other requests acting between this request's read of its ids and its insert: the insert is refused for an id
// stored meanwhile, and what holds the id then is read and compared as if the first read had found it.
describe(EventsService.name, () => {
  const ingest = useIngestContext('events_service');
  const sut = () => ingest.context.get(EventsService);
  const store = (event: Record<string, unknown>) =>
    ingest.events().insertOne({ ...event, occurredAt: new Date(event.occurredAt as string), receivedAt: new Date() });

  /** The next reads of stored ids, in order, each given the real read. */
  const interleaveReads = (...steps: Array<(read: Read) => Promise<Map<string, ActivityEvent>>>) => {
    const repository = ingest.context.get(EventRepository);
    const findByIds = repository.findByIds.bind(repository);
    const spy = jest.spyOn(repository, 'findByIds');
    for (const step of steps) spy.mockImplementationOnce((ids) => step(() => findByIds(ids)));
  };
  const thenStore = (event: Record<string, unknown>) => async (read: Read) => {
    const stored = await read();
    await store(event);
    return stored;
  };
  afterEach(() => jest.restoreAllMocks());

  it('refuses a batch when another request stored one of its ids with other content meanwhile, and takes back the rest', async () => {
    const [a, b, shared] = [buildEvent(), buildEvent(), buildEvent()];
    interleaveReads(thenStore({ ...shared, userId: 'user-2' }));
    const refused = sut().ingestBatch({ events: [a, b, shared] });
    await expect(refused).rejects.toBeInstanceOf(ConflictException);
    await expect(refused).rejects.toMatchObject({
      response: {
        statusCode: 409,
        errors: [
          { field: 'events[2].id', message: `id ${shared.id} is already used by a stored event with another userId` },
        ],
      },
    });
    expect(await ingest.events().find().toArray()).toMatchObject([{ id: shared.id, userId: 'user-2' }]);
  });

  it('counts an id stored meanwhile with the same content as a duplicate', async () => {
    const [a, shared] = [buildEvent(), buildEvent()];
    interleaveReads(thenStore(shared));
    expect(await sut().ingestBatch({ events: [a, shared] })).toEqual({ accepted: 1, duplicates: 1 });
    expect(await ingest.events().countDocuments()).toBe(2);
  });

  it('stores an id after all when what refused it is gone by the time it is read', async () => {
    const [a, shared] = [buildEvent(), buildEvent()];
    interleaveReads(thenStore(shared), async (read) => {
      await ingest.events().deleteOne({ id: shared.id });
      return read();
    });
    expect(await sut().ingestBatch({ events: [a, shared] })).toEqual({ accepted: 2, duplicates: 0 });
    expect(await ingest.events().countDocuments()).toBe(2);
  });

  describe('once a batch can no longer be taken back', () => {
    // Only the clock moves: timers, ticks and the driver's own time stay real.
    const moveClock = (ms: number) => {
      jest.useFakeTimers({ now: Date.now() + ms, doNotFake: [...REAL_TIMERS] });
    };
    afterEach(() => jest.useRealTimers());

    it('keeps what a batch wrote when it finds a conflict later than that', async () => {
      const [a, shared] = [buildEvent(), buildEvent()];
      interleaveReads(async (read) => {
        const stored = await thenStore({ ...shared, userId: 'user-2' })(read);
        moveClock(UNDO_WINDOW_MS + 1000);
        return stored;
      });
      await expect(sut().ingestBatch({ events: [a, shared] })).rejects.toBeInstanceOf(ConflictException);
      expect(await ingest.events().countDocuments({ id: a.id })).toBe(1);
      // Sent again without the conflicting event, the batch is the same events still.
      expect(await sut().ingestBatch({ events: [a] })).toEqual({ accepted: 0, duplicates: 1 });
    });

    it('answers a replay of an event received before as a duplicate without writing to it', async () => {
      const old = buildEvent();
      await ingest.events().insertOne({
        ...old,
        occurredAt: new Date(old.occurredAt),
        receivedAt: new Date(Date.now() - REPLAY_MARK_MS - 1000),
      });
      const before = await ingest.events().findOne({ id: old.id });
      expect(await sut().ingestBatch({ events: [old] })).toEqual({ accepted: 0, duplicates: 1 });
      expect(await ingest.events().find({ id: old.id }).toArray()).toEqual([before]);
    });

    it('marks an event received within that time once, when a replay first counts on it', async () => {
      const recent = buildEvent();
      expect(await sut().ingestBatch({ events: [recent] })).toEqual({ accepted: 1, duplicates: 0 });
      expect(await sut().ingestBatch({ events: [recent] })).toEqual({ accepted: 0, duplicates: 1 });
      const marked = await ingest.events().findOne({ id: recent.id });
      expect(marked?.replayedAt).toBeInstanceOf(Date);
      moveClock(1000);
      expect(await sut().ingestBatch({ events: [recent] })).toEqual({ accepted: 0, duplicates: 1 });
      expect(await ingest.events().findOne({ id: recent.id })).toEqual(marked);
    });
  });
});
