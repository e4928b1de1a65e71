import { INestApplicationContext } from '@nestjs/common';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { WorkerPool } from '../../../src/lib/concurrency/worker-pool';
import { EventRepository } from '../../../src/modules/ingest/event.repository';
import { JourneyInferenceService } from '../../../src/modules/journeys/inference/journey-inference.service';
import { InferenceUser } from '../../../src/modules/journeys/inference/raw-histories';
import { JourneysService } from '../../../src/modules/journeys/journeys.service';
import { PlatformEmbedderService } from '../../../src/modules/journeys/platform-embedder.service';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import { ingest, journeySettings, population, startJourneysContext } from './journeys-harness';

/** The service's current thread pool: the test ends a thread as a crash would. */
function poolOf(app: INestApplicationContext): WorkerPool | undefined {
  return (app.get(JourneyInferenceService) as unknown as { pool?: WorkerPool }).pool;
}

describe('journey inference on worker threads', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let threaded: INestApplicationContext;
  let inline: INestApplicationContext;
  const { events, userIds } = population(16, 9);
  const users: InferenceUser[] = [...userIds, 'never-active'].map((userId) => ({
    userId,
    hasBase: false,
    previous: [],
  }));
  const now = new Date();

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    const settings = (threads: string) =>
      journeySettings(mongo.uri, redis, 'inference-threads', { JOURNEYS_INFERENCE_THREADS: threads });
    threaded = await startJourneysContext(settings('2'), []);
    inline = await startJourneysContext(settings('0'), []);
    await ingest(threaded, events);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([threaded?.close(), inline?.close()]);
    await Promise.all([mongo?.stop(), redis?.stop()]);
  }, 30_000);

  async function infer(app: INestApplicationContext, who = users) {
    const raw = await app.get(EventRepository).findRawHistories(who.map((u) => u.userId));
    const embedder = await app.get(PlatformEmbedderService).current();
    return app.get(JourneyInferenceService).infer(raw, who, embedder, now);
  }

  it('infers on threads exactly what the calling thread infers from the same stored events', async () => {
    const [onThreads, onCaller] = await Promise.all([infer(threaded), infer(inline)]);
    expect(poolOf(threaded)?.size).toBe(2);
    expect(poolOf(inline)).toBeUndefined();
    expect(onThreads.map((u) => u.userId)).toEqual(users.map((u) => u.userId));
    expect(onThreads.filter((u) => u.journeys.length > 0)).toHaveLength(userIds.length);
    expect(onThreads.at(-1)).toMatchObject({ userId: 'never-active', events: 0, journeys: [] });
    expect(onThreads).toEqual(onCaller);
  });

  it('spreads concurrent batches over the threads, each answered with its own users', async () => {
    const halves = [users.slice(0, 8), users.slice(8)];
    const results = await Promise.all(halves.map((half) => infer(threaded, half)));
    expect(results.map((r) => r.map((u) => u.userId))).toEqual(halves.map((h) => h.map((u) => u.userId)));
    expect(results.flat()).toEqual(await infer(inline));
  });

  it('keeps a model version loaded while batches of it wait, however many newer versions arrive', async () => {
    // Five versions at once (a run's, a retrained one's, stragglers'): more than the threads keep loaded.
    const raw = await threaded.get(EventRepository).findRawHistories(userIds);
    const current = await threaded.get(PlatformEmbedderService).current();
    const versions = ['v1', 'v2', 'v3', 'v4', 'v5'].map((version) => ({ ...current, version }));
    const service = threaded.get(JourneyInferenceService);
    const results = await Promise.all(versions.map((embedder) => service.infer(raw.slice(), users, embedder, now)));
    const expected = await infer(inline);
    for (const result of results) expect(result).toEqual(expected);
  });

  it('infers a batch that arrives after the process began to stop on the calling thread, starting no threads', async () => {
    const stopping = await startJourneysContext(
      journeySettings(mongo.uri, redis, 'inference-threads', { JOURNEYS_INFERENCE_THREADS: '1' }),
      [],
    );
    const service = stopping.get(JourneyInferenceService);
    const raw = await stopping.get(EventRepository).findRawHistories(userIds.slice(0, 2));
    const embedder = await stopping.get(PlatformEmbedderService).current();
    await stopping.close();
    const late = await service.infer(raw, users.slice(0, 2), embedder, now);
    expect(poolOf(stopping)).toBeUndefined();
    const rawAgain = await inline.get(EventRepository).findRawHistories(userIds.slice(0, 2));
    const onCaller = await inline.get(JourneyInferenceService).infer(rawAgain, users.slice(0, 2), embedder, now);
    expect(late.map((u) => u.userId)).toEqual(userIds.slice(0, 2));
    expect(late.every((u) => u.journeys.length > 0)).toBe(true);
    expect(late).toEqual(onCaller);
  });

  it("infers a single user's rebuild on a thread too, starting the threads at the first one", async () => {
    // The API role builds only such rebuilds: its threads start with the first, as a worker's do with a batch.
    const api = await startJourneysContext(
      journeySettings(mongo.uri, redis, 'inference-threads', { JOURNEYS_INFERENCE_THREADS: '1' }),
      [],
    );
    try {
      expect(poolOf(api)).toBeUndefined();
      const userId = userIds[3];
      const view = await api.get(JourneysService).rebuildUser(userId);
      expect(poolOf(api)?.size).toBe(1);
      const [onCaller] = await infer(inline, [{ userId, hasBase: false, previous: [] }]);
      const keywordsOf = (journeys: ReadonlyArray<{ keywords: ReadonlyArray<{ text: string }> }>) =>
        journeys.map((j) => j.keywords.map((k) => k.text).join(', ')).sort();
      expect(onCaller.journeys.length).toBeGreaterThan(0);
      expect(keywordsOf(view.journeys.map((j) => j.journey))).toEqual(keywordsOf(onCaller.journeys));
    } finally {
      await api.close();
    }
  });

  it('starts new threads for the next batch once a thread has died', async () => {
    const dying = poolOf(threaded)!;
    // A thread ends as in a crash (the pool's own tests show the task it held is rejected).
    const { slots } = dying as unknown as { slots: Array<{ worker: { terminate(): Promise<number> } }> };
    await slots[0].worker.terminate();
    await new Promise((resolve) => setImmediate(resolve));
    expect(dying.failed?.message).toBe('worker thread exited with code 1');
    const again = await infer(threaded);
    expect(poolOf(threaded)).not.toBe(dying);
    expect(poolOf(threaded)?.failed).toBeUndefined();
    expect(again).toEqual(await infer(inline));
  });
});
