import { equalRates } from '../statistics/srm';
import { balanceOfDelivery } from './families';
import { ArmSummary } from './report-model';

const arm = (key: string, assigned: number, delivered: number): ArmSummary => ({
  key,
  name: key,
  role: key === 'a' ? 'control' : 'treatment',
  expectedShare: 0,
  observedShare: 0,
  assigned,
  assignedShare: 0,
  delivered,
  deliveryRate: delivered / assigned,
});

describe(balanceOfDelivery.name, () => {
  // Pearson's χ² of the 2 × k table delivered / not delivered per arm, by hand: for 9,600 and 9,400 of
  // 10,000 the pooled rate is 0.95, so χ² = 2·100²/9,500 + 2·100²/500 = 42.105 (scipy chi2_contingency,
  // correction=False, gives the same χ² and p).
  it.each([
    [
      '96% vs 94% of 10,000 each',
      [10_000, 10_000],
      [9_600, 9_400],
      42.10526315789474,
      8.649009680852728e-11,
      'warning',
    ],
    [
      'three arms, 95/96/92.5%',
      [5_000, 3_000, 2_000],
      [4_750, 2_880, 1_850],
      30.63128854268095,
      2.2310032665599713e-7,
      'warning',
    ],
    ['96.0% vs 95.8% of 1,000 each', [1_000, 1_000], [960, 958], 0.05086599354001882, 0.8215631741962983, 'ok'],
  ])('%s: χ² of equal delivery rates', (_name, assigned, delivered, chiSquare, pValue, status) => {
    const result = balanceOfDelivery(assigned.map((n, i) => arm('abc'[i], n, delivered[i])))!;
    expect(result.chiSquare).toBeCloseTo(chiSquare, 9);
    expect(result.pValue / pValue).toBeCloseTo(1, 6);
    expect(result.degreesOfFreedom).toBe(assigned.length - 1);
    expect(result.status).toBe(status);
  });

  it('has nothing to say before the first delivery', () => {
    expect(balanceOfDelivery([arm('a', 100, 0), arm('b', 100, 0)])).toBeNull();
  });

  describe('within assignment days', () => {
    const totals = (byDay: Array<{ delivered: number[]; assigned: number[] }>) =>
      ['a', 'b', 'c'].slice(0, byDay[0].assigned.length).map((key, i) =>
        arm(
          key,
          byDay.reduce((sum, d) => sum + d.assigned[i], 0),
          byDay.reduce((sum, d) => sum + d.delivered[i], 0),
        ),
      );

    it('does not take a day that delivered less and assigned more to one variant for that variant delivering less', () => {
      // 99% of both on the first day, 90% of both on the second, when the split had moved from 1:3 to 3:1.
      const byDay = [
        { assigned: [1_000, 3_000], delivered: [990, 2_970] },
        { assigned: [3_000, 1_000], delivered: [2_700, 900] },
      ];
      const arms = totals(byDay);
      // Pooled, 92.25% against 96.75%: a difference no day shows.
      expect(balanceOfDelivery(arms)!.status).toBe('warning');
      const within = balanceOfDelivery(arms, byDay)!;
      expect(within).toMatchObject({ status: 'ok', test: 'cochran-mantel-haenszel', degreesOfFreedom: 1 });
      expect(within.chiSquare).toBeCloseTo(0, 9);
      expect(within.pValue).toBeCloseTo(1, 9);
    });

    it("is Mantel and Haenszel's χ² for two variants, by hand", () => {
      // Day 1: 950 and 900 of 1,000 each; day 2: 480 and 470 of 500 each. O − E of the first variant is
      // 950 − 925 = 25 and 480 − 475 = 5; the variances n₁n₂D(N − D) / N²(N − 1) are
      // 1,000·1,000·1,850·150 / (2,000²·1,999) = 34.70485 and 500·500·950·50 / (1,000²·999) = 11.88689,
      // so χ² = 30² / 46.59174 = 19.31673, p = 1.10732e−5 (one degree of freedom).
      const byDay = [
        { assigned: [1_000, 1_000], delivered: [950, 900] },
        { assigned: [500, 500], delivered: [480, 470] },
      ];
      const result = balanceOfDelivery(totals(byDay), byDay)!;
      expect(result.chiSquare).toBeCloseTo(19.31672895815141, 9);
      expect(result.pValue / 1.1073192217723459e-5).toBeCloseTo(1, 5);
      expect(result.observed).toEqual([1_430, 1_370]);
      expect(result.expected).toEqual([925 + 475, 925 + 475]);
      expect(result.status).toBe('warning');
    });

    it('is the pooled χ² times (N − 1) / N for three variants over two identical days', () => {
      // Each day's covariance is hypergeometric (N − 1 in its denominator), Pearson's is not; two equal days
      // double both the differences and the variances.
      const day = { assigned: [5_000, 3_000, 2_000], delivered: [4_750, 2_880, 1_850] };
      const pooled = equalRates(
        day.delivered.map((d) => 2 * d),
        day.assigned.map((n) => 2 * n),
      );
      const result = balanceOfDelivery(totals([day, day]), [day, day])!;
      expect(result.degreesOfFreedom).toBe(2);
      expect(result.chiSquare).toBeCloseTo((pooled.chiSquare * 9_999) / 10_000, 6);
      expect(result.status).toBe('warning');
    });

    it('is the pooled test on a single day, and where few users were not delivered to', () => {
      const oneDay = [{ assigned: [1_000, 1_000], delivered: [960, 958] }];
      expect(balanceOfDelivery(totals(oneDay), oneDay)).toEqual(balanceOfDelivery(totals(oneDay)));
      const few = [
        { assigned: [40, 40], delivered: [39, 40] },
        { assigned: [40, 40], delivered: [40, 38] },
      ];
      expect(balanceOfDelivery(totals(few), few)).toEqual(balanceOfDelivery(totals(few)));
    });
  });
});
