import { simulatePeeking, SimulationSpec } from '../testing/simulate';

/**
 * A/A simulations read every day, as growth teams read dashboards. Seeded, so the numbers are the
 * same on every machine; the bounds allow three binomial standard errors around α.
 */
const ALPHA = 0.05;
const EXPERIMENTS = 400;
const MARGIN = 3 * Math.sqrt((ALPHA * (1 - ALPHA)) / EXPERIMENTS);

describe('peeking at A/A experiments', () => {
  const rate: SimulationSpec = { kind: 'rate', days: 14, usersPerArmPerDay: 300, truth: [0.05, 0.05] };
  const tuning = 2 * rate.days * rate.usersPerArmPerDay;

  it('inflates the fixed-horizon false-positive rate far above α when read every day', () => {
    const fixed = simulatePeeking(rate, { alpha: ALPHA, sequential: null }, EXPERIMENTS, 101);
    expect(fixed.rejectedAtEnd).toBeLessThanOrEqual(ALPHA + MARGIN);
    expect(fixed.rejectedAtAnyLook).toBeGreaterThan(2 * ALPHA);
  });

  it('keeps the sequential false-positive rate within α however often it is read (rates)', () => {
    const sequential = simulatePeeking(rate, { alpha: ALPHA, sequential: { tuning } }, EXPERIMENTS, 101);
    expect(sequential.rejectedAtAnyLook).toBeLessThanOrEqual(ALPHA);
  });

  it('keeps the sequential false-positive rate within α for skewed means, badly tuned too', () => {
    const mean: SimulationSpec = { kind: 'mean', days: 10, usersPerArmPerDay: 100, truth: [3, 3] };
    for (const n of [500, 2_000, 100_000]) {
      const result = simulatePeeking(mean, { alpha: ALPHA, sequential: { tuning: n } }, EXPERIMENTS / 2, 202);
      expect(result.rejectedAtAnyLook).toBeLessThanOrEqual(ALPHA);
    }
  });

  it('covers a planted effect with the stated confidence', () => {
    const planted: SimulationSpec = { kind: 'rate', days: 7, usersPerArmPerDay: 500, truth: [0.05, 0.06] };
    const fixed = simulatePeeking(planted, { alpha: ALPHA, sequential: null }, EXPERIMENTS, 303);
    expect(fixed.coveredAtEnd).toBeGreaterThanOrEqual(1 - ALPHA - MARGIN);
    expect(fixed.relativeCoveredAtEnd).toBeGreaterThanOrEqual(1 - ALPHA - MARGIN);
  });
});
