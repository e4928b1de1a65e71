import { Prng } from '../../../lib/synthetic/prng';
import { GradePair } from './agreement';
import { agreementVerdict, buildAgreementReport } from './agreement-report';
import { Grade } from './judge-types';

/** n users with 3 journeys each; the judge's grade is the human one moved by `shift` and noise. */
function labelled(users: number, shift: (human: Grade, random: Prng) => number, seed = 3): GradePair[] {
  const random = new Prng(seed);
  return Array.from({ length: users }, (_, u) =>
    Array.from({ length: 3 }, (_, j) => {
      const human = random.int(1, 5) as Grade;
      const judge = Math.min(5, Math.max(1, Math.round(shift(human, random)))) as Grade;
      return { userId: `u${u}`, journeyName: `journey ${j}`, human, judge };
    }),
  ).flat();
}

describe('buildAgreementReport', () => {
  it('trusts a judge that mostly agrees, with intervals around its statistics', () => {
    const report = buildAgreementReport(labelled(60, (h, r) => (r.chance(0.8) ? h : h + (r.chance(0.5) ? 1 : -1))));
    expect(report.verdict).toBe('trust');
    expect(report.kappa!).toBeGreaterThan(report.intervals.kappa![0]);
    expect(report.kappa!).toBeLessThan(report.intervals.kappa![1]);
    expect(report.intervals.exact![0]).toBeLessThan(report.exact);
  });

  it('asks to recalibrate a judge that ranks well but grades two levels high', () => {
    const report = buildAgreementReport(labelled(60, (h) => (h <= 3 ? h + 2 : 5)));
    expect(report.spearman!).toBeGreaterThan(0.8);
    expect(report.bias).toBeGreaterThan(1);
    expect(report.verdict).toBe('recalibrate');
    // The calibration table reads the judge's 5 back as the people's mean grade of those journeys.
    const five = report.calibration.find((c) => c.judge === 5)!;
    expect(five.humanMean).toBeLessThan(5);
  });

  it('distrusts a judge that grades at random', () => {
    expect(buildAgreementReport(labelled(60, (_h, r) => r.int(1, 5))).verdict).toBe('do-not-trust');
  });

  it('gives no verdict on fewer than 30 graded journeys', () => {
    expect(buildAgreementReport(labelled(9, (h) => h)).verdict).toBe('not-enough-labels');
  });

  it('is reproducible for a seed', () => {
    const data = labelled(40, (h, r) => h + (r.chance(0.3) ? 1 : 0));
    expect(buildAgreementReport(data, { seed: 5 })).toEqual(buildAgreementReport(data, { seed: 5 }));
  });

  it.each([
    [{ kappa: 0.7, spearman: 0.75, bias: 0.1 }, [0.45, 0.85], 'trust'],
    [{ kappa: 0.7, spearman: 0.75, bias: 0.1 }, [0.3, 0.85], 'recalibrate'],
    [{ kappa: 0.5, spearman: 0.55, bias: 0 }, [0.3, 0.7], 'use-with-care'],
    [{ kappa: 0.2, spearman: 0.3, bias: 0 }, [0, 0.4], 'do-not-trust'],
  ] as const)('verdict for %j with interval %j is %s', (stats, interval, verdict) => {
    const base = { pairs: 100, users: 40, exact: 0.5, withinOne: 0.9, humanMean: 3, judgeMean: 3 };
    expect(agreementVerdict({ ...base, ...stats }, [...interval])).toBe(verdict);
  });
});
