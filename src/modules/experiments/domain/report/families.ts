import { METRICS, MetricId } from '../metrics';
import { adjustPValues } from '../statistics/multiple-testing';
import { SrmResult, equalRates, equalRatesWithin } from '../statistics/srm';
import { EMPTY_STATS, addStats } from '../statistics/sufficient-stats';
import { ComparisonContext, metricComparison, rawComparison } from './compare-metric';
import { ArmSummary, MetricComparison, MetricReport, MetricRole } from './report-model';

/**
 * One family of comparisons (metrics × treatments), corrected together: primary and secondary
 * families by the experiment's method; guardrails and holdout comparisons are not corrected, as a
 * harm must never be explained away by the number of metrics watched.
 */
export function family(
  ctx: ComparisonContext,
  ids: MetricId[],
  role: MetricRole,
  control: string,
  treatments: string[],
): MetricReport[] {
  const pairs = ids.flatMap((id) =>
    treatments.map((t) => ({ id, t, p: rawComparison(ctx, METRICS[id], control, t)?.test.pValue ?? null })),
  );
  const tested = pairs.filter((x) => x.p !== null);
  // A family of one (the primary metric of an A/B test) has nothing to correct for.
  const corrected = (role === 'primary' || role === 'secondary') && tested.length > 1;
  const method = corrected ? ctx.definition.analysis.correction : 'none';
  const adjusted = new Map(
    adjustPValues(
      tested.map((x) => x.p!),
      method,
    ).map((p, i) => [tested[i], p]),
  );
  const series = (id: MetricId) => ctx.aggregates.metrics.get(id);
  return ids.map((id) => {
    const spec = METRICS[id];
    const arms = [control, ...treatments].map((arm) => {
      const s = [...(series(id)?.get(arm)?.values() ?? [])].reduce(addStats, EMPTY_STATS);
      return { arm, n: s.n, sum: s.sum, sumSquares: s.sumSquares, value: s.n > 0 ? s.sum / s.n : null };
    });
    const comparisons = pairs
      .filter((x) => x.id === id)
      .map((x) =>
        metricComparison(
          ctx,
          spec,
          role,
          control,
          x.t,
          method === 'none' || !adjusted.has(x)
            ? null
            : { p: adjusted.get(x)!, correction: method, comparisons: tested.length },
        ),
      );
    return {
      id,
      label: spec.label,
      role,
      kind: spec.kind,
      higherIsBetter: spec.higherIsBetter,
      correction: method,
      arms,
      comparisons,
    };
  });
}

/**
 * The test of equal delivery rates across variants (delivered vs not, per arm), compared within each assignment
 * day (`byDay`: per day, each arm's delivered and assigned users, arms in the order of `arms`), so a day that
 * delivered less and assigned more to one variant does not pass for that variant delivering less; the pooled
 * table without days. Null before any delivery.
 */
export function balanceOfDelivery(
  arms: ArmSummary[],
  byDay: ReadonlyArray<{ delivered: readonly number[]; assigned: readonly number[] }> = [],
): SrmResult | null {
  const delivered = arms.map((a) => a.delivered);
  if (delivered.every((d) => d === 0)) return null;
  if (byDay.length === 0) {
    return equalRates(
      delivered,
      arms.map((a) => a.assigned),
    );
  }
  return equalRatesWithin(byDay.map((d) => ({ successes: d.delivered, trials: d.assigned })));
}

/**
 * The comparisons the headline states: every one of the primary metric, then each breached guardrail, so a harm is
 * read next to the win it comes with.
 */
export function headlineComparisons(metrics: readonly MetricReport[]): MetricComparison[] {
  const ofRole = (role: MetricRole) => metrics.filter((m) => m.role === role).flatMap((m) => m.comparisons);
  return [...ofRole('primary'), ...ofRole('guardrail').filter((c) => c.verdict.status === 'loss')];
}
