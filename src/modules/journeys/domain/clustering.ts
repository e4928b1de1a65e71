import { kmeans } from 'ml-kmeans';
import { dot, normalizeInPlace } from './embedder';

/** Parameters of the per-user hierarchical clustering (a subset of JourneyParams). */
export interface ClusteringParams {
  splitCohesion: number;
  mergeSimilarity: number;
  maxSplits: number;
  seed: number;
}

function centroid(points: readonly Float32Array[], members: readonly number[]): Float32Array {
  const c = new Float32Array(points[members[0]].length);
  for (const m of members) for (let i = 0; i < c.length; i++) c[i] += points[m][i];
  normalizeInPlace(c);
  return c;
}

/** Mean cosine of the members to their centroid: 1 for identical points, lower for a loose cluster. */
export function cohesion(points: readonly Float32Array[], members: readonly number[]): number {
  if (members.length < 2) return 1;
  const c = centroid(points, members);
  let s = 0;
  for (const m of members) s += dot(points[m], c);
  return s / members.length;
}

function bisect(points: readonly Float32Array[], members: number[], seed: number): [number[], number[]] | undefined {
  const data = members.map((m) => Array.from(points[m]));
  const { clusters } = kmeans(data, 2, { initialization: 'kmeans++', seed, maxIterations: 50 });
  const left = members.filter((_, i) => clusters[i] === 0);
  const right = members.filter((_, i) => clusters[i] === 1);
  return left.length > 0 && right.length > 0 ? [left, right] : undefined;
}

/** Average-linkage similarity of two clusters: the mean cosine over all cross pairs, from cluster sums. */
function linkage(sums: readonly Float32Array[], sizes: readonly number[], a: number, b: number): number {
  return dot(sums[a], sums[b]) / (sizes[a] * sizes[b]);
}

function mergeClose(points: readonly Float32Array[], clusters: number[][], threshold: number): number[][] {
  const sums = clusters.map((members) => {
    const s = new Float32Array(points[members[0]].length);
    for (const m of members) for (let i = 0; i < s.length; i++) s[i] += points[m][i];
    return s;
  });
  const sizes = clusters.map((c) => c.length);
  const alive = clusters.map(() => true);
  for (;;) {
    let best = threshold;
    let pair: [number, number] | undefined;
    for (let a = 0; a < clusters.length; a++) {
      if (!alive[a]) continue;
      for (let b = a + 1; b < clusters.length; b++) {
        if (!alive[b]) continue;
        const s = linkage(sums, sizes, a, b);
        if (s >= best) [best, pair] = [s, [a, b]];
      }
    }
    if (!pair) break;
    const [a, b] = pair;
    clusters[a] = [...clusters[a], ...clusters[b]].sort((x, y) => x - y);
    for (let i = 0; i < sums[a].length; i++) sums[a][i] += sums[b][i];
    sizes[a] += sizes[b];
    alive[b] = false;
  }
  return clusters.filter((_, i) => alive[i]);
}

/**
 * Divisive hierarchical clustering of unit vectors: bisecting k-means splits the loosest cluster until every
 * cluster is cohesive, then an average-linkage pass merges clusters that k-means cut apart needlessly.
 * Returns clusters as ascending member indices, in order of their first member.
 */
export function clusterPoints(points: readonly Float32Array[], params: ClusteringParams): number[][] {
  if (points.length === 0) return [];
  let clusters: number[][] = [points.map((_, i) => i)];
  const final = new Set<number[]>();
  for (let split = 0; split < params.maxSplits; split++) {
    let target: number[] | undefined;
    let loosest = params.splitCohesion;
    for (const c of clusters) {
      if (c.length < 2 || final.has(c)) continue;
      const h = cohesion(points, c);
      if (h < loosest) [loosest, target] = [h, c];
    }
    if (!target) break;
    const halves = bisect(points, target, params.seed + split);
    if (!halves) {
      final.add(target);
      continue;
    }
    clusters = clusters.filter((c) => c !== target).concat(halves);
  }
  return mergeClose(points, clusters, params.mergeSimilarity).sort((a, b) => a[0] - b[0]);
}
