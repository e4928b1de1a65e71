import reference from '../testing/reference/statistics-reference.json';
import { bayesianComparison } from './bayesian';
import { compareArms, withCritical } from './canonical-test';
import { adjustedComparison, benjaminiHochberg, holm } from './multiple-testing';
import { minimumDetectableLift, requiredSampleSize } from './power';
import { sequentialRho } from './sequential';
import { expectedCounts, sampleRatioMismatch } from './srm';
import { MetricKind, SufficientStats } from './sufficient-stats';

/** Values from testing/reference/statistics_reference.py (independent formulas, Python stdlib). */
type Triple = [number, number, number];
interface ReferenceCase {
  control: Triple;
  treatment: Triple;
  method: string;
  meanA: number;
  meanB: number;
  standardError: number;
  statistic: number;
  degreesOfFreedom?: number;
  pValue: number;
  critical: number;
  absolute: [number, number];
  relative: number;
  relativeSe: number;
  fieller: [number, number];
  chanceToBeat: number;
  lossShip: number;
  lossKeep: number;
  tuning?: number;
  kind?: MetricKind;
}

const stats = ([n, sum, sumSquares]: Triple): SufficientStats => ({ n, sum, sumSquares });
const close = (actual: number | null, expected: number, relative = 1e-9) =>
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(relative * Math.max(Math.abs(expected), 1e-12));

function checkCase(kind: MetricKind, ref: ReferenceCase, sequential: { tuning: number } | null) {
  const c = compareArms(stats(ref.control), stats(ref.treatment), kind, { alpha: reference.alpha, sequential })!;
  expect(c.test.method).toBe(ref.method);
  close(c.control.mean, ref.meanA);
  close(c.treatment.mean, ref.meanB);
  close(c.absolute.standardError, ref.standardError);
  close(c.test.statistic, ref.statistic);
  if (ref.degreesOfFreedom !== undefined) close(c.test.degreesOfFreedom, ref.degreesOfFreedom);
  close(c.test.pValue, ref.pValue, 1e-7);
  close(c.critical, ref.critical, 1e-8);
  close(c.absolute.lower, ref.absolute[0], 1e-7);
  close(c.absolute.upper, ref.absolute[1], 1e-7);
  close(c.relative!.estimate, ref.relative);
  close(c.relative!.standardError, ref.relativeSe);
  close(c.relative!.lower, ref.fieller[0], 1e-7);
  close(c.relative!.upper, ref.fieller[1], 1e-7);
  const bayes = bayesianComparison(c.absolute.estimate, c.absolute.standardError, true);
  close(bayes.chanceToBeatControl, ref.chanceToBeat, 1e-9);
  close(bayes.expectedLoss.shipTreatment, ref.lossShip, 1e-6);
  close(bayes.expectedLoss.keepControl, ref.lossKeep, 1e-6);
}

