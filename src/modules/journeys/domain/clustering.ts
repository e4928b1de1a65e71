import { kmeans } from 'ml-kmeans';
import { dot, normalizeInPlace } from './embedder';

/** Parameters of the per-user hierarchical clustering (a subset of JourneyParams). */
export interface ClusteringParams {
  splitCohesion: number;
  mergeSimilarity: number;
  maxSplits: number;
  maxClusterPoints: number;
  attachSimilarity: number;
}

function centroid(points: readonly Float32Array[], members: readonly number[]): Float32Array {
  const c = new Float32Array(points[members[0]].length);
  for (let k = 0; k < members.length; k++) addInto(c, points[members[k]]);
  normalizeInPlace(c);
  return c;
}

// The sums run in small functions of their own: a function that is mostly one long loop gets compiled in the
// middle of that loop (on-stack replacement), and that code gave up again at the loop's end on every call.
function addInto(sum: Float32Array, point: Float32Array): void {
  for (let i = 0; i < sum.length; i++) sum[i] += point[i];
}

function addDividedInto(sum: Float64Array, point: Float32Array, divisor: number): void {
  for (let i = 0; i < sum.length; i++) sum[i] += point[i] / divisor;
}

/** Mean cosine of the members to their centroid: 1 for identical points, lower for a loose cluster. */
export function cohesion(points: readonly Float32Array[], members: readonly number[]): number {
  if (members.length < 2) return 1;
  const c = centroid(points, members);
  let s = 0;
  for (const m of members) s += dot(points[m], c);
  return s / members.length;
}

/**
 * The member farthest from the centroid and the member farthest from that one: a deterministic 2-means start,
 * as plain arrays of doubles, the kind of array ml-kmeans makes its later centers, so that its distance and
 * update functions see one kind of center from the first step on.
 */
function farthestPair(data: readonly Float32Array[]): number[][] {
  const dimension = data[0].length;
  const c = new Float64Array(dimension);
  for (let j = 0; j < data.length; j++) addDividedInto(c, data[j], data.length);
  // Both searches take a Float64Array (a point's float32 values are exact in it): one kind of array, one compiled loop.
  const a = Float64Array.from(farthestFrom(data, c));
  return [doublesOf(a), doublesOf(Float64Array.from(farthestFrom(data, a)))];
}

/** The first point at the largest squared distance from `q`. */
function farthestFrom(data: readonly Float32Array[], q: Float64Array): Float32Array {
  let best = 0;
  let bestDistance = -1;
  for (let j = 0; j < data.length; j++) {
    const p = data[j];
    let d = 0;
    for (let i = 0; i < q.length; i++) d += (p[i] - q[i]) ** 2;
    if (d > bestDistance) [best, bestDistance] = [j, d];
  }
  return data[best];
}

/** A plain copy of a vector whose elements are doubles from the start, whatever its first values. */
function doublesOf(v: Float64Array): number[] {
  const out = new Array<number>(v.length).fill(0.5);
  for (let i = 0; i < v.length; i++) out[i] = v[i];
  return out;
}

function bisect(points: readonly Float32Array[], members: number[]): [number[], number[]] | undefined {
  const data = members.map((m) => points[m]);
  // ml-kmeans only reads the points by index: typed rows give it the same numbers as copies in plain arrays,
  // without a copy of every point per user (the largest allocation of a build).
  const rows = data as unknown as number[][];
  const { clusters } = kmeans(rows, 2, { initialization: farthestPair(data), maxIterations: 20 });
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
 * Only the first `maxClusterPoints` points (callers pass the strongest first) shape the clusters; the rest
 * join the cluster whose centroid is closest when at least `attachSimilarity` close, and those that join none
 * are clustered the same way among themselves, so a heavy user's weaker interests still form clusters.
 * Points from `shaping` on only join: in the first round they shape no cluster, whatever the room.
 * Returns clusters as ascending member indices, in order of their first member.
 */
export function clusterPoints(
  points: readonly Float32Array[],
  params: ClusteringParams,
  shaping = points.length,
): number[][] {
  const clusters: number[][] = [];
  let rest = points.map((_, i) => i);
  let coreSize = Math.min(params.maxClusterPoints, shaping);
  while (rest.length > 0) {
    const { clusters: found, unattached } = clusterCore(
      rest.map((i) => points[i]),
      { ...params, maxClusterPoints: coreSize },
    );
    coreSize = params.maxClusterPoints;
    for (const c of found) clusters.push(c.map((j) => rest[j]));
    rest = unattached.map((j) => rest[j]);
  }
  return clusters.map((c) => c.sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]);
}

function clusterCore(
  points: readonly Float32Array[],
  params: ClusteringParams,
): { clusters: number[][]; unattached: number[] } {
  const core = points.slice(0, Math.max(1, params.maxClusterPoints));
  let clusters: number[][] = [core.map((_, i) => i)];
  // Cohesion of each open cluster, computed once; clusters k-means cannot split leave the map.
  const open = new Map<number[], number>([[clusters[0], cohesion(core, clusters[0])]]);
  for (let split = 0; split < params.maxSplits; split++) {
    let target: number[] | undefined;
    let loosest = params.splitCohesion;
    for (const [c, h] of open) if (c.length >= 2 && h < loosest) [loosest, target] = [h, c];
    if (!target) break;
    open.delete(target);
    const halves = bisect(core, target);
    if (!halves) continue;
    for (const half of halves) open.set(half, cohesion(core, half));
    clusters = clusters.filter((c) => c !== target).concat(halves);
  }
  clusters = mergeClose(core, clusters, params.mergeSimilarity);
  const centroids = clusters.map((c) => centroid(core, c));
  const unattached: number[] = [];
  for (let p = core.length; p < points.length; p++) {
    let best = -1;
    let bestSimilarity = params.attachSimilarity;
    centroids.forEach((c, j) => {
      const s = dot(points[p], c);
      if (s >= bestSimilarity) [best, bestSimilarity] = [j, s];
    });
    if (best >= 0) clusters[best].push(p);
    else unattached.push(p);
  }
  return { clusters, unattached };
}
