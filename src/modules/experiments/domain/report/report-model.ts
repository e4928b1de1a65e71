import { AnalysisSettings, ExperimentDefinition } from '../experiment-definition';
import { MetricId } from '../metrics';
import { OneSided, TestMethod } from '../statistics/canonical-test';
import { DataGate } from '../statistics/data-gate';
import { CorrectionMethod } from '../statistics/multiple-testing';
import { SrmResult } from '../statistics/srm';
import { MetricKind, SufficientStats } from '../statistics/sufficient-stats';

export const REPORT_FORMAT = 'journeycast.experiment-report/1';

/** A count per (arm, day): users assigned, or delivered to. `day` is the UTC assignment day, YYYY-MM-DD. */
export interface ArmDayCount {
  arm: string;
  day: string;
  count: number;
}

/** Sufficient statistics of one metric for the users of one arm assigned on one day. */
export interface MetricArmDay extends SufficientStats {
  metric: MetricId;
  arm: string;
  day: string;
}

/** The weights in force from a day on, when they changed during the experiment (for the SRM check and the strata). */
export interface AllocationPeriod {
  from: string;
  weights: Record<string, number>;
  holdoutShare: number;
}

/** Users of one (arm, day) whose arm was drawn under one split: the `splitKey` of the allocation then in force. */
export interface ArmDaySplitCount extends ArmDayCount {
  split: string;
}

/** Sufficient statistics of one metric for the users of one (arm, day) drawn under one split (`splitKey`). */
export interface MetricArmDaySplit extends MetricArmDay {
  split: string;
}

/** Everything a report is built from: no raw events, only counts and sufficient statistics. */
export interface ReportInput {
  definition: ExperimentDefinition;
  /** ISO instant the statistics were read at. */
  asOf: string;
  assigned: ArmDayCount[];
  /** The same users by the split they were drawn under, where recorded (not for users assigned before it was). */
  assignedBySplit?: ArmDaySplitCount[];
  delivered: ArmDayCount[];
  metrics: MetricArmDay[];
  /**
   * The same statistics by the split each user was drawn under, where recorded: arms are compared within splits.
   * A day whose rows they do not add up to (users or outcomes recorded before splits were) is compared by day.
   */
  metricsBySplit?: MetricArmDaySplit[];
  allocations?: AllocationPeriod[];
}

export type ArmRole = 'control' | 'treatment' | 'holdout';

export interface ArmSummary {
  key: string;
  name: string;
  role: ArmRole;
  /** The arm's share of the users the SRM check expects, over its days (`srm.leftOutDays` are in neither share). */
  expectedShare: number;
  /** The arm's share of the users the SRM check counts, over the same days. */
  observedShare: number;
  assigned: number;
  /** The arm's share of every assigned user, every day included: `assigned` over all arms' `assigned`. */
  assignedShare: number;
  delivered: number;
  /** Delivered / assigned; null for the holdout (sent nothing by design). */
  deliveryRate: number | null;
}

export type VerdictStatus = 'win' | 'loss' | 'inconclusive' | 'not-enough-data';

export interface Verdict {
  status: VerdictStatus;
  /** One plain-language sentence, e.g. "B beats A on click rate: +12.0% [+2.1%, +22.9%]". */
  text: string;
}

/**
 * Why a comparison's displayed interval has no bounds: its family's correction (`correction`, over `comparisons`
 * comparisons) took the adjusted p-value to 1, where no value of the difference is rejected.
 */
export interface UnboundedInterval {
  correction: CorrectionMethod;
  comparisons: number;
}

export interface Bounds {
  estimate: number;
  lower: number | null;
  upper: number | null;
}

/** One point of the cumulative read-out: the comparison on all users assigned up to that day. */
export interface TimelinePoint {
  day: string;
  controlN: number;
  treatmentN: number;
  estimate: number | null;
  lower: number | null;
  upper: number | null;
}

