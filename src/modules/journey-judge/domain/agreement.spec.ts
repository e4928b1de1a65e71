import { agreementStats, fractionalRanks, GradePair, quadraticWeightedKappa, spearman } from './agreement';
import { Grade } from './judge-types';

function pairs(human: number[], judge: number[]): GradePair[] {
  return human.map((h, i) => ({ userId: `u${i}`, journeyName: `j${i}`, human: h as Grade, judge: judge[i] as Grade }));
}

describe('agreement statistics against hand-computed values', () => {
  /*
   * A. human [1,2,3,4,5], judge [1,3,3,5,5]
   * exact: pairs 1-1, 3-3, 5-5 agree: 3/5 = 0.6; within one: every |h − j| ≤ 1: 5/5 = 1.
   * bias: judge sum 17, human sum 15: (17 − 15) / 5 = 0.4.
   * Spearman: human ranks [1,2,3,4,5]; judge ranks, ties averaged: 1 → 1, 3,3 → (2+3)/2 = 2.5, 5,5 → 4.5.
   *   Deviations from the mean rank 3: dx [−2,−1,0,1,2], dy [−2,−0.5,−0.5,1.5,1.5].
   *   Σdx·dy = 4 + 0.5 + 0 + 1.5 + 3 = 9; Σdx² = 10; Σdy² = 4 + 0.25 + 0.25 + 2.25 + 2.25 = 9.
   *   ρ = 9 / √(10·9) = 3/√10 = 0.948683.
   * Quadratic κ with w = (i − j)²/16: observed Σw·O = (0 + 1 + 0 + 1 + 0)/16 = 2/16.
   *   Marginals: human one of each grade; judge c = {1: 1, 3: 2, 5: 2}. E_ij = r_i·c_j / 5, so
   *   Σw·E = (1/(5·16)) Σ_j c_j Σ_i (i − j)², with Σ_i (i − 1)² = 30, Σ_i (i − 3)² = 10, Σ_i (i − 5)² = 30:
   *   (1·30 + 2·10 + 2·30) / 80 = 110/80. κ = 1 − (2/16)/(110/80) = 1 − 1/11 = 10/11 = 0.909091.
   */
  it('A: a judge that rounds up', () => {
    const s = agreementStats(pairs([1, 2, 3, 4, 5], [1, 3, 3, 5, 5]));
    expect(s.exact).toBeCloseTo(0.6, 12);
    expect(s.withinOne).toBe(1);
    expect(s.bias).toBeCloseTo(0.4, 12);
    expect(s.spearman).toBeCloseTo(3 / Math.sqrt(10), 12);
    expect(s.kappa).toBeCloseTo(10 / 11, 12);
  });

  /*
   * B. human [2,2,3,4,4,5], judge [3,2,3,5,4,4]
   * exact: 2-2, 3-3, 4-4: 3/6 = 0.5; within one: every difference is at most 1: 1. bias (21 − 20)/6 = 1/6.
   * Spearman: human ranks [1.5,1.5,3,4.5,4.5,6]; judge ranks [2.5,1,2.5,6,4.5,4.5]; mean rank 3.5.
   *   dx [−2,−2,−0.5,1,1,2.5], dy [−1,−2.5,−1,2.5,1,1]: Σdx·dy = 2 + 5 + 0.5 + 2.5 + 1 + 2.5 = 13.5,
   *   Σdx² = 16.5, Σdy² = 16.5: ρ = 13.5/16.5 = 9/11 = 0.818182.
   * Quadratic κ: observed Σ(i − j)² = 1 + 0 + 0 + 1 + 0 + 1 = 3, so Σw·O = 3/16.
   *   Marginals r = {2: 2, 3: 1, 4: 2, 5: 1}, c = {2: 1, 3: 2, 4: 2, 5: 1}. Σ_j c_j (i − j)² per human grade:
   *   i=2: 0 + 2 + 8 + 9 = 19; i=3: 1 + 0 + 2 + 4 = 7; i=4: 4 + 2 + 0 + 1 = 7; i=5: 9 + 8 + 2 + 0 = 19.
   *   Σ_i r_i·(...) = 2·19 + 7 + 2·7 + 19 = 78; Σw·E = 78 / (6·16) = 13/16. κ = 1 − 3/13 = 10/13 = 0.769231.
   */
  it('B: near misses both ways', () => {
    const s = agreementStats(pairs([2, 2, 3, 4, 4, 5], [3, 2, 3, 5, 4, 4]));
    expect(s.exact).toBeCloseTo(0.5, 12);
    expect(s.withinOne).toBe(1);
    expect(s.bias).toBeCloseTo(1 / 6, 12);
    expect(s.spearman).toBeCloseTo(9 / 11, 12);
    expect(s.kappa).toBeCloseTo(10 / 13, 12);
  });

  /*
   * C. human [1,2,3,4,5], judge reversed [5,4,3,2,1]
   * exact 1/5 (the 3s); within one 1/5. ρ = −1.
   * Σ(i − j)² = 16 + 4 + 0 + 4 + 16 = 40, Σw·O = 40/16 = 2.5. Both marginals uniform: Σ_j Σ_i (i − j)² =
   * 30 + 15 + 10 + 15 + 30 = 100, Σw·E = 100/(5·16) = 1.25. κ = 1 − 2.5/1.25 = −1.
   */
  it('C: a judge that has the scale upside down', () => {
    const s = agreementStats(pairs([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]));
    expect(s.exact).toBeCloseTo(0.2, 12);
    expect(s.withinOne).toBeCloseTo(0.2, 12);
    expect(s.spearman).toBeCloseTo(-1, 12);
    expect(s.kappa).toBeCloseTo(-1, 12);
  });

  it('perfect agreement gives 1 everywhere', () => {
    const s = agreementStats(pairs([1, 3, 5, 4, 2, 4], [1, 3, 5, 4, 2, 4]));
    expect([s.spearman, s.kappa, s.exact, s.withinOne, s.bias]).toEqual([1, 1, 1, 1, 0]);
  });

  it('leaves correlation and kappa undefined when nothing varies', () => {
    // Both raters give every journey a 4: chance agreement is already perfect (Σw·E = 0).
    const s = agreementStats(pairs([4, 4, 4], [4, 4, 4]));
    expect(s.spearman).toBeNull();
    expect(s.kappa).toBeNull();
    expect(s.exact).toBe(1);
    expect(quadraticWeightedKappa([])).toBeNull();
    expect(spearman([1], [2])).toBeNull();
  });

  it('averages the ranks of ties', () => {
    expect(fractionalRanks([3, 1, 3, 2, 3])).toEqual([4, 1, 4, 2, 4]);
  });

  it('counts users once', () => {
    const s = agreementStats([
      { userId: 'a', journeyName: 'x', human: 4, judge: 5 },
      { userId: 'a', journeyName: 'y', human: 2, judge: 2 },
      { userId: 'b', journeyName: 'x', human: 3, judge: 3 },
    ]);
    expect([s.pairs, s.users]).toEqual([3, 2]);
  });
});
