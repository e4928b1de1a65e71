import { Grade } from './domain/judge-types';
import { UserGrades } from './domain/grade-stats';
import { JudgementReport } from './domain/judgement-report';
import { JourneyJudgementRecord, JudgedUserRecord } from './judgement.schema';

/** The graded users of a judgement, as the grade statistics read them. */
export function toUserGrades(records: readonly JudgedUserRecord[]): UserGrades[] {
  return records
    .filter((r) => r.status === 'judged')
    .map((r) => ({
      userId: r.userId,
      journeys: r.journeys.map((j) => ({
        name: j.name,
        rank: j.rank,
        grade: j.grade as Grade,
        explanation: j.explanation,
      })),
    }));
}

/** A stored judgement as the CLI, the API and the metrics show it. */
export function toJudgementReport(record: JourneyJudgementRecord): JudgementReport {
  const emptySummary = { users: 0, journeys: 0, distribution: {}, mean: null, shareGood: null, byRank: [] };
  const { perUser: _perUser, ...summary } = record.summary ?? { ...emptySummary, perUser: undefined };
  return {
    judgementId: record.judgementId,
    buildRunId: record.buildRunId,
    trigger: record.trigger,
    status: record.status,
    model: record.model,
    promptVersion: record.promptVersion,
    topK: record.topK,
    seed: record.seed,
    createdAt: record.createdAt.toISOString(),
    ...(record.finishedAt && { finishedAt: record.finishedAt.toISOString() }),
    counts: record.counts ?? {
      sampled: record.sample?.length ?? 0,
      judged: 0,
      cached: 0,
      failed: 0,
      skippedForBudget: 0,
    },
    tokens: { spent: record.tokensSpent ?? 0, budget: record.tokenBudget, exhausted: record.budgetExhausted ?? false },
    summary,
    worst: record.worst,
    ...(record.previous && { previous: record.previous }),
    changes: record.changes,
    alert: record.alert ?? { minMeanGrade: 0, triggered: false },
    failures: record.failures,
  };
}
