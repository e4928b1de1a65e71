import { GradeSummary, WorstExample } from './grade-stats';
import { GradeChange } from './run-change';

export type JudgementTrigger = 'manual' | 'schedule';
export type JudgementStatus = 'running' | 'completed' | 'failed';

export interface JudgementCounts {
  sampled: number;
  judged: number;
  /** Of the judged users, those whose grades came from the cache (free). */
  cached: number;
  /** Users whose call failed or whose reply was rejected. */
  failed: number;
  /** Users not judged because the token budget was spent. */
  skippedForBudget: number;
}

/** A judged run as the CLI, the API and the metrics show it. */
export interface JudgementReport {
  judgementId: string;
  buildRunId: string;
  trigger: JudgementTrigger;
  status: JudgementStatus;
  model: string;
  promptVersion: string;
  topK: number;
  seed: string;
  createdAt: string;
  finishedAt?: string;
  counts: JudgementCounts;
  tokens: { spent: number; budget: number; exhausted: boolean };
  summary: Omit<GradeSummary, 'perUser'>;
  worst: WorstExample[];
  /** The judged run compared with, and whether it was graded by the same model and prompt version. */
  previous?: { judgementId: string; buildRunId: string; sameJudge: boolean };
  changes: GradeChange[];
  alert: { minMeanGrade: number; triggered: boolean };
  /** A few failure reasons, for diagnosing a judge model that answers badly. */
  failures: Array<{ userId: string; reason: string }>;
}

/** Whether a judged run's mean grade is below the alert threshold (a run with no grades alerts too). */
export function alertTriggered(mean: number | null, minMeanGrade: number): boolean {
  return mean === null || mean < minMeanGrade;
}
