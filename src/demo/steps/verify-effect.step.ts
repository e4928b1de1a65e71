import { Bounds, MetricReport } from '../../modules/experiments/domain/report/report-model';
import { normalQuantile } from '../../modules/experiments/domain/statistics/distributions';
import { ExperimentAssignmentRepository } from '../../modules/experiments/experiment-assignment.repository';
import { DemoContext, DemoStep, DemoExperiment } from '../demo-context';
import type { Engagement } from './engage.step';

const RESPONSES: Record<string, (e: Engagement) => boolean> = {
  'push-open-rate': (e) => e.opened,
  'email-open-rate': (e) => e.opened,
  'email-open-rate-human': (e) => e.opened,
  'click-rate': (e) => e.clicked,
  'conversion-rate': (e) => e.converted,
};

/**
 * How far the check lets the planted difference sit from the estimate: a (1 - alpha) interval misses the truth
 * in a share alpha of populations by construction (about one seed in twenty at 95%), which says nothing about
 * the product; one in a thousand (3.29 standard errors) does.
 */
const CHECK_MISS_RATE = 0.001;

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const signed = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`;

/**
 * Whether `planted` lies within the interval widened from the report's level (1 - alpha) to a miss rate of
 * {@link CHECK_MISS_RATE}: the standard error is read from the half of the interval on the planted side.
 */
export function withinWidened(interval: Bounds, planted: number, alpha: number): boolean {
  const { estimate, lower, upper } = interval;
  if (lower == null || upper == null) return false;
  const halfWidth = planted >= estimate ? upper - estimate : estimate - lower;
  const standardError = halfWidth / normalQuantile(1 - alpha / 2);
  return Math.abs(planted - estimate) <= standardError * normalQuantile(1 - CHECK_MISS_RATE / 2);
}

/**
 * Sets one experiment's report beside what the simulated people did: the report's counts must equal the
 * responses sent through tracking, and the planted effect (the difference of expected open rates the
 * behaviour model gives the users of each arm, intent to treat) must lie inside the primary interval, or,
 * for the one population in twenty a 95% interval misses, within that interval widened to a 1-in-1,000 miss.
 */
async function verify(context: DemoContext, { summary, report }: DemoExperiment): Promise<string[]> {
  const problems: string[] = [];
  const arms = await context.app.get(ExperimentAssignmentRepository).armsByUser(summary.experimentId);
  const engagements = context.engagements.filter((e) => e.message.channel === summary.channel);
  const armOf = (e: Engagement) => arms.get(e.message.userId) ?? '(unassigned)';
  for (const metric of report.metrics) {
    const responded = RESPONSES[metric.id];
    if (!responded) continue;
    for (const arm of metric.arms) {
      const raw = new Set(engagements.filter((e) => armOf(e) === arm.arm && responded(e)).map((e) => e.message.userId));
      if (arm.sum !== raw.size) problems.push(`${metric.id} ${arm.arm}: report ${arm.sum}, tracked ${raw.size}`);
    }
  }
  const primary = report.metrics.find((m) => m.role === 'primary') as MetricReport;
  const comparison = primary.comparisons[0];
  const expected = (arm: string) => {
    const assigned = report.arms.find((a) => a.key === arm)?.assigned ?? 0;
    const chance = engagements.filter((e) => armOf(e) === arm).reduce((sum, e) => sum + e.openChance, 0);
    return assigned > 0 ? chance / assigned : 0;
  };
  const [control, treatment] = [expected(comparison.control), expected(comparison.treatment)];
  const planted = treatment - control;
  const interval = comparison.absolute;
  const inside =
    interval?.lower != null && interval.upper != null && interval.lower <= planted && planted <= interval.upper;
  const consistent = inside || (interval != null && withinWidened(interval, planted, report.settings.alpha));
  context.log(
    `${summary.experimentId} ${primary.label}: planted ${percent(control)} -> ${percent(treatment)} (${signed(planted)} points); ` +
      `report ${interval ? `${signed(interval.estimate)} points [${signed(interval.lower ?? NaN)}, ${signed(interval.upper ?? NaN)}]` : 'no interval'} ` +
      `${inside ? 'contains it' : consistent ? `misses it, as ${percent(report.settings.alpha)} of populations do, within ${(1 - CHECK_MISS_RATE) * 100}% of one` : 'MISSES it'}; ${comparison.verdict.text}`,
  );
  context.report[summary.experimentId] = {
    plantedControlRate: Number(control.toFixed(4)),
    plantedTreatmentRate: Number(treatment.toFixed(4)),
    plantedDifference: Number(planted.toFixed(4)),
    reportedDifference: interval?.estimate,
    interval: [interval?.lower, interval?.upper],
    recovered: inside,
    consistent,
    verdict: comparison.verdict.text,
    countsMatchTracking: problems.length === 0,
  };
  if (!consistent) {
    problems.push(
      `the planted difference ${signed(planted)} points is outside the report's interval, even widened to a 1-in-1,000 miss`,
    );
  }
  return problems;
}

/** Checks every experiment of the demo; any mismatch stops the demo with exit code 1. */
export const verifyEffectStep: DemoStep = {
  title: 'Is the planted effect recovered inside the report interval, and do the counts match?',
  async run(context) {
    const problems = (await Promise.all(context.experiments.map((e) => verify(context, e)))).flat();
    if (context.experiments.length === 0) problems.push('no experiment report to check');
    if (problems.length > 0) throw new Error(`the experiment check failed:\n  ${problems.join('\n  ')}`);
  },
};
