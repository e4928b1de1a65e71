import { exactEqualRatesTest, exactMultinomialTest, stratifiedExactTest } from './exact';

const table = (control: [number, number], treatment: [number, number]) => ({
  control: { events: control[0], n: control[1] },
  treatment: { events: treatment[0], n: treatment[1] },
});

describe('exact tests', () => {
  it.each([
    // Bin(4, ½) is 1, 4, 6, 4, 1 in 16: 3 of 4 leaves out only the 6, p = 10/16.
    [[3, 1], [0.5, 0.5], 10 / 16],
    // Two users among three equal arms: both in one arm (1/9 each, three ways) is the least likely, p = 3/9.
    [[2, 0, 0], [1, 1, 1], 3 / 9],
    [[1, 1, 0], [1, 1, 1], 1],
    // Three users, shares ½, ¼, ¼: all three in one of the small arms has (¼)³ = 1/64, twice; anything else is likelier.
    [[0, 0, 3], [2, 1, 1], 2 / 64],
    // 7 users where 2 of 1,000 are expected: P(X ≥ 7) for X ~ Bin(1000, 0.002); no count below 2 is as unlikely.
    [[7, 993], [0.002, 0.998], 0.00448577875959],
  ])('multinomial: %j against shares %j has p = %d', (observed, shares, p) => {
    expect(exactMultinomialTest(observed, shares)).toBeCloseTo(p, 12);
  });

  it('visits only the likelier outcomes, so a tiny arm among many users stays cheap', () => {
    // 12 users in an arm of share 0.00005 among 100,012: P(X ≥ 12) for X ~ Poisson-like Bin(100012, 5e-5).
    const p = exactMultinomialTest([12, 49_000, 51_000], [0.00005, 0.499975, 0.499975])!;
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-6);
  });

  it.each([
    // Fisher's tea: 3 of 4 against 1 of 4 with 4 events; tables 1, 16, 36, 16, 1 in 70; p = 34/70.
    [[3, 1], [4, 4], 34 / 70],
    // 10 of 10 against 7 of 10: C(17, x) · C(3, 10 − x) / C(20, 10) is 19,448, 72,930, 72,930, 19,448 of
    // 184,756 for x = 7..10; p = 2 · 19,448 / 184,756 = 4/19.
    [[10, 7], [10, 10], 4 / 19],
    // Freeman-Halton, 2 events among arms of 2, 1 and 1 users: (2,0,0) and (0,1,1) have 1 in 6, the rest 2 in 6.
    [[2, 0, 0], [2, 1, 1], 2 / 6],
  ])('equal rates: %j events of %j users has p = %d', (events, users, p) => {
    expect(exactEqualRatesTest(events, users)).toBeCloseTo(p, 12);
  });

  it("gives Fisher's p for one stratum and convolves the strata's tables for more", () => {
    // 0 of 1,000 against 3 of 30: only the three events all among the 30 users is as unlikely, C(30,3) / C(1030,3).
    expect(stratifiedExactTest([table([0, 1000], [3, 30])])).toBeCloseTo(4060 / 181_591_060, 16);
    expect(stratifiedExactTest([table([1, 4], [3, 4])])).toBeCloseTo(34 / 70, 12);
    // Two strata of one control and one treatment user with one event: the treatment's events are 0, 1 or 2 with
    // probabilities ¼, ½, ¼; 2 has p = ½.
    expect(stratifiedExactTest([table([0, 1], [1, 1]), table([0, 1], [1, 1])])).toBeCloseTo(0.5, 12);
  });
  it('gives the one-sided tail in the direction asked: the tables at least as far that way', () => {
    // 1 of 4 against 3 of 4: 4 events among 8 users, the treatment's count x has C(4, x) C(4, 4 − x) / 70, that is
    // 1, 16, 36, 16, 1 in 70. Three or more is 17/70, three or fewer 69/70.
    expect(stratifiedExactTest([table([1, 4], [3, 4])], 'greater')).toBeCloseTo(17 / 70, 12);
    expect(stratifiedExactTest([table([1, 4], [3, 4])], 'less')).toBeCloseTo(69 / 70, 12);
    // 0 of 1,000 against 3 of 30: only all three among the 30 is as high, C(30, 3) / C(1030, 3), as two-sided.
    expect(stratifiedExactTest([table([0, 1000], [3, 30])], 'greater')).toBeCloseTo(4060 / 181_591_060, 16);
    // Two strata of ¼, ½, ¼: two or more is ¼, one or fewer ¾.
    expect(stratifiedExactTest([table([0, 1], [1, 1]), table([0, 1], [1, 1])], 'greater')).toBeCloseTo(0.25, 12);
    expect(stratifiedExactTest([table([1, 1], [0, 1]), table([0, 1], [1, 1])], 'less')).toBeCloseTo(0.75, 12);
  });
  it.each([
    // 0 against 3 events among 3 billion users each: 2 · C(3e9, 3) / C(6e9, 3) = ¼ · (1 − 1/3e9)(1 − 2/3e9) /
    // ((1 − 1/6e9)(1 − 2/6e9)), just under ¼; each term's log is some 10¹¹, so a difference of log-gammas is off by 1e−5.
    [[0, 3e9], [3, 3e9], 0.249999999875],
    // 1 against 6 among 2 billion each: the tables with 0, 1, 6 and 7 treated events, each computed from the ratios
    // of consecutive terms in exact arithmetic.
    [[1, 2e9], [6, 2e9], 0.124999999671875],
    // 0 of 1 billion against 4 of 3 billion: every table but the most likely, 1 − C(4, 3) · (¾)³ · ¼ nearly.
    [[0, 1e9], [4, 3e9], 0.5781249997890625],
  ])("keeps Fisher's p exact among billions of users: %j against %j has p = %d", (control, treatment, p) => {
    const exact = stratifiedExactTest([table(control as [number, number], treatment as [number, number])])!;
    expect(exact).toBeLessThanOrEqual(p * (1 + 1e-12));
    expect(exact / p).toBeCloseTo(1, 12);
  });
});
