import { HOLDOUT_ARM } from '../assignment/assign';
import { ExperimentError, FieldProblem } from '../experiments.errors';
import { METRICS, isMetricId } from '../metrics';
import { MetricArmDay, ReportInput } from './report-model';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks a report input before any arithmetic: known arms and metrics, well-formed days, counts that
 * are non-negative integers, and sufficient statistics that can exist (0 ≤ Σy ≤ n and Σy² = Σy for
 * rates; Σy² ≥ (Σy)²/n for means). Throws one error listing every offending field.
 */
export function validateReportInput(input: ReportInput): void {
  const problems: FieldProblem[] = [];
  const fail = (field: string, message: string) => problems.push({ field, message });
  const arms = new Set([...input.definition.variants.map((v) => v.key), HOLDOUT_ARM]);
  const declared = new Set([
    input.definition.metrics.primary,
    ...input.definition.metrics.secondary,
    ...input.definition.metrics.guardrails,
  ]);
  if (Number.isNaN(Date.parse(input.asOf))) fail('asOf', 'must be an ISO-8601 instant');
  const count = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  for (const list of ['assigned', 'delivered'] as const) {
    input[list].forEach((row, i) => {
      if (!arms.has(row.arm)) fail(`${list}[${i}].arm`, `unknown arm "${row.arm}"`);
      if (!DAY.test(row.day)) fail(`${list}[${i}].day`, 'must be a YYYY-MM-DD day');
      if (!count(row.count)) fail(`${list}[${i}].count`, 'must be a non-negative integer');
    });
  }
  const checkMetric = (list: 'metrics' | 'metricsBySplit') => (row: MetricArmDay, i: number) => {
    const at = `${list}[${i}]`;
    if (!isMetricId(row.metric) || !declared.has(row.metric)) {
      return fail(`${at}.metric`, `not a metric of the experiment: "${row.metric}"`);
    }
    if (!arms.has(row.arm)) fail(`${at}.arm`, `unknown arm "${row.arm}"`);
    if (!DAY.test(row.day)) fail(`${at}.day`, 'must be a YYYY-MM-DD day');
    if (!count(row.n)) return fail(`${at}.n`, 'must be a non-negative integer');
    if (!Number.isFinite(row.sum)) return fail(`${at}.sum`, 'must be a finite number');
    if (!Number.isFinite(row.sumSquares) || row.sumSquares < 0) {
      return fail(`${at}.sumSquares`, 'must be a finite number >= 0');
    }
    const tolerance = 1e-9 * Math.max(1, row.sumSquares);
    if (METRICS[row.metric].kind === 'rate') {
      if (!Number.isInteger(row.sum) || row.sum < 0 || row.sum > row.n) {
        fail(`${at}.sum`, 'must be an integer count in [0, n] for a rate');
      } else if (row.sumSquares !== row.sum) fail(`${at}.sumSquares`, 'must equal sum for a rate (values are 0 or 1)');
    } else if (row.n > 0 && row.sumSquares + tolerance < (row.sum * row.sum) / row.n) {
      fail(`${at}.sumSquares`, 'is smaller than sum²/n: no set of values has these sums');
    } else if (row.n === 0 && (row.sum !== 0 || row.sumSquares !== 0)) fail(`${at}.sum`, 'must be 0 when n is 0');
  };
  input.metrics.forEach(checkMetric('metrics'));
  (input.metricsBySplit ?? []).forEach((row, i) => {
    if (typeof row.split !== 'string' || row.split === '') fail(`metricsBySplit[${i}].split`, 'must be a split key');
    checkMetric('metricsBySplit')(row, i);
  });
  (input.allocations ?? []).forEach((period, i) => {
    if (!DAY.test(period.from)) fail(`allocations[${i}].from`, 'must be a YYYY-MM-DD day');
    if (!(period.holdoutShare >= 0 && period.holdoutShare < 1)) {
      fail(`allocations[${i}].holdoutShare`, 'must be in [0, 1)');
    }
  });
  if (problems.length > 0) throw new ExperimentError('experiments.invalid-statistics', problems);
}
