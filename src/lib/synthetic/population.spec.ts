import { validateEvent } from '../events/validate-event';
import { generatePopulation, generateUser } from './population';
import { Prng } from './prng';
import { THEMES } from './themes';

const NOW = new Date('2026-03-01T12:00:00Z');

describe('generatePopulation', () => {
  const population = generatePopulation({ seed: 7, users: 40, now: NOW });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(generatePopulation({ seed: 7, users: 40, now: NOW })).toEqual(population);
    expect(generatePopulation({ seed: 8, users: 40, now: NOW }).events).not.toEqual(population.events);
  });

  it('emits only events the ingest contract accepts', () => {
    const invalid = population.events.filter((e) => !validateEvent(e, NOW).ok);
    expect(invalid).toEqual([]);
    expect(new Set(population.events.map((e) => e.id)).size).toBe(population.events.length);
  });

  it('labels every event exactly once, as a planted journey or as noise', () => {
    const labelled = [...population.truth.flatMap((t) => t.eventIds), ...population.noiseEventIds];
    expect(labelled.sort()).toEqual(population.events.map((e) => e.id).sort());
    expect(population.noiseEventIds.length / population.events.length).toBeGreaterThan(0.05);
  });

  it('plants several overlapping journeys per user, of every type and stage', () => {
    const perUser = new Map<string, number>();
    for (const t of population.truth) perUser.set(t.userId, (perUser.get(t.userId) ?? 0) + 1);
    expect(Math.min(...perUser.values())).toBeGreaterThanOrEqual(2);
    const kinds = new Set(population.truth.map((t) => `${t.type}/${t.stage}`));
    expect([...kinds].sort()).toEqual(['evergreen/ongoing', 'situational/ended', 'situational/ongoing']);
  });

  it('puts searches of one session minutes apart', () => {
    const { events } = generateUser(7, 3, NOW);
    const gaps = events.slice(1).map((e, i) => Date.parse(e.occurredAt) - Date.parse(events[i].occurredAt));
    expect(gaps.filter((g) => g > 0 && g < 10 * 60_000).length).toBeGreaterThan(events.length / 3);
  });

  it('honours the events-per-user budget, including users with thousands of events', () => {
    const { events } = generateUser(1, 0, NOW, 2000);
    expect(events.length).toBeGreaterThan(1200);
    expect(events.every((e) => Date.parse(e.occurredAt) <= NOW.getTime())).toBe(true);
  });

  it('ships at least 20 themes with distinct names', () => {
    expect(THEMES.length).toBeGreaterThanOrEqual(20);
    expect(new Set(THEMES.map((t) => t.name)).size).toBe(THEMES.length);
  });
});

describe(Prng.name, () => {
  it('repeats its sequence for a seed and stays in range', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const draws = Array.from({ length: 1000 }, () => a.next());
    expect(draws).toEqual(Array.from({ length: 1000 }, () => b.next()));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(new Set(Array.from({ length: 200 }, () => a.int(1, 3)))).toEqual(new Set([1, 2, 3]));
  });
});