describe('statistics against independently computed reference values', () => {
  it.each(Object.entries(reference.rates))('rate %s: z-test, intervals, Bayesian', (_name, ref) => {
    checkCase('rate', ref as unknown as ReferenceCase, null);
  });

  it.each(Object.entries(reference.means))('mean %s: Welch t, intervals, Bayesian', (_name, ref) => {
    checkCase('mean', ref as unknown as ReferenceCase, null);
  });

  it.each(Object.entries(reference.sequential).filter(([, v]) => typeof v === 'object'))(
    'sequential %s: always-valid p-value and confidence sequence',
    (_name, ref) => {
      const r = ref as unknown as ReferenceCase;
      checkCase(r.kind!, r, { tuning: r.tuning! });
    },
  );

  it('matches the published tuning vector: ρ = 0.0398401 for α = 0.05, N* = 5000', () => {
    close(sequentialRho(0.05, 5000), reference.sequential['rho alpha=0.05 N*=5000']);
    expect(sequentialRho(0.05, 5000)).toBeCloseTo(0.0398401, 7);
  });

  it('widens an interval to an adjusted p-value by the back-computed standard error', () => {
    const r = reference.rates[reference.adjusted.case as keyof typeof reference.rates] as unknown as ReferenceCase;
    const c = compareArms(stats(r.control), stats(r.treatment), 'rate', { alpha: 0.05, sequential: null })!;
    const adjusted = adjustedComparison(c, reference.adjusted.adjustedP, 0.05);
    close(adjusted.absolute.lower, reference.adjusted.absolute[0], 1e-7);
    close(adjusted.absolute.upper, reference.adjusted.absolute[1], 1e-7);
  });

  it('adjusts p-values by Holm and Benjamini–Hochberg', () => {
    const { pValues, holm: h, benjaminiHochberg: bh } = reference.multipleTesting;
    holm(pValues).forEach((p, i) => close(p, h[i], 1e-12));
    benjaminiHochberg(pValues).forEach((p, i) => close(p, bh[i], 1e-12));
  });

  it.each(reference.srm.map((r) => [r.observed.join(' / '), r] as const))('SRM χ² for %s', (_name, r) => {
    const result = sampleRatioMismatch(
      r.observed,
      expectedCounts(
        r.observed.reduce((a, b) => a + b, 0),
        r.shares,
      ),
    );
    close(result.chiSquare, r.chiSquare, 1e-10);
    close(result.pValue, r.pValue, 1e-8);
    expect(result.status).toBe(r.pValue < 0.001 ? 'warning' : 'ok');
  });

  it.each(Object.entries(reference.power).filter(([name]) => !name.startsWith('mde')))(
    'sample size per arm: %s',
    (_name, ref) => {
      const r = ref as {
        controlMean: number;
        lift: number;
        ratio: number;
        tuning?: number;
        sizes: { control: number; treatment: number };
      };
      const settings = {
        kind: 'rate' as const,
        controlMean: r.controlMean,
        controlVariance: r.controlMean * (1 - r.controlMean),
        alpha: 0.05,
        power: 0.8,
        allocationRatio: r.ratio,
        sequential: r.tuning ? { tuning: r.tuning } : null,
      };
      const sizes = requiredSampleSize(settings, r.lift)!;
      expect(Math.abs(sizes.control - r.sizes.control)).toBeLessThanOrEqual(1);
      expect(Math.abs(sizes.treatment - r.sizes.treatment)).toBeLessThanOrEqual(1);
    },
  );

  it('minimum detectable lift at a given sample', () => {
    const r = reference.power['mde rate p=0.04 n=10000/10000'];
    const settings = {
      kind: 'rate' as const,
      controlMean: 0.04,
      controlVariance: 0.04 * 0.96,
      alpha: 0.05,
      power: 0.8,
      allocationRatio: 1,
      sequential: null,
    };
    close(minimumDetectableLift(settings, { control: r.sizes[0], treatment: r.sizes[1] }), r.mde, 1e-6);
  });

  it('keeps every interval consistent with its p-value where the delta method does not', () => {
    // 420/10000 vs 480/10000: p = 0.0407, yet the plain delta-method lift interval [-0.34%, +28.9%] spans 0.
    const c = compareArms(stats([10000, 420, 420]), stats([10000, 480, 480]), 'rate', {
      alpha: 0.05,
      sequential: null,
    })!;
    const deltaLower = c.relative!.estimate - c.critical * c.relative!.standardError;
    expect(deltaLower).toBeLessThan(0);
    expect(c.test.pValue).toBeLessThan(0.05);
    expect(c.absolute.lower!).toBeGreaterThan(0);
    expect(c.relative!.lower!).toBeGreaterThan(0);
    // At the critical value that makes the test borderline, both intervals touch 0 together.
    const borderline = withCritical(c, Math.abs(c.test.statistic));
    expect(borderline.absolute.lower!).toBeCloseTo(0, 12);
    expect(borderline.relative!.lower!).toBeCloseTo(0, 12);
  });
});
