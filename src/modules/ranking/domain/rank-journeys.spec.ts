import { validateEvent } from '../../../lib/events/validate-event';
import { generatePopulation } from '../../../lib/synthetic/population';
import { buildJourneysFromExtracted } from '../../journeys/domain/build-journeys';
import { ExtractedEvent, extractEventKeywords } from '../../journeys/domain/keywords';
import { trainPlatformEmbedder } from '../../journeys/domain/platform-training';
import { FEATURE_NAMES } from './features';
import { NotificationOutcome } from './notification-outcome';
import { priorModel } from './prior-model';
import { rankJourneys, RankableJourney } from './rank-journeys';
import { DEFAULT_RANKING_PARAMS, RankingParams } from './ranking-params';
import { RankingModel } from './ranking-model';
import { makeJourney, randomJourneys, unitVector } from './testing/journeys.fixture';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY_MS = 86_400_000;

/** A model that scores journeys by their event count alone, so tests can set the order directly. */
function eventsModel(weight = 1): RankingModel {
  return {
    ...priorModel(),
    version: 'test-events',
    featureNames: ['events_log'],
    standardisation: { mean: [0], scale: [1] },
    weights: [weight],
    intercept: -3,
  };
}

const params = (overrides: Partial<RankingParams>): RankingParams => ({ ...DEFAULT_RANKING_PARAMS, ...overrides });
const ages = (n: number) => Array.from({ length: n }, (_, i) => 1 + i);

describe('rankJourneys', () => {
  it('sets score and 1-based rank in final order without touching the input', () => {
    const journeys = randomJourneys(3, 20, NOW);
    const ranked = rankJourneys(journeys, { now: NOW });
    expect(ranked.map((j) => j.rank)).toEqual(ranked.map((_, i) => i + 1));
    for (let i = 1; i < ranked.length; i++) expect(ranked[i].score).toBeLessThanOrEqual(ranked[i - 1].score);
    expect(new Set(ranked.map((j) => j.id)).size).toBe(20);
    expect(journeys.every((j) => j.rank === 0 && j.score === 0)).toBe(true);
  });

  it('is deterministic', () => {
    const journeys = randomJourneys(5, 20, NOW);
    expect(rankJourneys(journeys, { now: NOW })).toEqual(rankJourneys(journeys, { now: NOW }));
  });

  it('uses the prior model to prefer recent, repeated engagement', () => {
    const stale = makeJourney(NOW, { id: 'stale', ageDays: [120, 121, 122, 123, 124, 125], stage: 'ended' });
    const fresh = makeJourney(NOW, { id: 'fresh', ageDays: [1, 2, 3] });
    expect(rankJourneys([stale, fresh], { now: NOW }).map((j) => j.id)).toEqual(['fresh', 'stale']);
  });

  it('lowers a journey whose recent notifications were ignored', () => {
    const a = makeJourney(NOW, { id: 'a', name: 'kitchen renovation', embedding: unitVector([1, 0]) });
    const b = makeJourney(NOW, { id: 'b', name: 'marathon training', embedding: unitVector([0, 1]) });
    const ignored = (d: number): NotificationOutcome => ({
      userId: 'u',
      journeyName: 'kitchen renovation',
      sentAt: new Date(NOW.getTime() - d * DAY_MS),
    });
    expect(rankJourneys([a, b], { now: NOW })[0].id).toBe('a'); // equal features: input order breaks the tie
    expect(rankJourneys([a, b], { now: NOW, history: [ignored(1), ignored(3), ignored(5)] })[0].id).toBe('b');
  });

  it('applies the diversifier to the model scores', () => {
    const similar = unitVector([1, 0]);
    const journeys = [
      makeJourney(NOW, { id: 'a', ageDays: ages(10), embedding: similar }),
      makeJourney(NOW, { id: 'b', ageDays: ages(9), embedding: similar }),
      makeJourney(NOW, { id: 'c', ageDays: ages(8), embedding: unitVector([0, 1]) }),
    ];
    const options = (penalty: number) => ({
      now: NOW,
      model: eventsModel(),
      params: params({ diversification: { penalty, threshold: 0.8, variant: 'single-pass' } }),
    });
    expect(rankJourneys(journeys, options(1)).map((j) => j.id)).toEqual(['a', 'b', 'c']);
    expect(rankJourneys(journeys, options(0.5)).map((j) => j.id)).toEqual(['a', 'c', 'b']);
  });

  describe('expansions', () => {
    const base: RankableJourney[] = [
      makeJourney(NOW, { id: 'a', ageDays: ages(20), embedding: unitVector([1, 0, 0]) }),
      makeJourney(NOW, { id: 'b', ageDays: ages(2), embedding: unitVector([0, 1, 0]) }),
    ];
    const expansion = (id: string, from: string): RankableJourney => ({
      ...makeJourney(NOW, { id, name: id, ageDays: [], embedding: unitVector([0, 0, 1]) }),
      expandedFrom: from,
    });
    const run = (quota: number, extra: RankableJourney[]) =>
      rankJourneys([...base, ...extra], {
        now: NOW,
        model: eventsModel(),
        params: params({ expansions: { quota, scoreFactor: 0.9 } }),
      });

    it('score a share of their source journey and stay flagged', () => {
      const ranked = run(1, [expansion('x', 'a')]);
      const a = ranked.find((j) => j.id === 'a')!;
      const x = ranked.find((j) => j.id === 'x')!;
      expect(x.expandedFrom).toBe('a');
      expect(x.score).toBeCloseTo(a.score * 0.9, 12);
      expect(ranked.map((j) => j.id)).toEqual(['a', 'x', 'b']);
    });

    it.each([
      [0, ['a', 'b']],
      [1, ['a', 'x', 'b']],
      [2, ['a', 'x', 'y', 'b']],
    ])('admit at most the quota (%p)', (quota, expected) => {
      expect(run(quota, [expansion('x', 'a'), expansion('y', 'a')]).map((j) => j.id)).toEqual(expected);
    });

    it('are dropped when their source journey is not a candidate', () => {
      expect(run(3, [expansion('x', 'missing')]).map((j) => j.id)).toEqual(['a', 'b']);
    });
  });

  it('sinks a journey whose features are not numbers instead of breaking the order', () => {
    const broken = { ...makeJourney(NOW, { id: 'broken', ageDays: ages(30) }), confidence: Number.NaN };
    const ranked = rankJourneys(
      [broken, makeJourney(NOW, { id: 'b', ageDays: ages(3) }), makeJourney(NOW, { id: 'c', ageDays: ages(9) })],
      { now: NOW },
    );
    expect(ranked.map((j) => j.id)).toEqual(['c', 'b', 'broken']);
    expect(ranked[2].score).toBe(0);
  });

  it('cuts the list at the limit', () => {
    const ranked = rankJourneys(randomJourneys(8, 20, NOW), { now: NOW, params: params({ limit: 5 }) });
    expect(ranked).toHaveLength(5);
    expect(ranked[4].rank).toBe(5);
  });

  it('accepts a model over any subset of the features', () => {
    expect(FEATURE_NAMES).toContain('events_log');
    const ranked = rankJourneys(
      [makeJourney(NOW, { id: 'few', ageDays: ages(2) }), makeJourney(NOW, { id: 'many', ageDays: ages(30) })],
      { now: NOW, model: eventsModel() },
    );
    expect(ranked.map((j) => j.id)).toEqual(['many', 'few']);
  });
});

