import { interimScore, journeyConfidence } from './confidence';

const base = { cohesion: 0.8, events: 10, distinctDays: 4, sources: 3 };

describe('journeyConfidence', () => {
  it.each<[keyof typeof base, number]>([
    ['cohesion', 0.95],
    ['events', 30],
    ['distinctDays', 12],
    ['sources', 5],
  ])('rises with %s', (field, higher) => {
    expect(journeyConfidence({ ...base, [field]: higher })).toBeGreaterThan(journeyConfidence(base));
  });

  it('stays within [0, 1] at the extremes', () => {
    expect(journeyConfidence({ cohesion: -1, events: 0, distinctDays: 0, sources: 0 })).toBe(0);
    expect(journeyConfidence({ cohesion: 2, events: 1e6, distinctDays: 1e6, sources: 99 })).toBeLessThanOrEqual(1);
  });
});

describe('interimScore', () => {
  it('discounts by time since the last engagement, never below a fifth of confidence', () => {
    expect(interimScore(0.9, 0, 21)).toBeCloseTo(0.9);
    expect(interimScore(0.9, 21, 21)).toBeCloseTo(0.9 * 0.6);
    expect(interimScore(0.9, 10_000, 21)).toBeCloseTo(0.18);
  });
});
