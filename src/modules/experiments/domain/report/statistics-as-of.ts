import { METRICS, MetricId } from '../metrics';
import { ExperimentChannel, OutcomeKind, metricsMovedBy } from '../outcomes';
import { ArmDayStatistics } from './stored-statistics';

/** Users of one (arm, assignment day) assigned, and delivered to, by an instant. */
export interface ArmDayCounts {
  arm: string;
  day: string;
  assigned: number;
  delivered: number;
  /** The assigned users by the split their arm was drawn under, where recorded. */
  splits?: Record<string, number>;
}

/** A user's assignment: their arm, cohort day and the channel their outcomes are read by. */
export interface AssignedUser {
  userId: string;
  arm: string;
  day: string;
  channel: ExperimentChannel;
  /** The split their arm was drawn under, where recorded. */
  split?: string;
}

/** A logged outcome the experiment counted (within the window of an exposure), that happened by the instant. */
export interface CountedOutcome {
  userId: string;
  kind: OutcomeKind;
  machine?: boolean;
}

/**
 * The (arm, day) rows of an experiment as they stood at an instant, rebuilt from the records of what had
 * happened by then: the users assigned and delivered to, and each user's values from the outcomes
 * counted (a rate reached by any of them, a count moved by each one, as the live rows are moved), summed
 * by the split each user was drawn under too, where recorded.
 */
export function statisticsFromRecords(
  counts: readonly ArmDayCounts[],
  users: readonly AssignedUser[],
  outcomes: readonly CountedOutcome[],
): ArmDayStatistics[] {
  const userById = new Map(users.map((u) => [u.userId, u]));
  const values = new Map<string, Partial<Record<MetricId, number>>>();
  for (const outcome of outcomes) {
    const user = userById.get(outcome.userId);
    if (!user) continue;
    const own = values.get(user.userId) ?? {};
    for (const metric of metricsMovedBy(outcome.kind, user.channel, outcome.machine === true)) {
      own[metric] = METRICS[metric].kind === 'rate' ? 1 : (own[metric] ?? 0) + 1;
    }
    values.set(user.userId, own);
  }
  const key = (arm: string, day: string) => `${arm}\u0000${day}`;
  const rows = new Map(counts.map((c) => [key(c.arm, c.day), { ...c, sums: {} } as ArmDayStatistics]));
  for (const [userId, own] of values) {
    const { arm, day, split } = userById.get(userId)!;
    const row = rows.get(key(arm, day));
    if (!row) continue;
    const bySplit = split ? ((row.splitSums ??= {})[split] ??= {}) : undefined;
    for (const [metric, y] of Object.entries(own) as Array<[MetricId, number]>) {
      for (const sums of [row.sums, ...(bySplit ? [bySplit] : [])]) {
        const so = sums[metric] ?? { sum: 0, sumSquares: 0 };
        sums[metric] = { sum: so.sum + y, sumSquares: so.sumSquares + y * y };
      }
    }
  }
  return [...rows.values()];
}
