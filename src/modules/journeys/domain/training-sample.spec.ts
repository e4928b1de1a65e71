import { trainingSample } from './training-sample';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `user-${i}`);

describe('trainingSample', () => {
  it('keeps every user, in id order, up to the bound', () => {
    expect(trainingSample(['b', 'a', 'c'], 3)).toEqual(['a', 'b', 'c']);
    expect(trainingSample(['b', 'a', 'c'], 0)).toEqual(['a', 'b', 'c']);
  });

  it('keeps exactly the bound past it, whatever order the ids arrive in', () => {
    const all = ids(1000);
    const sample = trainingSample(all, 100);
    expect(sample).toHaveLength(100);
    expect(new Set(sample).size).toBe(100);
    expect(trainingSample([...all].reverse(), 100)).toEqual(sample);
    expect(sample.every((id) => all.includes(id))).toBe(true);
  });

  it('keeps the sampled users when more users arrive, apart from those the newcomers displace', () => {
    const before = trainingSample(ids(1000), 100);
    const after = new Set(trainingSample(ids(2000), 100));
    // With twice the users about half the sample stays: a retrain on grown data is not a fresh draw.
    const kept = before.filter((id) => after.has(id)).length;
    expect(kept).toBeGreaterThan(30);
    expect(kept).toBeLessThan(100);
  });

  it('spreads the sample over the id range instead of taking the first ids', () => {
    const sample = trainingSample(ids(1000), 100).map((id) => Number(id.slice(5)));
    expect(sample.filter((i) => i < 500).length).toBeGreaterThan(25);
    expect(sample.filter((i) => i >= 500).length).toBeGreaterThan(25);
  });
});
