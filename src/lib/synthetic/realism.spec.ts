import { validateEvent } from '../events/validate-event';
import { generatePopulation, RawEvent } from './population';
import { GENERIC_CATEGORIES, HARD_REALISM } from './realism';

const NOW = new Date('2026-03-01T12:00:00Z');

function byUser(events: readonly RawEvent[]): Map<string, RawEvent[]> {
  const users = new Map<string, RawEvent[]>();
  for (const e of events) users.set(e.userId, [...(users.get(e.userId) ?? []), e]);
  return users;
}

describe('the harder synthetic population', () => {
  const population = generatePopulation({ seed: 11, users: 300, now: NOW, realism: HARD_REALISM });
  const users = [...byUser(population.events).values()];

  it('is valid, deterministic and still labels every event once', () => {
    expect(population.events.filter((e) => !validateEvent(e, NOW).ok)).toEqual([]);
    expect(generatePopulation({ seed: 11, users: 300, now: NOW, realism: HARD_REALISM })).toEqual(population);
    const labelled = [...population.truth.flatMap((t) => t.eventIds), ...population.noiseEventIds];
    expect(labelled.sort()).toEqual(population.events.map((e) => e.id).sort());
  });

  it('has heavy-tailed activity: a median of about a dozen events and a few users with ten times that', () => {
    const counts = users.map((u) => u.length).sort((a, b) => a - b);
    const median = counts[Math.floor(counts.length / 2)];
    expect(median).toBeGreaterThanOrEqual(9);
    expect(median).toBeLessThanOrEqual(16);
    expect(counts[counts.length - 1]).toBeGreaterThan(10 * median);
  });

  it('has users who only search and users who only tag', () => {
    const only = (pred: (e: RawEvent) => boolean) => users.filter((u) => u.length >= 5 && u.every(pred)).length;
    expect(only((e) => e.type === 'search')).toBeGreaterThan(users.length * 0.1);
    expect(only((e) => e.type === 'save' && (e.item?.annotations?.length ?? 0) > 0)).toBeGreaterThan(
      users.length * 0.1,
    );
  });

  it('stamps batches of events at one instant for some users', () => {
    const batched = users.filter((u) => new Set(u.map((e) => e.occurredAt)).size < u.length - 1);
    expect(batched.length).toBeGreaterThan(users.length * 0.15);
  });

  it('interleaves two planted journeys inside one sitting', () => {
    const journeyOf = new Map(population.truth.flatMap((t) => t.eventIds.map((id) => [id, t.id] as const)));
    const interleaved = users.filter((u) => {
      const planted = u.filter((e) => journeyOf.has(e.id));
      // A, B, A within half an hour.
      return planted.some((e, i) => {
        const [b, c] = [planted[i + 1], planted[i + 2]];
        if (!b || !c || Date.parse(c.occurredAt) - Date.parse(e.occurredAt) > 30 * 60_000) return false;
        return journeyOf.get(e.id) === journeyOf.get(c.id) && journeyOf.get(b.id) !== journeyOf.get(e.id);
      });
    });
    expect(interleaved.length).toBeGreaterThan(10);
  });

  it('puts generic categories on the items of unrelated journeys', () => {
    const themesByCategory = new Map<string, Set<string>>();
    for (const t of population.truth) {
      for (const id of t.eventIds) {
        const e = population.events.find((x) => x.id === id);
        for (const c of e?.item?.categories ?? []) {
          themesByCategory.set(c, (themesByCategory.get(c) ?? new Set()).add(t.themeId));
        }
      }
    }
    for (const generic of GENERIC_CATEGORIES) expect(themesByCategory.get(generic)?.size).toBeGreaterThan(5);
  });
});
