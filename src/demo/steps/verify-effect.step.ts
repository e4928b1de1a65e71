import { MetricReport } from '../../modules/experiments/domain/report/report-model';
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

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const signed = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`;

/**
 * Sets one experiment's report beside what the simulated people did: the report's counts must equal the
 * responses sent through tracking, and the planted effect (the difference of expected open rates the
 * behaviour model gives the users of each arm, intent to treat) must lie inside the primary interval.
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
  context.log(
    `${summary.experimentId} ${primary.label}: planted ${percent(control)} -> ${percent(treatment)} (${signed(planted)} points); ` +
      `report ${interval ? `${signed(interval.estimate)} points [${signed(interval.lower ?? NaN)}, ${signed(interval.upper ?? NaN)}]` : 'no interval'} ` +
      `${inside ? 'contains it' : 'MISSES it'}; ${comparison.verdict.text}`,
  );
  context.report[summary.experimentId] = {
    plantedControlRate: Number(control.toFixed(4)),
    plantedTreatmentRate: Number(treatment.toFixed(4)),
    plantedDifference: Number(planted.toFixed(4)),
    reportedDifference: interval?.estimate,
    interval: [interval?.lower, interval?.upper],
    recovered: inside,
    verdict: comparison.verdict.text,
    countsMatchTracking: problems.length === 0,
  };
  if (!inside) problems.push(`the planted difference ${signed(planted)} points is outside the report's interval`);
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
