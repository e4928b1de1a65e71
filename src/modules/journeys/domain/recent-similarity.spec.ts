import { latestSessionEvents, recentSimilarities } from './recent-similarity';

const VECTORS: Record<string, number[]> = {
  noir: [1, 0, 0],
  detective: [0.8, 0.6, 0],
  heist: [0.6, 0.8, 0],
  pixar: [0, 0, 1],
};
const vectorOf = (key: string) => VECTORS[key] ?? [0, 0, 0];

describe('recent similarity', () => {
  it("takes the events of a journey's latest session", () => {
    expect([...latestSessionEvents([0, 1, 3, 4], [0, 0, 1, 2, 2, 3])]).toEqual([3, 4]);
    expect([...latestSessionEvents([], [0, 1])]).toEqual([]);
  });

  it('scores each keyword by its cosine to the other keywords of the latest session', () => {
    // Latest session: events 2 and 3, where detective and heist were used.
    const keywords = [
      { key: 'noir', events: [0] },
      { key: 'pixar', events: [1] },
      { key: 'detective', events: [2] },
      { key: 'heist', events: [3] },
    ];
    const sim = recentSimilarities(keywords, vectorOf, new Set([2, 3]));
    // noir vs detective + heist = (1.4, 1.4, 0): cos = 1.4 / (1 x 1.4 x sqrt 2).
    expect(sim.get('noir')).toBeCloseTo(1 / Math.SQRT2, 10);
    expect(sim.get('pixar')).toBe(0);
    // detective against heist alone (its own vector is left out): 0.48 + 0.48.
    expect(sim.get('detective')).toBeCloseTo(0.96, 10);
    expect(sim.get('heist')).toBeCloseTo(0.96, 10);
  });

  it('gives 0 to a keyword alone in the latest session and to one without a vector', () => {
    const keywords = [
      { key: 'noir', events: [0] },
      { key: 'unknown', events: [1] },
    ];
    const sim = recentSimilarities(keywords, vectorOf, new Set([0]));
    expect(sim.get('noir')).toBe(0);
    expect(sim.get('unknown')).toBe(0);
  });
});
