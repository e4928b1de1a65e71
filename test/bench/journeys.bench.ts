/**
 * Journey inference throughput: the offline build for users with 200 events (embedder training excluded),
 * against a plain keyword-frequency profile of the same users, and platform embedder training on 1M events.
 */
import { validateEvent } from '../../src/lib/events/validate-event';
import { generateUser } from '../../src/lib/synthetic/population';
import { buildJourneysFromExtracted } from '../../src/modules/journeys/domain/build-journeys';
import { UserEventStore } from '../../src/modules/journeys/domain/event-store';
import { ExtractedEvent } from '../../src/modules/journeys/domain/keywords';
import { trainPlatformEmbedder } from '../../src/modules/journeys/domain/platform-training';

const NOW = new Date('2026-03-01T12:00:00Z');

function storeOf(users: number, eventsPerUser: number, seed: number): UserEventStore {
  const store = new UserEventStore();
  for (let i = 0; i < users; i++) {
    for (const raw of generateUser(seed, i, NOW, eventsPerUser).events) {
      const v = validateEvent(raw, NOW);
      if (v.ok) store.add(v.event);
    }
  }
  return store;
}

/** The baseline: a user's 24 most frequent keywords, no clustering. */
function frequencyProfile(events: readonly ExtractedEvent[]): string[] {
  const counts = new Map<string, number>();
  for (const e of events) for (const m of e.mentions) counts.set(m.key, (counts.get(m.key) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 24).map(([k]) => k);
}

const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;

async function buildThroughput(): Promise<void> {
  const store = storeOf(1000, 200, 1);
  const users = [...store.entries()];
  const embedder = trainPlatformEmbedder(() => store.eventLists());
  for (const [userId, events] of users.slice(0, 50)) buildJourneysFromExtracted(userId, events, { now: NOW, embedder });
  let journeys = 0;
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (const [userId, events] of users) journeys += buildJourneysFromExtracted(userId, events, { now: NOW, embedder }).length;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // CPU time next to wall time: on a shared machine the wall clock also counts other processes' turns.
  const cpuSeconds = process.cpuUsage(cpu).user / 1e6;
  const baselineStarted = process.hrtime.bigint();
  let keywords = 0;
  for (const [, events] of users) keywords += frequencyProfile(events).length;
  const baselineSeconds = Number(process.hrtime.bigint() - baselineStarted) / 1e9;
  console.log(`build: ${users.length} users, ${store.events} events (${(store.events / users.length).toFixed(0)} per user), ${journeys} journeys`);
  console.log(`  journeys build        ${(users.length / seconds).toFixed(0)} users/s wall (${((seconds * 1000) / users.length).toFixed(2)} ms per user), ${(users.length / cpuSeconds).toFixed(0)} users/s of CPU time   target >= 500 users/s`);
  console.log(`  frequency baseline    ${(users.length / baselineSeconds).toFixed(0)} users/s (${keywords} keywords)`);
}

async function trainingTime(): Promise<void> {
  const load = (await import('node:os')).loadavg()[0];
  console.log(`  (1-minute load average ${load.toFixed(1)} on ${(await import('node:os')).cpus().length} cores)`);
  const store = storeOf(12_500, 80, 2);
  global.gc?.();
  const before = process.memoryUsage().rss;
  const started = Date.now();
  const embedder = trainPlatformEmbedder(() => store.eventLists());
  const seconds = (Date.now() - started) / 1000;
  console.log(`training: ${store.events} events of ${store.users} users -> ${embedder.vocab.length} keywords x ${embedder.dimension} dims`);
  console.log(`  platform embedder     ${seconds.toFixed(1)} s   target < 60 s   (rss ${mb(before)} before, ${mb(process.memoryUsage().rss)} after)`);
}

export async function run(): Promise<void> {
  await buildThroughput();
  await trainingTime();
}
