import { dot, meanVector, normalizeInPlace } from './embedder';

describe('vector helpers', () => {
  it('normalises to unit length and leaves a zero vector alone', () => {
    const v = Float32Array.from([3, 4]);
    normalizeInPlace(v);
    expect(Array.from(v)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    const zero = new Float32Array(3);
    normalizeInPlace(zero);
    expect(Array.from(zero)).toEqual([0, 0, 0]);
  });

  it('takes the weighted, normalised mean', () => {
    const mean = meanVector(
      [
        [1, 0],
        [0, 1],
      ],
      [3, 1],
      2,
    );
    expect(dot(mean, mean)).toBeCloseTo(1, 6);
    expect(mean[0] / mean[1]).toBeCloseTo(3, 5);
  });
});
