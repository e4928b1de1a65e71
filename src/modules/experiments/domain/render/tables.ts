import {
  formatCount,
  formatDifference,
  formatEstimate,
  formatPercent,
  formatProbability,
  formatValue,
} from '../report/format';
import { ExperimentReport, MetricComparison, MetricReport } from '../report/report-model';
import { comparedText, liftText, pText } from './sentences';

/** The tables every renderer shows, as plain text cells; each renderer only adds its own markup. */
export interface TextTable {
  header: string[];
  rows: string[][];
}

const share = (x: number) => formatPercent(x).replace('+', '');

/** Display name of an arm. */
export function armName(report: ExperimentReport, key: string): string {
  return report.arms.find((a) => a.key === key)?.name ?? key;
}

/** Users per arm: expected and observed shares, assigned and delivered counts. */
export function armsTable(report: ExperimentReport): TextTable {
  return {
    header: ['Arm', 'Role', 'Expected share', 'Observed share', 'Assigned', 'Delivered', 'Delivery rate'],
    rows: report.arms.map((a) => [
      a.name,
      a.role,
      share(a.expectedShare),
      share(a.observedShare),
      formatCount(a.assigned),
      formatCount(a.delivered),
      a.deliveryRate === null ? '-' : share(a.deliveryRate),
    ]),
  };
}

/**
 * One metric per arm: users, events or total, the value over all of them (pooled across splits), and the comparison
 * with the control: the two values it compared (within splits), their difference, and the lift.
 */
export function metricTable(report: ExperimentReport, metric: MetricReport): TextTable {
  return {
    header: [
      'Arm',
      'Users',
      metric.kind === 'rate' ? 'Users with event' : 'Total',
      'Value (pooled)',
      'Compared (control → arm)',
      'Difference',
      'Lift [interval]',
      'p-value',
      'Chance to beat',
    ],
    rows: metric.arms.map((arm) => {
      const c = metric.comparisons.find((x) => x.treatment === arm.arm);
      return [
        armName(report, arm.arm),
        formatCount(arm.n),
        metric.kind === 'rate' ? formatCount(arm.sum) : arm.sum.toPrecision(4),
        formatValue(arm.value, metric.kind),
        c ? comparedText(c, metric) : '',
        c ? formatDifference(c.absolute?.estimate ?? null, metric.kind) : '',
        c ? liftText(c, metric) : 'baseline',
        c ? pText(c) : '',
        c ? formatProbability(c.chanceToBeatControl) : '',
      ];
    }),
  };
}

/** The cumulative read-out of one comparison, a row per day. */
export function timelineTable(report: ExperimentReport, metric: MetricReport, c: MetricComparison): TextTable {
  return {
    header: [
      'Day',
      `Users (${armName(report, c.control)})`,
      `Users (${armName(report, c.treatment)})`,
      'Estimate [interval]',
    ],
    rows: c.timeline.map((p) => [
      p.day,
      formatCount(p.controlN),
      formatCount(p.treatmentN),
      p.estimate === null
        ? '-'
        : formatEstimate({ estimate: p.estimate, lower: p.lower, upper: p.upper }, c.timelineScale, metric.kind),
    ]),
  };
}
