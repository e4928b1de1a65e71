import { srmSummary } from '../report/build-report';
import { formatCount, formatEstimate, formatP, formatPercent, formatValue } from '../report/format';
import { ExperimentReport, MetricComparison, MetricReport } from '../report/report-model';

/** Sentences and labels every renderer shares, so Markdown, HTML and CSV never disagree. */

export const ROLE_TITLES: Record<MetricReport['role'], string> = {
  primary: 'Primary metric',
  secondary: 'Secondary metrics',
  guardrail: 'Guardrails',
  holdout: 'Sending vs holdout',
};

/** The days the report covers, e.g. "2026-03-01 to 2026-03-14 (14 days)", or "no data yet". */
export function periodText(report: ExperimentReport): string {
  const p = report.period;
  return p ? `${p.firstDay} to ${p.lastDay} (${p.days} day${p.days === 1 ? '' : 's'})` : 'no data yet';
}

/** The SRM status in one sentence. */
export function srmSentence(report: ExperimentReport): string {
  if (report.srm.status === 'warning') {
    return `Sample ratio mismatch: ${srmSummary(report)}. The split of users between arms is not what the weights say, so every comparison below may be biased. Fix the assignment before trusting these results.`;
  }
  if (report.srm.status === 'not-enough-data') {
    return `Sample ratio: too few users to check yet (${srmSummary(report)}).`;
  }
  return `Sample ratio OK: ${srmSummary(report)}.`;
}

/** How the comparison was tested, e.g. "two-proportion z-test" or "Welch t-test (df 183.2)". */
export function testName(c: MetricComparison): string {
  if (!c.test) return 'no test yet';
  if (c.oneSided) {
    return `${testName({ ...c, oneSided: null })}, one-sided: ${c.oneSided === 'greater' ? 'a rise' : 'a fall'} only`;
  }
  if (c.test.method === 'welch-t') return `Welch t-test (df ${c.test.degreesOfFreedom!.toFixed(1)})`;
  if (c.test.method === 'sequential-z') return 'sequential z-test (confidence sequence)';
  if (c.test.method === 'fisher-exact') return "Fisher's exact test (few events)";
  return 'two-proportion z-test';
}

/** The lift with its interval, on the comparison's scale (an unbounded one said in words, with why); "-" before any test. */
export function liftText(c: MetricComparison, metric: MetricReport): string {
  const bounds = c.timelineScale === 'relative' ? c.relative : c.absolute;
  return bounds ? formatEstimate(bounds, c.timelineScale, metric.kind, c.unboundedInterval, c.oneSided) : '-';
}

/** The control's and the arm's values the comparison is of, "8.00% → 9.00%"; "-" before any test. */
export function comparedText(c: MetricComparison, metric: MetricReport): string {
  if (!c.comparedValues) return '-';
  return `${formatValue(c.comparedValues.control, metric.kind)} → ${formatValue(c.comparedValues.treatment, metric.kind)}`;
}

/** The p-value as displayed: adjusted when the family is corrected. */
export function pText(c: MetricComparison): string {
  if (c.adjustedPValue === null) return formatP(c.pValue);
  return `${formatP(c.adjustedPValue)} (adjusted; raw ${formatP(c.pValue)})`;
}

/** What it takes to decide: power at the target lift and the days left at the current pace. */
export function powerSentence(c: MetricComparison, metric: MetricReport): string {
  const { neededPerArm, daysToDecision, minimumDetectableLift, targetLift } = c.power;
  const parts: string[] = [];
  if (minimumDetectableLift !== null) {
    parts.push(`Smallest change detectable now: ±${formatPercent(minimumDetectableLift).replace('+', '')}.`);
  }
  if (neededPerArm && c.verdict.status !== 'win' && c.verdict.status !== 'loss') {
    const need = `Detecting a ${formatPercent(metric.higherIsBetter ? targetLift : -targetLift)} change needs about ${formatCount(neededPerArm.control)} users in the control arm and ${formatCount(neededPerArm.treatment)} in this one`;
    if (daysToDecision === null) parts.push(`${need}; no users are being added any more.`);
    else if (daysToDecision === 0) parts.push(`${need}: reached.`);
    else parts.push(`${need}: about ${daysToDecision} more day${daysToDecision === 1 ? '' : 's'} at the current pace.`);
  }
  return parts.join(' ');
}

/** The settings footer, one line per setting. */
export function settingsLines(report: ExperimentReport): string[] {
  const s = report.settings;
  const e = report.experiment;
  return [
    `Significance level α = ${s.alpha} (two-sided); verdicts and intervals come from one test per metric: two-proportion z-test for rates (Fisher's exact test where a count of events or non-events is expected below 5), Welch t-test for means.`,
    s.sequential
      ? `Sequential testing on: asymptotic confidence sequences with tuning N* = ${formatCount(s.sequential.tuning)}.`
      : 'Sequential testing off (fixed horizon).',
    `Relative lift intervals: Fieller's interval of the same test (delta-method standard error at the estimate).`,
    `Multiple comparisons: ${s.correction === 'none' ? 'no correction' : s.correction === 'holm' ? 'Holm' : 'Benjamini-Hochberg'} over secondary metrics; guardrails uncorrected${s.sequential ? ', tested two-sided as every always-valid test is' : `, tested one-sided in their harmful direction at α = ${s.alpha} (the interval a bound on that side)`}.`,
    `Minimum data: ${formatCount(e.minimumSample)} users per arm and ${formatCount(s.minimumEvents)} events (users with the event of a rate, conversions of conversions per user) per metric.`,
    `Attribution window: ${e.attributionWindowHours} h. Holdout share: ${formatPercent(e.holdoutShare).replace('+', '')}.`,
    `Power planning: ${formatPercent(s.targetLift)} target lift at ${Math.round(s.power * 100)}% power.`,
    `Bayesian read-out: ${s.prior ? `normal prior on the relative lift, sd ${s.prior.relativeSd}` : 'flat prior'}.`,
  ];
}
