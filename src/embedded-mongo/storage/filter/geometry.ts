/**
 * Geometry for `$geoWithin` and `$geoIntersects` without an index. Legacy shapes ($box, $polygon,
 * $center) are planar; GeoJSON and $centerSphere are on the sphere, with great-circle edges, as in
 * MongoDB. Coordinates are [longitude, latitude] (or [x, y] for planar shapes).
 */
export type Position = [number, number];

/** A stored or queried geometry, reduced to its points, polylines and polygons (lists of rings). */
export interface Shapes {
  points: Position[];
  lines: Position[][];
  polygons: Position[][][];
}

type V3 = [number, number, number];
const EPSILON = 1e-12;

function toV3([lng, lat]: Position): V3 {
  const phi = (lat * Math.PI) / 180;
  const lambda = (lng * Math.PI) / 180;
  return [Math.cos(phi) * Math.cos(lambda), Math.cos(phi) * Math.sin(lambda), Math.sin(phi)];
}

const cross = (a: V3, b: V3): V3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const dot = (a: V3, b: V3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

function orient(a: V3, b: V3, c: V3): number {
  const d = dot(cross(a, b), c);
  return Math.abs(d) < EPSILON ? 0 : Math.sign(d);
}

/** Whether great-circle arcs AB and CD cross at a point interior to both (S2's crossing test). */
function arcsCross(a: V3, b: V3, c: V3, d: V3): boolean {
  const acb = -orient(a, b, c);
  if (acb === 0 || orient(a, b, d) !== acb) return false;
  if (-orient(c, d, b) !== acb) return false;
  return orient(c, d, a) === acb;
}

/** Great-circle distance between two positions, in radians. */
export function sphereDistance(p: Position, q: Position): number {
  return Math.acos(Math.max(-1, Math.min(1, dot(toV3(p), toV3(q)))));
}

function onArc(p: V3, a: V3, b: V3): boolean {
  const n = cross(a, b);
  const length = Math.hypot(...n);
  if (length < EPSILON) return Math.abs(dot(p, a) - 1) < 1e-9;
  return Math.abs(dot(p, n)) / length < 1e-9 && dot(cross(a, p), n) >= 0 && dot(cross(p, b), n) >= 0;
}

function edges(ring: Position[]): Array<[V3, V3]> {
  const out: Array<[V3, V3]> = [];
  for (let i = 0; i + 1 < ring.length; i++) out.push([toV3(ring[i]), toV3(ring[i + 1])]);
  return out;
}

/** A polygon's interior is the side of its outer ring smaller than a hemisphere (holes excluded). */
export function sphereContains(polygon: Position[][], point: Position): boolean {
  const sum: V3 = [0, 0, 0];
  for (const v of polygon[0].slice(0, -1)) {
    const u = toV3(v);
    sum[0] += u[0];
    sum[1] += u[1];
    sum[2] += u[2];
  }
  // Far outside: the antipode of the centre, nudged off any symmetry so the test arc never runs
  // exactly through a vertex.
  const length = Math.hypot(...sum) || 1;
  let outside: V3 = [-sum[0] / length + 3.1e-4, -sum[1] / length + 2.7e-4, -sum[2] / length + 1.4e-4];
  const p = toV3(point);
  if (dot(p, outside) < -(1 - 1e-7) * Math.hypot(...outside)) {
    // The point is the polygon's centre: the arc to its antipode is undefined, so step the far point aside.
    const aside = Math.abs(outside[0]) < 0.9 ? cross(outside, [1, 0, 0]) : cross(outside, [0, 1, 0]);
    outside = [outside[0] + 1e-2 * aside[0], outside[1] + 1e-2 * aside[1], outside[2] + 1e-2 * aside[2]];
  }
  let crossings = 0;
  for (const ring of polygon) {
    for (const [a, b] of edges(ring)) {
      if (onArc(p, a, b)) return true; // the boundary belongs to the polygon
      if (arcsCross(p, outside, a, b)) crossings++;
    }
  }
  return crossings % 2 === 1;
}

function polylineEdges(shapes: Shapes): Array<[V3, V3]> {
  return [...shapes.lines.flatMap(edges), ...shapes.polygons.flatMap((rings) => rings.flatMap(edges))];
}

function vertices(shapes: Shapes): Position[] {
  return [...shapes.points, ...shapes.lines.flat(), ...shapes.polygons.flatMap((rings) => rings.flat())];
}

function anyEdgesCross(a: Array<[V3, V3]>, b: Array<[V3, V3]>): boolean {
  return a.some(([p, q]) => b.some(([r, s]) => arcsCross(p, q, r, s)));
}

function touches(point: Position, shapes: Shapes): boolean {
  const p = toV3(point);
  if (shapes.points.some((q) => sphereDistance(point, q) < 1e-9)) return true;
  if (polylineEdges(shapes).some(([a, b]) => onArc(p, a, b))) return true;
  return shapes.polygons.some((polygon) => sphereContains(polygon, point));
}

/** Whether a geometry lies inside the query polygons: every vertex inside, no edge leaving. */
export function sphereWithin(shapes: Shapes, polygons: Position[][][]): boolean {
  const query: Shapes = { points: [], lines: [], polygons };
  return (
    vertices(shapes).every((v) => polygons.some((polygon) => sphereContains(polygon, v))) &&
    !anyEdgesCross(polylineEdges(shapes), polylineEdges(query))
  );
}

/** Whether two geometries share at least one point. */
export function sphereIntersects(a: Shapes, b: Shapes): boolean {
  if (vertices(a).some((v) => touches(v, b)) || vertices(b).some((v) => touches(v, a))) return true;
  return anyEdgesCross(polylineEdges(a), polylineEdges(b));
}

/** Planar point-in-polygon (even-odd), boundary included. */
export function planeContains(ring: Position[], [x, y]: Position): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    const onSegment =
      Math.abs((xj - xi) * (y - yi) - (yj - yi) * (x - xi)) < 1e-12 &&
      x >= Math.min(xi, xj) &&
      x <= Math.max(xi, xj) &&
      y >= Math.min(yi, yj) &&
      y <= Math.max(yi, yj);
    if (onSegment) return true;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