describe('rankJourneys on journeys built by the journeys library', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const { events } = generatePopulation({ seed: 3, users: 12, now, eventsPerUser: 60 });
  const byUser = new Map<string, ExtractedEvent[]>();
  for (const raw of events) {
    const v = validateEvent(raw, now);
    if (!v.ok) throw new Error(`invalid synthetic event ${raw.id}`);
    byUser.set(raw.userId, [...(byUser.get(raw.userId) ?? []), extractEventKeywords(v.event)]);
  }
  const embedder = trainPlatformEmbedder(() => byUser.values(), { seed: 3 });
  const users = [...byUser].map(([userId, list]) => buildJourneysFromExtracted(userId, list, { now, embedder }));

  it.each(['single-pass', 'greedy', 'none'] as const)(
    'returns every journey once, ranked 1..n with non-increasing scores (%s)',
    (variant) => {
      expect(users.some((journeys) => journeys.length >= 3)).toBe(true);
      for (const journeys of users) {
        const ranked = rankJourneys(journeys, {
          now,
          params: params({ diversification: { penalty: 0.5, threshold: 0.3, variant } }),
        });
        expect(ranked.map((j) => j.id).sort()).toEqual(journeys.map((j) => j.id).sort());
        expect(ranked.map((j) => j.rank)).toEqual(ranked.map((_, i) => i + 1));
        ranked.forEach((j, i) => {
          expect(j.score).toBeGreaterThan(0);
          if (i > 0) expect(j.score).toBeLessThanOrEqual(ranked[i - 1].score);
        });
        expect(rankJourneys(journeys, { now })).toEqual(rankJourneys(journeys, { now }));
      }
    },
  );
});
