import { GLOBAL_CONTROL_ARM, HOLDOUT_ARM } from '../assignment/assign';
import { ExperimentDefinition } from '../experiment-definition';
import { METRICS, METRIC_IDS, MetricId } from '../metrics';
import {
  AllocationPeriod,
  ArmDayCount,
  ArmDaySplitCount,
  MetricArmDay,
  MetricArmDaySplit,
  ReportInput,
} from './report-model';

/**
 * What the experiments service keeps per (experiment, arm, assignment day): users assigned, users
 * delivered to at least once, and Σy, Σy² of every metric over those users. n of every metric is the
 * assigned count (intent to treat): a user without an outcome has y = 0.
 */
export interface ArmDayStatistics {
  arm: string;
  day: string;
  assigned: number;
  delivered: number;
  sums: Partial<Record<MetricId, { sum: number; sumSquares: number }>>;
  /** The assigned users by the split their arm was drawn under, where recorded. */
  splits?: Record<string, number>;
  /** Σy and Σy² of those users by split, recorded along with `sums` (so short of outcomes counted before they were). */
  splitSums?: Record<string, Partial<Record<MetricId, { sum: number; sumSquares: number }>>>;
}

/** Users recorded in arms the comparison does not include (the global control group, a removed variant). */
export interface LeftOutArm {
  arm: string;
  assigned: number;
}

/**
 * The report input of an experiment from its stored rows: only the definition's arms and declared
 * metrics; users of other arms are counted apart so the report can say where they went.
 */
export function reportInputFromStatistics(
  definition: ExperimentDefinition,
  rows: readonly ArmDayStatistics[],
  options: { asOf: Date; allocations?: AllocationPeriod[] },
): { input: ReportInput; leftOut: LeftOutArm[] } {
  const arms = new Set([...definition.variants.map((v) => v.key), HOLDOUT_ARM]);
  const { primary, secondary, guardrails } = definition.metrics;
  const declared = METRIC_IDS.filter((m) => m === primary || secondary.includes(m) || guardrails.includes(m));
  const assigned: ArmDayCount[] = [];
  const assignedBySplit: ArmDaySplitCount[] = [];
  const delivered: ArmDayCount[] = [];
  const metrics: MetricArmDay[] = [];
  const metricsBySplit: MetricArmDaySplit[] = [];
  const leftOut = new Map<string, number>();
  for (const row of rows) {
    if (!arms.has(row.arm)) {
      leftOut.set(row.arm, (leftOut.get(row.arm) ?? 0) + row.assigned);
      continue;
    }
    // A row is one user short when a process died between a user's record and its count: the user its sums hold counts.
    const users = Math.max(row.assigned, usersNeeded(row.sums, declared));
    const splits = Object.entries(row.splits ?? {}).map(
      ([split, count]) => [split, Math.max(count, usersNeeded(row.splitSums?.[split] ?? {}, declared))] as const,
    );
    assigned.push({ arm: row.arm, day: row.day, count: users });
    for (const [split, count] of splits) {
      assignedBySplit.push({ arm: row.arm, day: row.day, split, count });
    }
    delivered.push({ arm: row.arm, day: row.day, count: row.delivered });
    for (const metric of declared) {
      const sums = row.sums[metric] ?? { sum: 0, sumSquares: 0 };
      metrics.push({ metric, arm: row.arm, day: row.day, n: users, sum: sums.sum, sumSquares: sums.sumSquares });
      for (const [split, n] of splits) {
        const part = row.splitSums?.[split]?.[metric] ?? { sum: 0, sumSquares: 0 };
        metricsBySplit.push({
          metric,
          arm: row.arm,
          day: row.day,
          split,
          n,
          sum: part.sum,
          sumSquares: part.sumSquares,
        });
      }
    }
  }
  const input: ReportInput = {
    definition,
    asOf: options.asOf.toISOString(),
    assigned,
    ...(assignedBySplit.length > 0 && { assignedBySplit }),
    delivered,
    metrics,
    ...(metricsBySplit.length > 0 && { metricsBySplit }),
    ...(options.allocations && options.allocations.length > 0 && { allocations: options.allocations }),
  };
  return { input, leftOut: [...leftOut].map(([arm, count]) => ({ arm, assigned: count })) };
}

/** The fewest users some sums can come from: a rate's events, and for a count (Σy)²/Σy², as Σy² ≥ (Σy)²/n. */
function usersNeeded(
  sums: Partial<Record<MetricId, { sum: number; sumSquares: number }>>,
  metrics: readonly MetricId[],
): number {
  let needed = 0;
  for (const metric of metrics) {
    const s = sums[metric];
    if (!s || !(s.sum > 0) || !(s.sumSquares > 0)) continue;
    const least = METRICS[metric].kind === 'rate' ? s.sum : Math.ceil((s.sum * s.sum) / s.sumSquares - 1e-9);
    needed = Math.max(needed, least);
  }
  return needed;
}

/** One note per arm left out of the comparison, saying who those users are. */
export function leftOutNotes(leftOut: readonly LeftOutArm[]): string[] {
  return leftOut
    .filter((a) => a.assigned > 0)
    .map((a) =>
      a.arm === GLOBAL_CONTROL_ARM
        ? `${a.assigned} user(s) of the global control group were counted and sent nothing; they receive no campaign and are not part of this comparison.`
        : `${a.assigned} user(s) stay recorded in "${a.arm}", a variant the definition no longer has; they are left out. Bump the experiment's version to restart it cleanly.`,
    );
}
