import { fnv1a32 } from '../assignment/fnv1a';
import { ExperimentDefinition } from '../experiment-definition';
import { Aggregates, changeDays, sharesOf, sharesOn } from './aggregate';
import { AllocationPeriod, ReportInput } from './report-model';

type Split = Pick<AllocationPeriod, 'weights' | 'holdoutShare'>;

/** The shares an allocation draws users by, as one canonical string: 50/50 and 1/1 are the same split. */
export function splitOf({ weights, holdoutShare }: Split): string {
  const total = Object.values(weights).reduce((a, w) => a + w, 0);
  const shares = Object.entries(weights)
    .map(([key, w]) => `${key}:${(w / total).toFixed(9)}`)
    .sort();
  return [`holdout:${holdoutShare}`, ...shares].join(',');
}

/** A short key of {@link splitOf}, usable as a field name: each assignment records the split it was drawn under. */
export function splitKey(split: Split): string {
  return `s${fnv1a32(splitOf(split)).toString(16).padStart(8, '0')}`;
}

/** The weights and holdout share of a definition, in force from `day`. */
export function allocationOf(definition: ExperimentDefinition, day: string): AllocationPeriod {
  return {
    from: day,
    weights: Object.fromEntries(definition.variants.map((v) => [v.key, v.weight])),
    holdoutShare: definition.holdoutShare,
  };
}

/** Users the SRM check expects per arm, over the days it checks, and the days it has to leave out. */
export interface ExpectedSplit {
  expected: Map<string, number>;
  checkedDays: string[];
  leftOutDays: string[];
}

/**
 * Expected users per arm: each day's users of the reported arms by the split they were drawn under, when
 * every one of them has it recorded (so a change of weights or holdout at noon expects the morning's users
 * by the old split and the afternoon's by the new one); otherwise by the allocation in force that day, and
 * the day of a change is then left out, as its users came under both splits in a mix its counts do not tell.
 * A day's shares are taken among the reported arms (a removed variant's users are left out, and so is its share).
 */
export function expectedBySplit(input: ReportInput, aggregates: Aggregates, armKeys: readonly string[]): ExpectedSplit {
  const allocations = input.allocations ?? [];
  const known = new Map<string, Map<string, number>>([
    [splitKey(allocationOf(input.definition, '')), sharesOf(input.definition, undefined)],
  ]);
  for (const period of allocations) known.set(splitKey(period), sharesOf(input.definition, period));
  const reported = new Set(armKeys);
  const bySplit = new Map<string, Map<string, number>>();
  for (const { arm, day, split, count } of input.assignedBySplit ?? []) {
    if (!reported.has(arm)) continue;
    const splits = bySplit.get(day) ?? new Map<string, number>();
    splits.set(split, (splits.get(split) ?? 0) + count);
    bySplit.set(day, splits);
  }
  const changedOn = changeDays(allocations);
  const result: ExpectedSplit = { expected: new Map(armKeys.map((k) => [k, 0])), checkedDays: [], leftOutDays: [] };
  const expect = (users: number, shares: Map<string, number>) => {
    const among = armKeys.reduce((sum, k) => sum + shares.get(k)!, 0);
    if (among <= 0) return;
    for (const k of armKeys) result.expected.set(k, result.expected.get(k)! + (users * shares.get(k)!) / among);
  };
  for (const day of aggregates.days) {
    const dayTotal = armKeys.reduce((sum, k) => sum + (aggregates.assigned.get(k)?.get(day) ?? 0), 0);
    const splits = [...(bySplit.get(day) ?? [])];
    const recorded = splits.reduce((sum, [, n]) => sum + n, 0);
    if (dayTotal > 0 && recorded === dayTotal && splits.every(([key]) => known.has(key))) {
      for (const [key, users] of splits) expect(users, known.get(key)!);
    } else if (changedOn.has(day)) {
      result.leftOutDays.push(day);
      continue;
    } else {
      expect(dayTotal, sharesOn(input.definition, allocations, day));
    }
    result.checkedDays.push(day);
  }
  return result;
}
