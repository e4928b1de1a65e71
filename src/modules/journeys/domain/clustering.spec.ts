import { clusterPoints, cohesion } from './clustering';
import { normalizeInPlace } from './embedder';
import { Prng } from '../../../lib/synthetic/prng';

const PARAMS = {
  splitCohesion: 0.8,
  mergeSimilarity: 0.4,
  maxSplits: 40,
  maxClusterPoints: 100,
  attachSimilarity: 0.5,
};

/** `count` unit vectors scattered around `axis` of an 8-dimensional space. */
function blob(axis: number, count: number, prng: Prng, spread = 0.15): Float32Array[] {
  return Array.from({ length: count }, () => {
    const v = new Float32Array(8);
    v[axis] = 1;
    for (let i = 0; i < 8; i++) v[i] += prng.float(-spread, spread);
    normalizeInPlace(v);
    return v;
  });
}

describe('clusterPoints', () => {
  it('lets points past `shaping` only join the clusters the others formed, never reshape them', () => {
    const prng = new Prng(7);
    const strong = blob(0, 12, prng, 0.05);
    const [stray] = blob(4, 1, prng, 0.05);
    const points = [...strong, stray];
    // Shaping with the others, one stray point barely loosens a tight cluster, so it stays inside it.
    expect(clusterPoints(points, PARAMS)).toEqual([[...strong.keys(), 12]]);
    expect(clusterPoints(points, PARAMS, strong.length)).toEqual([[...strong.keys()], [12]]);
  });

  it.each([1, 2, 3, 5])('recovers %i well separated groups', (groups) => {
    const prng = new Prng(groups);
    const points = Array.from({ length: groups }, (_, g) => blob(g, 6, prng)).flat();
    const clusters = clusterPoints(points, PARAMS);
    expect(clusters).toHaveLength(groups);
    clusters.forEach((c) => expect(new Set(c.map((i) => Math.floor(i / 6))).size).toBe(1));
  });

  it('returns no clusters for no points and one for a single point', () => {
    expect(clusterPoints([], PARAMS)).toEqual([]);
    expect(clusterPoints(blob(0, 1, new Prng(1)), PARAMS)).toEqual([[0]]);
  });

  it('clusters the points beyond the strongest ones among themselves when they join no cluster', () => {
    const prng = new Prng(9);
    // The strongest 6 shape one cluster; the next 12 are two other groups, far from it.
    const points = [...blob(0, 6, prng), ...blob(3, 6, prng), ...blob(5, 6, prng)];
    const clusters = clusterPoints(points, { ...PARAMS, maxClusterPoints: 6 });
    expect(clusters).toHaveLength(3);
    clusters.forEach((c) => expect(new Set(c.map((i) => Math.floor(i / 6))).size).toBe(1));
  });

  it('stops at the split budget', () => {
    const points = blob(0, 40, new Prng(3), 2);
    expect(clusterPoints(points, { ...PARAMS, maxSplits: 2, mergeSimilarity: 2 }).length).toBeLessThanOrEqual(3);
  });
});

describe('cohesion', () => {
  it('is 1 for identical points and about 0.71 for two orthogonal halves', () => {
    const a = Float32Array.from([1, 0]);
    const b = Float32Array.from([0, 1]);
    expect(cohesion([a, a, a], [0, 1, 2])).toBeCloseTo(1);
    expect(cohesion([a, b], [0, 1])).toBeCloseTo(Math.SQRT1_2);
  });
});
