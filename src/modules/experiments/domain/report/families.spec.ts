import { balanceOfDelivery } from './families';
import { ArmSummary } from './report-model';

const arm = (key: string, assigned: number, delivered: number): ArmSummary => ({
  key,
  name: key,
  role: key === 'a' ? 'control' : 'treatment',
  expectedShare: 0,
  observedShare: 0,
  assigned,
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
});
