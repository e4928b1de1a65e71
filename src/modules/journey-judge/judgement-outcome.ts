import { summarizeGrades, worstExamples } from './domain/grade-stats';
import { alertTriggered } from './domain/judgement-report';
import { compareJudgedRuns } from './domain/run-change';
import { JourneyJudgementRecord, JudgedUserRecord } from './judgement.schema';
import { JudgementOutcome } from './judgement.repository';
import { toUserGrades } from './judgement-report.mapper';

const WORST_EXAMPLES = 10;
const FAILURES_SHOWN = 5;

/** What a finished judgement stores: counts, cost, grade summary, worst examples, change and alert. */
export function buildJudgementOutcome(
  judgement: JourneyJudgementRecord,
  records: readonly JudgedUserRecord[],
  previous: JourneyJudgementRecord | undefined,
  minMeanGrade: number,
): JudgementOutcome {
  const count = (status: JudgedUserRecord['status']) => records.filter((r) => r.status === status).length;
  const users = toUserGrades(records);
  const summary = summarizeGrades(users);
  return {
    counts: {
      sampled: judgement.sample.length,
      judged: count('judged'),
      cached: records.filter((r) => r.cached).length,
      failed: count('failed'),
      skippedForBudget: count('skipped-budget'),
    },
    tokensSpent: records.reduce((s, r) => s + r.tokens, 0),
    budgetExhausted: count('skipped-budget') > 0,
    summary,
    worst: worstExamples(users, WORST_EXAMPLES),
    ...(previous?.summary && {
      previous: {
        judgementId: previous.judgementId,
        buildRunId: previous.buildRunId,
        sameJudge: previous.model === judgement.model && previous.promptVersion === judgement.promptVersion,
      },
    }),
    changes: previous?.summary ? compareJudgedRuns(previous.summary.perUser, summary.perUser) : [],
    alert: { minMeanGrade, triggered: alertTriggered(summary.mean, minMeanGrade) },
    failures: records
      .filter((r) => r.status === 'failed')
      .slice(0, FAILURES_SHOWN)
      .map((r) => ({ userId: r.userId, reason: r.reason ?? 'unknown' })),
  };
}
