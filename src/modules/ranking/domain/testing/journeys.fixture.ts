/** Seeded journey builders for ranking specs and the ranking bench (not used by the product). */
import { Journey } from '../../../journeys/domain/journey';

const DAY_MS = 86_400_000;

/** mulberry32: a tiny deterministic PRNG so fixtures are identical on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function unitVector(values: number[]): number[] {
  const norm = Math.hypot(...values) || 1;
  return values.map((v) => v / norm);
}

export interface JourneySpec {
  id?: string;
  name?: string;
  /** Days before `now` of each event. */
  ageDays?: number[];
  embedding?: number[];
  stage?: Journey['stage'];
  type?: Journey['type'];
  confidence?: number;
  actions?: Record<string, number>;
}

/** A journey whose engagement is consistent with the given event ages. */
export function makeJourney(now: Date, spec: JourneySpec = {}): Journey {
  const ages = spec.ageDays ?? [1, 3, 10];
  const timestamps = ages.map((a) => now.getTime() - a * DAY_MS).sort((a, b) => a - b);
  const days = new Set(timestamps.map((t) => Math.floor(t / DAY_MS)));
  const weeks = new Set(timestamps.map((t) => Math.floor(t / (7 * DAY_MS))));
  const name = spec.name ?? 'kitchen renovation';
  return {
    id: spec.id ?? name.replace(/\s+/g, '-'),
    name,
    keywords: name.split(' ').map((text, i) => ({ text, weight: 1 / (i + 1) })),
    stage: spec.stage ?? 'ongoing',
    type: spec.type ?? 'situational',
    confidence: spec.confidence ?? 0.5,
    score: 0,
    rank: 0,
    embedding: spec.embedding ?? unitVector([1, 0, 0, 0]),
    engagement: {
      events: timestamps.length,
      actions: spec.actions ?? { search: timestamps.length },
      sources: ['search'],
      distinctDays: days.size,
      distinctWeeks: weeks.size,
      firstSeen: new Date(timestamps[0]),
      lastSeen: new Date(timestamps[timestamps.length - 1]),
      timestamps,
    },
  };
}

/** `count` random journeys for one user, with `dims`-dimensional embeddings in a few themes. */
export function randomJourneys(seed: number, count: number, now: Date, dims = 32): Journey[] {
  const random = seededRandom(seed);
  const themes = Array.from({ length: 4 }, () => Array.from({ length: dims }, () => random() - 0.5));
  return Array.from({ length: count }, (_, i) => {
    const theme = themes[i % themes.length];
    const events = 1 + Math.floor(random() * 40);
    const horizon = 5 + random() * 200;
    return makeJourney(now, {
      id: `j${i}`,
      name: `journey ${i}`,
      ageDays: Array.from({ length: events }, () => random() * horizon),
      embedding: unitVector(theme.map((v) => v + (random() - 0.5) * 0.4)),
      stage: random() < 0.7 ? 'ongoing' : 'ended',
      type: random() < 0.5 ? 'evergreen' : 'situational',
      confidence: random(),
      actions: { search: Math.ceil(events / 2), view: Math.floor(events / 2) },
    });
  });
}
