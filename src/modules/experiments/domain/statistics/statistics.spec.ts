import { bayesianComparison } from './bayesian';
import { compareArms, compareStrata } from './canonical-test';
import { dataGate } from './data-gate';
import { adjustPValues, adjustedComparison } from './multiple-testing';
import { daysToDecision, requiredSampleSize, twoSidedPower } from './power';
import { fiellerLiftInterval } from './relative-lift';
import { armMoments, statsOfValues } from './sufficient-stats';

const rate = (k: number, n: number) => ({ n, sum: k, sumSquares: k });
const fixed = { alpha: 0.05, sequential: null };

describe('statistics building blocks', () => {
  it('derives moments from sufficient statistics', () => {
    expect(armMoments(statsOfValues([1, 2, 3, 4]), 'mean')).toEqual({ n: 4, mean: 2.5, variance: 5 / 3 });
    expect(armMoments(rate(25, 100), 'rate')).toEqual({ n: 100, mean: 0.25, variance: 0.1875 });
    expect(armMoments({ n: 0, sum: 0, sumSquares: 0 }, 'rate')).toEqual({ n: 0, mean: 0, variance: 0 });
  });

  it('has nothing to test without users or variance', () => {
    expect(compareArms(rate(0, 1), rate(0, 100), 'rate', fixed)).toBeNull();
    expect(compareArms(rate(0, 100), rate(0, 100), 'rate', fixed)).toBeNull();
  });

  it('gives no relative lift when the control mean is 0, and an unbounded one when it is not distinguishable from 0', () => {
    const c = compareArms(rate(0, 100), rate(5, 100), 'rate', fixed)!;
    expect(c.relative).toBeNull();
    expect(c.absolute.lower).toBeLessThan(c.absolute.upper!);
    expect(fiellerLiftInterval(0.01, 0.0001, 0.02, 0.0001, 1.96)).toBeNull();
  });

  it('gives no zero-width lift interval when the treatment has no events, and reads the difference instead', () => {
    // 25/1000 vs 0/1000: the treatment's p(1 − p) is 0, so inverting the test would leave only −100% (a point).
    // The difference uses the variance under the null, pooled p̄ = 0.0125:
    // −0.025 ± 1.959964 · √(0.0125 · 0.9875 · (1/1000 + 1/1000)) = −0.025 ± 1.959964 · 0.00496865.
    const c = compareArms(rate(25, 1000), rate(0, 1000), 'rate', fixed)!;
    expect(c.relative).toMatchObject({ estimate: -1, lower: null, upper: null });
    expect(c.absolute.standardError).toBeCloseTo(0.00496865, 8);
    expect(c.absolute.lower).toBeCloseTo(-0.0347384, 6);
    expect(c.absolute.upper).toBeCloseTo(-0.0152616, 6);
    expect(c.test.pValue).toBeCloseTo(4.8654e-7, 10);
  });

  it.each([
    ['treatment', rate(50, 1000), rate(0, 150), -1],
    ['control', rate(0, 150), rate(50, 1000), 1],
  ])('tests an arm with no events (the %s) with the variance under the null, not a collapsed one', (_, a, b, sign) => {
    // 50/1000 against 0/150. Unpooled, the empty arm's p(1 − p) is 0: SE = √(0.05 · 0.95 / 1000) = 0.006892 and
    // z = −7.25, though 150 users at 5% have no event with probability 0.95¹⁵⁰ = 0.00046, not 4e−13.
    // Pooled: p̄ = 50/1150, SE = √(p̄(1 − p̄)(1/1000 + 1/150)) = 0.0178561, z = −2.80016, p = 0.00510769.
    const c = compareArms(a, b, 'rate', fixed)!;
    expect(c.test.method).toBe('z');
    expect(c.absolute.standardError).toBeCloseTo(0.0178561, 7);
    expect(c.test.statistic).toBeCloseTo(sign * 2.80016, 5);
    expect(c.test.pValue).toBeCloseTo(0.00510769, 8);
    // The interval inverts the same test: −0.05 ± 1.959964 · 0.0178561, which excludes 0 as p < 0.05 says.
    expect(c.absolute.lower).toBeCloseTo(sign < 0 ? -0.0849973 : 0.0150027, 6);
    expect(c.absolute.upper).toBeCloseTo(sign < 0 ? -0.0150027 : 0.0849973, 6);
    expect(c.relative?.lower ?? null).toBeNull();
  });

  it.each([
    ['holdout', statsOfValues(new Array(220).fill(0)), rate(30, 1000), 1],
    ['treatment', rate(30, 1000), statsOfValues(new Array(220).fill(0)), -1],
  ])(
    'tests a count arm without variation (the %s) with the variance under the null, not a collapsed one',
    (_, a, b, sign) => {
      // 220 users with no conversion against 1,000 of whom 30 converted once. Welch keeps the converting arm's
      // error alone: SE = √(0.029129 / 1000) = 0.0053971, t = 5.56, p = 3.5e−8, though 220 users at the
      // pooled 30/1220 convert none of them with probability 0.0042. Under the null both arms take the pooled
      // sample's variance, (30 − 30²/1220) / 1219 = 0.0240052: SE = √(0.0240052 (1/220 + 1/1000)) = 0.0115377,
      // t = 2.60016; Satterthwaite's df = 322.537, p = 0.00974672, c = 1.967346.
      const c = compareArms(a, b, 'mean', fixed)!;
      expect(c.test.method).toBe('welch-t');
      expect(c.absolute.standardError).toBeCloseTo(0.0115377, 7);
      expect(c.test.statistic).toBeCloseTo(sign * 2.60016, 5);
      expect(c.test.degreesOfFreedom).toBeCloseTo(322.537, 3);
      expect(c.test.pValue).toBeCloseTo(0.00974672, 7);
      expect(c.absolute.lower).toBeCloseTo(sign < 0 ? -0.0526987 : 0.0073013, 6);
      expect(c.absolute.upper).toBeCloseTo(sign < 0 ? -0.0073013 : 0.0526987, 6);
      // That variance holds at a lift of 0 only: no interval of lifts (a control of 0 has no lift at all).
      expect(c.relative?.lower ?? null).toBeNull();
    },
  );

  it.each([
    ['treatment', rate(50, 1000), rate(0, 30), -1],
    ['control', rate(0, 30), rate(50, 1000), 1],
  ])("tests few events (the %s's 30 users expect 1.46) with Fisher's exact test", (_, a, b, sign) => {
    // 50/1000 against 0/30: the pooled z reads p = 0.209. Fisher's two-sided p is the probability of the tables
    // (of 50 events among 1,030 users) no more likely than this one, 30 users taking 0 events; Σ = 0.394442.
    const c = compareArms(a, b, 'rate', fixed)!;
    expect(c.test.method).toBe('fisher-exact');
    expect(c.test.pValue).toBeCloseTo(0.394442111, 8);
    // The intervals invert the exact test: z = Φ⁻¹(1 − p/2) = 0.851589, SE = 0.05 / z = 0.0587138.
    expect(c.test.statistic).toBeCloseTo(sign * 0.851589, 5);
    expect(c.absolute.standardError).toBeCloseTo(0.0587138, 6);
    expect(c.absolute.lower).toBeCloseTo(sign < 0 ? -0.1650768 : -0.0650768, 6);
    expect(c.absolute.upper).toBeCloseTo(sign < 0 ? 0.0650768 : 0.1650768, 6);
  });

  it("reads a tiny arm's events against a large arm without any with Fisher's exact test, not the liberal pooled z", () => {
    // 0/1000 against 3/30: the pooled z is 10.01 (p = 1.3e−23). Fisher: the 3 events all falling among the 30
    // users has probability C(30, 3) / C(1030, 3) = 4,060 / 181,591,060, and every other split is likelier.
    const c = compareArms(rate(0, 1000), rate(3, 30), 'rate', fixed)!;
    expect(c.test).toMatchObject({ method: 'fisher-exact', pValue: expect.closeTo(4060 / 181_591_060, 15) });
    expect(c.test.statistic).toBeCloseTo(4.23994, 5);
    // Significant, so the interval of the difference (+10 points) excludes 0: 0.1 ± 1.959964 · 0.1 / 4.23994.
    expect(c.absolute.lower).toBeCloseTo(0.1 - (1.959964 * 0.1) / 4.23994, 5);
    // Sequential testing keeps its always-valid z.
    expect(
      compareArms(rate(0, 1000), rate(3, 30), 'rate', { alpha: 0.05, sequential: { tuning: 5000 } })!.test.method,
    ).toBe('sequential-z');
  });

  it('tests one-sided at α when asked: the p-value of that tail, and the one bound on that side', () => {
    // 73 against 96 of 2,500: +0.92 pp, SE = √(0.0292 · 0.9708 + 0.0384 · 0.9616) / 50 = 0.00510971, z = 1.80049.
    // Two-sided p = 0.0718; one-sided p = 1 − Φ(1.80049) = 0.035891, and the bound is 0.0092 − 1.644854 · SE.
    const greater = { ...fixed, oneSided: 'greater' as const };
    const harm = compareArms(rate(73, 2500), rate(96, 2500), 'rate', greater)!;
    expect(compareArms(rate(73, 2500), rate(96, 2500), 'rate', fixed)!.test.pValue).toBeCloseTo(0.071782, 5);
    expect(harm.test).toMatchObject({ method: 'z', statistic: expect.closeTo(1.80049, 4) });
    expect(harm.test.pValue).toBeCloseTo(0.035891, 5);
    expect(harm.critical).toBeCloseTo(1.644854, 6);
    expect(harm.absolute.lower).toBeCloseTo(0.0092 - 1.644854 * 0.00510971, 7);
    expect(harm.absolute.upper).toBeNull();
    expect(harm.relative!.lower).toBeGreaterThan(0);
    expect(harm.relative!.upper).toBeNull();
    // The other way, the one-sided p is Φ(−1.80049)'s complement: no evidence of a rise at all.
    const better = compareArms(rate(96, 2500), rate(73, 2500), 'rate', greater)!;
    expect(better.test.pValue).toBeCloseTo(1 - 0.035891, 5);
    expect(better.absolute.lower).toBeCloseTo(-0.0092 - 1.644854 * 0.00510971, 7);
    expect(better.absolute.upper).toBeNull();
    // Towards a fall, the bound is an upper one.
    const less = compareArms(rate(96, 2500), rate(73, 2500), 'rate', { ...fixed, oneSided: 'less' })!;
    expect(less.test.pValue).toBeCloseTo(0.035891, 5);
    expect(less.absolute).toMatchObject({ lower: null, upper: expect.closeTo(-0.0092 + 1.644854 * 0.00510971, 7) });
    // Welch's t halves its two-sided tail on the side of the estimate.
    const values = (ys: number[]) => ({
      n: ys.length,
      sum: ys.reduce((a, b) => a + b, 0),
      sumSquares: ys.reduce((a, b) => a + b * b, 0),
    });
    const [a, b] = [values([0, 1, 0, 2, 1, 0]), values([1, 2, 3, 1, 2, 2])];
    const two = compareArms(a, b, 'mean', fixed)!.test.pValue;
    expect(compareArms(a, b, 'mean', greater)!.test.pValue).toBeCloseTo(two / 2, 12);
    expect(compareArms(a, b, 'mean', { ...fixed, oneSided: 'less' })!.test.pValue).toBeCloseTo(1 - two / 2, 12);
  });

  it("takes Fisher's one-sided tail, and its bound agrees with it", () => {
    // 1 of 4 against 3 of 4: the treatment's events are 0..4 with 1, 16, 36, 16, 1 in 70; 3 or more is 17/70.
    const c = compareArms(rate(1, 4), rate(3, 4), 'rate', { ...fixed, oneSided: 'greater' })!;
    expect(c.test).toMatchObject({ method: 'fisher-exact', pValue: expect.closeTo(17 / 70, 12) });
    // The z whose upper normal tail is 17/70, 0.69714; the bound 0.5 − 1.644854 · 0.5 / 0.69714 is below 0.
    expect(c.test.statistic).toBeCloseTo(0.69714, 4);
    expect(c.absolute.lower).toBeCloseTo(0.5 - (1.644854 * 0.5) / 0.69714, 4);
    expect(c.absolute.upper).toBeNull();
    // 0 of 1,000 against 3 of 30 has the same p either way (no table lies beyond it below), and excludes 0.
    const far = compareArms(rate(0, 1000), rate(3, 30), 'rate', { ...fixed, oneSided: 'greater' })!;
    expect(far.test.pValue).toBeCloseTo(4060 / 181_591_060, 15);
    expect(far.absolute.lower).toBeGreaterThan(0);
    // The always-valid p is not halved: a sequential test stays two-sided.
    const sequential = { alpha: 0.05, sequential: { tuning: 5000 }, oneSided: 'greater' as const };
    const seq = compareArms(rate(73, 2500), rate(96, 2500), 'rate', sequential)!;
    const seqTwo = compareArms(rate(73, 2500), rate(96, 2500), 'rate', { alpha: 0.05, sequential: { tuning: 5000 } })!;
    expect(seq.test.pValue).toBe(seqTwo.test.pValue);
    expect(seq.absolute).toEqual(seqTwo.absolute);
  });

  it('mirrors the relative interval when the control mean is negative', () => {
    const [lo, hi] = fiellerLiftInterval(-2, 0.01, -1.5, 0.01, 1.96)!;
    expect(lo).toBeLessThan(0.25);
    expect(hi).toBeGreaterThan(0.25);
    expect(fiellerLiftInterval(2, 0.01, 2.5, 0.01, 1.96)).toEqual([expect.any(Number), expect.any(Number)]);
  });

  it('shrinks towards a proper prior and measures loss in the good direction', () => {
    const flat = bayesianComparison(0.01, 0.005, true);
    const shrunk = bayesianComparison(0.01, 0.005, true, { mean: 0, sd: 0.005 });
    expect(shrunk.posterior.mean).toBeCloseTo(0.005, 12);
    expect(shrunk.chanceToBeatControl).toBeLessThan(flat.chanceToBeatControl);
    const lowerIsBetter = bayesianComparison(0.01, 0.005, false);
    expect(lowerIsBetter.chanceToBeatControl).toBeCloseTo(1 - flat.chanceToBeatControl, 12);
    expect(lowerIsBetter.expectedLoss.shipTreatment).toBeCloseTo(flat.expectedLoss.keepControl, 12);
  });

  it('makes an adjusted interval unbounded at p = 1 and unchanged at the raw p-value', () => {
    const c = compareArms(rate(420, 10000), rate(480, 10000), 'rate', fixed)!;
    const same = adjustedComparison(c, c.test.pValue, 0.05);
    expect(same.absolute.lower).toBeCloseTo(c.absolute.lower!, 12);
    const none = adjustedComparison(c, 1, 0.05);
    expect([none.absolute.lower, none.absolute.upper, none.relative!.lower]).toEqual([null, null, null]);
    expect(adjustPValues([0.2, 0.01], 'none')).toEqual([0.2, 0.01]);
  });

  // Push audiences reach |z| > 8, where 1 − p/2 rounds to 1. References: mpmath at 80 digits (z-test) and
  // scipy's t.isf (Welch), c_adj = c_α · |z| / c(p_adj); for |z| = 47.9 the exact p (1e−501) is not a double.
  it.each([
    ['z, p = 1e-29', rate(20_000, 200_000), rate(22_200, 200_000), 'rate', 2, 0.011, 0.00191397606100619],
    ['z, p below double range', rate(20_000, 200_000), rate(30_000, 200_000), 'rate', 2, 0.05, 0.002044530786051262],
    [
      'Welch t, p = 3e-39',
      { n: 100_000, sum: 10_000, sumSquares: 25_000 },
      { n: 100_000, sum: 13_000, sumSquares: 30_000 },
      'mean',
      3,
      0.03,
      0.004511516438023013,
    ],
  ] as const)('widens, never collapses, an adjusted interval of a tiny p-value (%s)', (_n, a, b, kind, m, d, half) => {
    const c = compareArms(a, b, kind, fixed)!;
    const adjusted = adjustedComparison(c, Math.min(1, m * c.test.pValue), 0.05);
    expect(adjusted.absolute.estimate).toBeCloseTo(d, 12);
    expect((adjusted.absolute.upper! - adjusted.absolute.lower!) / 2 / half).toBeCloseTo(1, 3);
    expect(adjusted.relative!.upper! - adjusted.relative!.lower!).toBeGreaterThan(0);
  });

  it('compares within strata: the weighted average of the stratum differences, with variance Σ w²σ²/n', () => {
    // By hand: weights 2,000 / 2,000 → ½ each; means 0.1 and ½(0.12 + 0.1333) = 0.12667;
    // SE = √(¼(0.09/1000 + 0.09/500) + ¼(0.1056/1000 + 0.11556/1500)) = 0.010638; z = 2.5068; p = 0.01218.
    const c = compareStrata(
      [
        { control: rate(100, 1000), treatment: rate(120, 1000), weight: 2000 },
        { control: rate(50, 500), treatment: rate(200, 1500), weight: 2000 },
      ],
      'rate',
      fixed,
    )!;
    expect(c.absolute.estimate).toBeCloseTo(0.02666666666666665, 12);
    expect(c.absolute.standardError).toBeCloseTo(0.010637634100647534, 12);
    expect(c.test.statistic).toBeCloseTo(2.5068230787373476, 10);
    expect(c.test.pValue).toBeCloseTo(0.012182167033797923, 10);
  });

  it('gates verdicts on users per arm and on events', () => {
    const settings = { minimumSample: 100, minimumEvents: 25 };
    expect(dataGate(rate(5, 80), rate(9, 120), true, settings)).toEqual({
      ready: false,
      reason: 'sample',
      have: 80,
      need: 100,
    });
    expect(dataGate(rate(5, 200), rate(9, 200), true, settings)).toEqual({
      ready: false,
      reason: 'events',
      have: 14,
      need: 25,
    });
    expect(dataGate(rate(15, 200), rate(19, 200), true, settings)).toEqual({ ready: true });
    // No test has a variance from one user: a minimum sample of 1 still waits for a second user in each arm.
    expect(dataGate(rate(1, 1), statsOfValues([0, 0, 0]), false, { minimumSample: 1, minimumEvents: 0 })).toEqual({
      ready: false,
      reason: 'sample',
      have: 1,
      need: 2,
    });
    expect(
      dataGate(statsOfValues(new Array(100).fill(0)), statsOfValues(new Array(100).fill(0)), false, settings),
    ).toEqual({ ready: true });
  });

  it('plans power: the planned sample reaches the target power, and days follow the accrual rate', () => {
    const settings = {
      kind: 'rate' as const,
      controlMean: 0.05,
      controlVariance: 0.0475,
      alpha: 0.05,
      power: 0.8,
      allocationRatio: 1,
      sequential: null,
    };
    const sizes = requiredSampleSize(settings, 0.1)!;
    const se = Math.sqrt(0.0475 / sizes.control + (0.055 * 0.945) / sizes.treatment);
    expect(twoSidedPower(0.005, se, 1.959963984540054)).toBeCloseTo(0.8, 3);
    expect(requiredSampleSize({ ...settings, controlMean: 0.95 }, 0.1)).toBeNull();
    expect(
      daysToDecision(
        { control: 1000, treatment: 1000 },
        { control: 400, treatment: 500 },
        { control: 100, treatment: 100 },
      ),
    ).toBe(6);
    expect(
      daysToDecision(
        { control: 1000, treatment: 1000 },
        { control: 1000, treatment: 1200 },
        { control: 0, treatment: 0 },
      ),
    ).toBe(0);
    expect(
      daysToDecision(
        { control: 1000, treatment: 1000 },
        { control: 400, treatment: 500 },
        { control: 0, treatment: 0 },
      ),
    ).toBeNull();
  });
  it('keeps intervals within the values possible: rate differences in ±100 points, lifts from −100%', () => {
    const rate = (n: number, events: number) => ({ n, sum: events, sumSquares: events });
    const sequential = { alpha: 0.05, sequential: { tuning: 5000 } };
    // 1 of 2 against 0 of 2 at the first look: −0.5 ± 30.7 · 0.433 before clipping.
    const first = compareArms(rate(2, 1), rate(2, 0), 'rate', sequential)!;
    expect(first.absolute).toMatchObject({ estimate: -0.5, lower: -1, upper: 1 });
    expect(first.test.pValue).toBeGreaterThan(0.05);
    // 500 of 1,000 against 1 of 4: Fieller's ratio interval reaches below 0 (a lift under −100%) at the
    // sequential critical value, and is cut at −100%; its upper bound is kept.
    const lift = compareArms(rate(1000, 500), rate(4, 1), 'rate', sequential)!;
    const c = lift.critical;
    const [a, vA, b, vB] = [0.5, 0.25 / 1000, 0.25, 0.1875 / 4];
    const k = a * a - c * c * vA;
    const root = Math.sqrt(c * c * (vB * k + vA * b * b));
    expect((a * b - root) / k - 1).toBeLessThan(-1);
    expect(lift.relative!.lower).toBe(-1);
    expect(lift.relative!.upper).toBeCloseTo((a * b + root) / k - 1, 12);
    // Conversions per user are never negative either, but their differences are not bounded by 1.
    const mean = compareArms({ n: 10, sum: 10, sumSquares: 30 }, { n: 10, sum: 2, sumSquares: 4 }, 'mean', sequential)!;
    expect(mean.absolute.lower!).toBeLessThan(-1);
  });
});
