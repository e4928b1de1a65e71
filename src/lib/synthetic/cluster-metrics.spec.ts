import { adjustedRandIndex, bcubed, LabelledItem } from './cluster-metrics';

const items = (pairs: string): LabelledItem[] => pairs.split(' ').map((p) => ({ predicted: p[0], truth: p[1] }));

describe('bcubed', () => {
  it('is perfect for identical partitions, whatever the labels', () => {
    expect(bcubed(items('ax ax by by'))).toEqual({ precision: 1, recall: 1, f1: 1 });
  });

  it('loses precision when classes are merged and recall when a class is split', () => {
    const merged = bcubed(items('ax ax ay ay'));
    expect(merged.precision).toBeCloseTo(0.5);
    expect(merged.recall).toBe(1);
    const split = bcubed(items('ax ax bx bx'));
    expect(split.precision).toBe(1);
    expect(split.recall).toBeCloseTo(0.5);
  });

  it('returns zeros for no items', () => {
    expect(bcubed([]).f1).toBe(0);
  });
});

describe('adjustedRandIndex', () => {
  it('is 1 for identical partitions and about 0 or below for unrelated ones', () => {
    expect(adjustedRandIndex(items('ax ax by by cz cz'))).toBeCloseTo(1);
    expect(adjustedRandIndex(items('ax bx ay by'))).toBeLessThanOrEqual(0);
  });

  it('matches a hand-computed value', () => {
    // Contingency [[2,1],[0,2]]: index 2, expected 4*4/10 = 1.6, max 4 -> (2-1.6)/(4-1.6).
    expect(adjustedRandIndex(items('ax ax ay by by'))).toBeCloseTo(0.4 / 2.4);
  });
});
