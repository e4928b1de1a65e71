import { Position, planeContains, sphereContains, sphereDistance, sphereIntersects, sphereWithin } from './geometry';

const ring = (...points: Position[]): Position[] => [...points, points[0]];
const square = (w: number, s: number, e: number, n: number): Position[][] => [ring([w, s], [e, s], [e, n], [w, n])];

describe('geometry on the sphere and the plane', () => {
  it('contains points of a polygon, not those of its holes or outside it', () => {
    const withHole = [...square(0, 0, 10, 10), ...square(4, 4, 6, 6)];
    expect(sphereContains(withHole, [1, 1])).toBe(true);
    expect(sphereContains(withHole, [5, 5])).toBe(false);
    expect(sphereContains(withHole, [11, 5])).toBe(false);
    expect(sphereContains(withHole, [0, 5])).toBe(true); // on the boundary
  });

  it('follows great circles: a polygon across the antimeridian, and an edge that bulges toward the pole', () => {
    const pacific = square(170, -10, -170, 10);
    expect(sphereContains(pacific, [180, 0])).toBe(true);
    expect(sphereContains(pacific, [0, 0])).toBe(false);
    // Great-circle edges bulge poleward: at longitude 0 the edge from (-60, 60) to (60, 60) reaches
    // latitude 73.9 and the one from (60, 50) to (-60, 50) latitude 67.2, so (0, 70) is inside, (0, 55) not.
    const band = [ring([-60, 60], [60, 60], [60, 50], [-60, 50])];
    expect(sphereContains(band, [0, 70])).toBe(true);
    expect(sphereContains(band, [0, 55])).toBe(false);
    expect(planeContains(band[0], [0, 70])).toBe(false);
    expect(planeContains(band[0], [0, 55])).toBe(true);
  });

  it('measures great-circle distances', () => {
    expect(sphereDistance([0, 0], [90, 0])).toBeCloseTo(Math.PI / 2, 10);
    expect(sphereDistance([10, 89.999], [-170, 89.999])).toBeLessThan(0.001);
  });

  it('tells within from intersecting for lines and polygons', () => {
    const box = square(0, 0, 10, 10);
    const inside = { points: [], lines: [[[1, 1] as Position, [2, 2] as Position]], polygons: [] };
    const crossing = { points: [], lines: [[[5, 5] as Position, [15, 5] as Position]], polygons: [] };
    expect(sphereWithin(inside, [box])).toBe(true);
    expect(sphereWithin(crossing, [box])).toBe(false);
    expect(sphereIntersects(crossing, { points: [], lines: [], polygons: [box] })).toBe(true);
    const far = { points: [[50, 50] as Position], lines: [], polygons: [] };
    expect(sphereIntersects(far, { points: [], lines: [], polygons: [box] })).toBe(false);
  });
});