export interface MetricComparison {
  control: string;
  treatment: string;
  /** Null when nothing can be tested yet (no variance, fewer than 2 users). */
  test: { method: TestMethod; statistic: number; degreesOfFreedom: number | null } | null;
  /**
   * The two arms' values the comparison is of: its difference is treatment − control, its lift that over |control|.
   * Arms are compared within the splits their users were drawn under, so each is the arm's value per split weighted
   * by the two arms' users in the split, leaving out splits where an arm has fewer than 2 users; with one split, the
   * arm's value over all its users (`MetricReport.arms`). Null when nothing can be tested yet.
   */
  comparedValues: { control: number; treatment: number } | null;
  absolute: (Bounds & { standardError: number }) | null;
  /** Relative lift with its Fieller interval; `standardError` is the delta-method one. */
  relative: (Bounds & { standardError: number }) | null;
  pValue: number | null;
  /** After the family's multiple-comparison correction; the displayed intervals agree with it. */
  adjustedPValue: number | null;
  /**
   * Set when the test is one-sided, as a guardrail's is in its harmful direction (unless sequential): 'greater' when
   * only a rise is tested (its intervals, timeline's too, are lower bounds, `upper` null: open), 'less' when only a
   * fall is (`lower` null). `pValue` is that tail's. Null for a two-sided test.
   */
  oneSided: OneSided | null;
  /**
   * Set when the displayed interval (on `timelineScale`) has no bounds because the correction took the adjusted
   * p-value to 1: its bounds are then null (never ±Infinity, which JSON cannot hold). Null otherwise.
   */
  unboundedInterval: UnboundedInterval | null;
  chanceToBeatControl: number | null;
  expectedLoss: { shipTreatment: number; keepControl: number } | null;
  gate: DataGate;
  verdict: Verdict;
  power: {
    targetLift: number;
    neededPerArm: { control: number; treatment: number } | null;
    minimumDetectableLift: number | null;
    /** Days until the target power at the current pace: 0 once decided, null when no longer accruing. */
    daysToDecision: number | null;
  };
  /** Scale of the timeline's estimates: relative lift, or the absolute difference when there is none. */
  timelineScale: 'relative' | 'absolute';
  timeline: TimelinePoint[];
}

/** An arm's metric over all its users, pooled across splits: Σy / n (a comparison's own values are its `comparedValues`). */
export interface MetricArmValue {
  arm: string;
  n: number;
  sum: number;
  /** Σy²: with n and Σy, the arm's variance, so a mean's test can be recomputed from the report alone. */
  sumSquares: number;
  value: number | null;
}

export type MetricRole = 'primary' | 'secondary' | 'guardrail' | 'holdout';

export interface MetricReport {
  id: MetricId;
  label: string;
  role: MetricRole;
  kind: MetricKind;
  higherIsBetter: boolean;
  correction: CorrectionMethod;
  arms: MetricArmValue[];
  comparisons: MetricComparison[];
}

export interface ExperimentReport {
  format: typeof REPORT_FORMAT;
  experiment: Pick<
    ExperimentDefinition,
    'id' | 'name' | 'campaignId' | 'holdoutShare' | 'attributionWindowHours' | 'minimumSample'
  > & {
    control: string;
    variants: Array<{ key: string; name: string; weight: number }>;
  };
  asOf: string;
  period: { firstDay: string; lastDay: string; days: number } | null;
  settings: AnalysisSettings;
  arms: ArmSummary[];
  /**
   * The sample-ratio-mismatch check. `unexpectedArms` names the arms holding users where the allocation expected
   * none: a mismatch whatever the counts, reported with p = 0 (and the χ² of the other arms).
   */
  srm: Omit<SrmResult, 'unexpected'> & {
    threshold: number;
    unexpectedArms?: string[];
    /** Days the check leaves out: the day of a change whose users' splits were not recorded. */
    leftOutDays: string[];
  };
  /** Whether delivery rates differ between variants more than chance allows (differential attrition). */
  deliveryBalance: SrmResult | null;
  headline: string[];
  /** Primary, secondary, then guardrail metrics; `holdout` holds variant-vs-holdout comparisons. */
  metrics: MetricReport[];
  holdout: MetricReport[];
  notes: string[];
}
