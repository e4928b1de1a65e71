import { HOLDOUT_ARM, createAssigner } from '../assignment/assign';
import { expectedCounts, sampleRatioMismatch } from './srm';

/** Assigns `users` ids and counts them per arm, in the order [holdout, ...variants]. */
function countArms(key: string, users: number, drop: (arm: string, i: number) => boolean = () => false): number[] {
  const assigner = createAssigner({
    key,
    holdoutShare: 0.1,
    variants: [
      { key: 'interest', weight: 30 },
      { key: 'journey-llm', weight: 70 },
    ],
  });
  const counts = new Map<string, number>([
    [HOLDOUT_ARM, 0],
    ['interest', 0],
    ['journey-llm', 0],
  ]);
  for (let i = 0; i < users; i++) {
    const a = assigner(`u${i}`);
    if ((a.status === 'variant' || a.status === 'holdout') && !drop(a.arm, i)) {
      counts.set(a.arm, counts.get(a.arm)! + 1);
    }
  }
  return [...counts.values()];
}

const SHARES = [0.1, 0.9 * 0.3, 0.9 * 0.7];

describe('sample ratio mismatch', () => {
  it('stays quiet on healthy hash assignment (100 experiments, holdout and uneven weights)', () => {
    const alarms = Array.from({ length: 100 }, (_, e) => countArms(`exp-${e}`, 3000))
      .map((observed) => sampleRatioMismatch(observed, expectedCounts(3000, SHARES)))
      .filter((r) => r.status !== 'ok');
    expect(alarms.length).toBeLessThanOrEqual(1);
  });

  it('flags a variant that loses 5% of its users (assignment recorded only after the LLM copy succeeded)', () => {
    const observed = countArms('exp-broken', 50_000, (arm, i) => arm === 'journey-llm' && i % 20 === 0);
    const result = sampleRatioMismatch(
      observed,
      expectedCounts(
        observed.reduce((a, b) => a + b, 0),
        SHARES,
      ),
    );
    expect(result.status).toBe('warning');
    expect(result.pValue).toBeLessThan(0.001);
  });

  it('flags users found in an arm that should be empty, and waits for enough users', () => {
    // p = 0 with the arm named; the χ² is that of the other arms, (10 − 15)² / 15, finite for JSON.
    expect(sampleRatioMismatch([10, 5], [15, 0])).toMatchObject({
      status: 'warning',
      pValue: 0,
      chiSquare: 25 / 15,
      unexpected: [1],
    });
    expect(sampleRatioMismatch([3, 1], [2, 2]).status).toBe('not-enough-data');
  });
});
