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

/**
 * Users per arm: the SRM check's expected and observed shares, assigned users and their share of every assigned
 * user, delivered counts (`armsNote` says which days the SRM's shares cover when it left some out).
 */
export function armsTable(report: ExperimentReport): TextTable {
  return {
    header: [
      'Arm',
      'Role',
      'Expected share (SRM check)',
      'Observed share (SRM check)',
      'Assigned',
      'Share of assigned',
      'Delivered',
      'Delivery rate',
    ],
    rows: report.arms.map((a) => [
      a.name,
      a.role,
      share(a.expectedShare),
      share(a.observedShare),
      formatCount(a.assigned),
      share(a.assignedShare),
      formatCount(a.delivered),
      a.deliveryRate === null ? '-' : share(a.deliveryRate),
    ]),
  };
}

/**
 * Under the arms table, when the SRM check left days out: the days its shares cover, how many users those are, and
 * the arms whose users were all assigned outside them (a variant added on the day of a change), so a share of 0.0%
 * next to their users reads as the check's and not as none assigned. Null when the check covered every day.
 */
export function armsNote(report: ExperimentReport): string | null {
  const leftOut = report.srm.leftOutDays;
  if (leftOut.length === 0) return null;
  const checked = report.srm.observed.reduce((a, b) => a + b, 0);
  const every = report.arms.reduce((n, a) => n + a.assigned, 0);
  const outside = report.arms.filter((a, i) => a.assigned > 0 && report.srm.observed[i] === 0);
  const days = leftOut.length === 1 ? 'the day of a change' : 'the days of changes';
  const whose =
    outside.length > 0
      ? `: all ${outside.map((a) => `${formatCount(a.assigned)} users of ${a.name}`).join(' and all ')} were assigned then`
      : '';
  return `Expected and observed shares are the SRM check's, over the users assigned on every day but ${leftOut.join(', ')} (${formatCount(checked)} of ${formatCount(every)}), ${days} whose users' splits were not recorded${whose}. Share of assigned is over every day.`;
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
        : formatEstimate(
            { estimate: p.estimate, lower: p.lower, upper: p.upper },
            c.timelineScale,
            metric.kind,
            null,
            c.oneSided,
          ),
    ]),
  };
}
