import { badValue } from '../../errors';
import { isPlainObject, numericValue } from '../bson-values';
import { Position, Shapes, planeContains, sphereDistance, sphereIntersects, sphereWithin } from './geometry';
import { ValueTest } from './values';

function position(value: unknown): Position | null {
  const values = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : null;
  if (!values || values.length < 2) return null;
  const x = numericValue(values[0]);
  const y = numericValue(values[1]);
  return x === null || y === null ? null : [Number(x), Number(y)];
}

function positions(value: unknown, min: number): Position[] | null {
  if (!Array.isArray(value) || value.length < min) return null;
  const out = value.map(position);
  return out.every((p): p is Position => p !== null) ? out : null;
}

function rings(value: unknown): Position[][] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const out = value.map((ring) => positions(ring, 4));
  if (!out.every((r): r is Position[] => r !== null)) return null;
  const closed = out.every((r) => r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1]);
  return closed ? out : null;
}

const empty = (): Shapes => ({ points: [], lines: [], polygons: [] });

/** A GeoJSON object as shapes; null when it is not valid GeoJSON. */
function geoJson(value: unknown): Shapes | null {
  if (!isPlainObject(value) || typeof value.type !== 'string') return null;
  const shapes = empty();
  const c = value.coordinates;
  switch (value.type) {
    case 'Point': {
      const p = Array.isArray(c) ? position(c) : null;
      return p ? { ...shapes, points: [p] } : null;
    }
    case 'MultiPoint': {
      const ps = positions(c, 1);
      return ps ? { ...shapes, points: ps } : null;
    }
    case 'LineString': {
      const line = positions(c, 2);
      return line ? { ...shapes, lines: [line] } : null;
    }
    case 'MultiLineString': {
      const lines = Array.isArray(c) ? c.map((l) => positions(l, 2)) : null;
      return lines && lines.every((l): l is Position[] => l !== null) ? { ...shapes, lines } : null;
    }
    case 'Polygon': {
      const polygon = rings(c);
      return polygon ? { ...shapes, polygons: [polygon] } : null;
    }
    case 'MultiPolygon': {
      const polygons = Array.isArray(c) ? c.map(rings) : null;
      return polygons && polygons.every((p): p is Position[][] => p !== null) ? { ...shapes, polygons } : null;
    }
    case 'GeometryCollection': {
      const members = Array.isArray(value.geometries) ? value.geometries.map(geoJson) : null;
      if (!members || !members.every((m): m is Shapes => m !== null)) return null;
      return {
        points: members.flatMap((m) => m.points),
        lines: members.flatMap((m) => m.lines),
        polygons: members.flatMap((m) => m.polygons),
      };
    }
    default:
      return null;
  }
}

/** The geometries a stored value holds: GeoJSON, a legacy [x, y] pair, or an array of either. */
function storedShapes(value: unknown): Shapes[] {
  const json = geoJson(value);
  if (json) return [json];
  const point = Array.isArray(value) || isPlainObject(value) ? position(value) : null;
  if (point) return [{ ...empty(), points: [point] }];
  return Array.isArray(value)
    ? value.flatMap((v) => (Array.isArray(v) || isPlainObject(v) ? storedShapes(v) : []))
    : [];
}

function queryGeometry(spec: unknown): Shapes {
  const shapes = isPlainObject(spec) ? geoJson(spec) : null;
  if (!shapes) throw badValue(`unknown GeoJSON type or malformed coordinates: ${JSON.stringify(spec)}`);
  for (const [lng, lat] of [...shapes.points, ...shapes.lines.flat(), ...shapes.polygons.flat(2)]) {
    if (Math.abs(lng) > 180 || Math.abs(lat) > 90) {
      throw badValue(`longitude/latitude is out of bounds, lng: ${lng} lat: ${lat}`);
    }
  }
  return shapes;
}

function test(match: (shapes: Shapes) => boolean): ValueTest {
  return (reached) => reached.some((value) => storedShapes(value).some(match));
}

/** A planar shape tests points only, as MongoDB's legacy coordinate shapes do. */
function pointsOnly(contains: (p: Position) => boolean): ValueTest {
  return test(
    (s) => s.lines.length === 0 && s.polygons.length === 0 && s.points.length > 0 && s.points.every(contains),
  );
}

/** `$geoWithin` with `$box`, `$polygon`, `$center`, `$centerSphere` or a GeoJSON `$geometry` polygon. */
export function geoWithinTest(spec: unknown): ValueTest {
  if (!isPlainObject(spec) || Object.keys(spec).length !== 1) throw badValue('$geoWithin needs one shape operator');
  const [shape, arg] = Object.entries(spec)[0];
  switch (shape) {
    case '$box': {
      const corners = positions(arg, 2);
      if (!corners || (arg as unknown[]).length !== 2) throw badValue('malformed $box: needs two corner points');
      const [[x1, y1], [x2, y2]] = corners;
      return pointsOnly(
        ([x, y]) => x >= Math.min(x1, x2) && x <= Math.max(x1, x2) && y >= Math.min(y1, y2) && y <= Math.max(y1, y2),
      );
    }
    case '$polygon': {
      const ring = positions(arg, 3);
      if (!ring) throw badValue('Polygon must have at least 3 points');
      return pointsOnly((p) => planeContains(ring, p));
    }
    case '$center':
    case '$centerSphere': {
      const center = Array.isArray(arg) ? position(arg[0]) : null;
      const radius = Array.isArray(arg) ? numericValue(arg[1]) : null;
      if (!center || radius === null || Number(radius) < 0) {
        throw badValue(`malformed ${shape}: needs [center, radius]`);
      }
      const r = Number(radius);
      if (shape === '$center') return pointsOnly(([x, y]) => Math.hypot(x - center[0], y - center[1]) <= r);
      const inCap = (p: Position) => sphereDistance(p, center) <= r + 1e-12;
      return test((s) => [...s.points, ...s.lines.flat(), ...s.polygons.flat(2)].every(inCap));
    }
    case '$geometry': {
      const query = queryGeometry(arg);
      if (query.polygons.length === 0 || query.points.length > 0 || query.lines.length > 0) {
        throw badValue('$geoWithin with $geometry needs a Polygon or MultiPolygon');
      }
      return test((s) => sphereWithin(s, query.polygons));
    }
    default:
      throw badValue(`unknown geo specifier: ${shape}`);
  }
}

/** `$geoIntersects` with a GeoJSON `$geometry`. */
export function geoIntersectsTest(spec: unknown): ValueTest {
  if (!isPlainObject(spec) || !('$geometry' in spec)) throw badValue('$geoIntersects needs a $geometry');
  const query = queryGeometry(spec.$geometry);
  return test((s) => sphereIntersects(s, query));
}
