import { validateEvent } from '../../../../lib/events/validate-event';
import { generatePopulation, generateUser, RawEvent } from '../../../../lib/synthetic/population';
import { ExtractedEvent, extractEventKeywords, sortEvents } from '../keywords';
import { PlatformEmbedder } from '../platform-embedder';
import { trainPlatformEmbedder } from '../platform-training';

export const FIXTURE_NOW = new Date('2026-03-01T12:00:00Z');

/** Raw events parsed exactly as ingest would, then extracted. */
export function extractAll(events: readonly RawEvent[], now = FIXTURE_NOW): ExtractedEvent[] {
  return events.map((raw) => {
    const v = validateEvent(raw, now);
    if (!v.ok) throw new Error(`invalid fixture event ${raw.id}`);
    return extractEventKeywords(v.event);
  });
}

/** Each user's extracted events, in time order, of a small seeded population: what the fixture embedder learns from. */
export function fixtureHistories(users = 150, seed = 11): ExtractedEvent[][] {
  const { events } = generatePopulation({ seed, users, now: FIXTURE_NOW, eventsPerUser: 60 });
  const byUser = new Map<string, RawEvent[]>();
  for (const e of events) byUser.set(e.userId, [...(byUser.get(e.userId) ?? []), e]);
  return [...byUser.values()].map((list) => sortEvents(extractAll(list)));
}

/** A platform embedder trained on a small seeded population (about half a second). */
export function trainFixtureEmbedder(users = 150, seed = 11): PlatformEmbedder {
  const extracted = fixtureHistories(users, seed);
  return trainPlatformEmbedder(() => extracted, { seed });
}

/** A user outside the training population, with planted truth. */
export function fixtureUser(index: number, eventsPerUser = 80) {
  return generateUser(999, index, FIXTURE_NOW, eventsPerUser);
}
