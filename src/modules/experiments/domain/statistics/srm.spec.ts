import { HOLDOUT_ARM, createAssigner } from '../assignment/assign';
import { equalRates, expectedCounts, sampleRatioMismatch } from './srm';

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

  it('flags users found in an arm that should be empty', () => {
    // p = 0 with the arm named; the χ² is that of the other arms, (10 − 15)² / 15, finite for JSON.
    expect(sampleRatioMismatch([10, 5], [15, 0])).toMatchObject({
      status: 'warning',
      pValue: 0,
      chiSquare: 25 / 15,
      unexpected: [1],
    });
  });

  it('gives an arm that expects no users and has none no degree of freedom', () => {
    // A variant added after the checked days: its count is 0 under the allocation and no information. The other
    // two, 1,078 / 922 against 1,000 each: χ² = 2 · 78² / 1000 = 12.168 on 1 df, p = 0.000486164, a mismatch.
    // On 2 df it would read p = e^(−12.168/2) = 0.00227904 and pass.
    const withNewArm = sampleRatioMismatch([1078, 922, 0], [1000, 1000, 0]);
    expect(withNewArm).toMatchObject({ status: 'warning', degreesOfFreedom: 1, chiSquare: expect.closeTo(12.168, 9) });
    expect(withNewArm.pValue).toBeCloseTo(0.000486164, 9);
    expect(withNewArm.pValue).toBe(sampleRatioMismatch([1078, 922], [1000, 1000]).pValue);
  });

  it('tests an arm expecting fewer than 5 users exactly, where χ² is liberal', () => {
    // A 0.2% holdout of 1,000 users expects 2 and got 7: χ² = 5²/2 + 5²/998 = 12.525 reads p = 0.0004, a
    // mismatch; 7 or more of Bin(1000, 0.002) has probability 0.0045 (no count below 2 is as unlikely).
    const seven = sampleRatioMismatch([993, 7], [998, 2]);
    expect(seven).toMatchObject({ test: 'exact-binomial', status: 'ok', chiSquare: 12.5 + 25 / 998 });
    expect(seven.pValue).toBeCloseTo(0.00448577875959, 12);
    // 15 is a mismatch all the same.
    expect(sampleRatioMismatch([985, 15], [998, 2])).toMatchObject({ test: 'exact-binomial', status: 'warning' });
    // Three arms: three users split ½, ¼, ¼ that all land in one small arm, p = 2 · (¼)³.
    expect(sampleRatioMismatch([0, 0, 3], [1.5, 0.75, 0.75])).toMatchObject({
      test: 'exact-multinomial',
      pValue: expect.closeTo(2 / 64, 12),
    });
    // Bin(4, ½): 3 of 4 has p = 10/16, as a fair split can show with four users.
    expect(sampleRatioMismatch([3, 1], [2, 2])).toMatchObject({
      test: 'exact-binomial',
      status: 'ok',
      pValue: expect.closeTo(10 / 16, 12),
    });
    expect(sampleRatioMismatch([300, 310], [305, 305]).test).toBe('chi-square');
  });

  it('tests equal rates exactly where a cell expects fewer than 5', () => {
    // 10 of 10 delivered against 7 of 10: Fisher's p = 4/19 (χ² would read p = 0.06).
    expect(equalRates([10, 7], [10, 10])).toMatchObject({ test: 'fisher-exact', pValue: expect.closeTo(4 / 19, 12) });
    expect(equalRates([2, 0, 0], [2, 1, 1])).toMatchObject({
      test: 'freeman-halton',
      pValue: expect.closeTo(1 / 3, 12),
    });
    expect(equalRates([900, 880], [1000, 1000]).test).toBe('chi-square');
  });
});
