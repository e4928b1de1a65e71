import { csvCell } from '../../../../lib/csv/csv';
import { oneSidedText, unboundedText } from '../report/format';
import { ExperimentReport, MetricComparison, MetricReport } from '../report/report-model';

const COLUMNS = [
  'metric',
  'metric_role',
  'arm',
  'arm_role',
  'users',
  'events',
  'value',
  'control_arm',
  'difference',
  'difference_lower',
  'difference_upper',
  'lift',
  'lift_lower',
  'lift_upper',
  'p_value',
  'adjusted_p_value',
  'chance_to_beat_control',
  'expected_loss_ship',
  'expected_loss_keep',
  'verdict',
  'verdict_text',
  // Added last, so a reader of the earlier columns by position reads them as before.
  'compared_control_value',
  'compared_value',
  'interval_note',
  'sum_squares',
] as const;

function rows(metric: MetricReport): string[][] {
  return metric.arms.map((arm) => {
    const c: MetricComparison | undefined = metric.comparisons.find((x) => x.treatment === arm.arm);
    const isControl = metric.comparisons.some((x) => x.control === arm.arm);
    const values = [
      metric.id,
      metric.role,
      arm.arm,
      isControl ? 'control' : 'treatment',
      arm.n,
      arm.sum,
      arm.value,
      c?.control,
      c?.absolute?.estimate,
      c?.absolute?.lower,
      c?.absolute?.upper,
      c?.relative?.estimate,
      c?.relative?.lower,
      c?.relative?.upper,
      c?.pValue,
      c?.adjustedPValue,
      c?.chanceToBeatControl,
      c?.expectedLoss?.shipTreatment,
      c?.expectedLoss?.keepControl,
      c?.verdict.status,
      c?.verdict.text,
      c?.comparedValues?.control,
      c?.comparedValues?.treatment,
      c?.unboundedInterval ? unboundedText(c.unboundedInterval) : c?.oneSided ? oneSidedText(c.oneSided) : undefined,
      arm.sumSquares,
    ];
    return values.map(csvCell);
  });
}

/**
 * The report as one CSV table: a row per (metric, arm), comparison columns filled on treatment rows. `value` is the
 * arm's over all its users (pooled across splits); `compared_control_value` and `compared_value` are the two values
 * the comparison is of (within splits), and `difference` is the second less the first. Where the correction leaves an
 * interval unbounded, its bounds are empty and `interval_note` says why. A guardrail's test is one-sided in its harmful
 * direction: its open bound is empty and `interval_note` says "one-sided: a lower bound, the upper end open" (or an
 * upper bound), `p_value` being that tail's. `sum_squares` is the arm's Σy², which with `users`
 * and `events` (Σy) gives its variance, so a mean's test recomputes from the sheet.
 */
export function renderCsv(report: ExperimentReport): string {
  const lines = [COLUMNS.join(','), ...[...report.metrics, ...report.holdout].flatMap(rows).map((r) => r.join(','))];
  return `${lines.join('\n')}\n`;
}
