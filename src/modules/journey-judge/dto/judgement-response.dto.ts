import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WorstExample } from '../domain/grade-stats';
import { JudgementReport } from '../domain/judgement-report';
import { GradeChange } from '../domain/run-change';

class GradeSummaryResponse {
  @ApiProperty() users!: number;
  @ApiProperty() journeys!: number;
  @ApiProperty({ example: { '1': 3, '2': 5, '3': 12, '4': 30, '5': 50 }, description: 'Journeys per grade' })
  distribution!: Record<string, number>;
  @ApiProperty({ nullable: true, type: Number }) mean!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Share of journeys graded 4 or 5' })
  shareGood!: number | null;
  @ApiProperty({ example: [{ rank: 1, journeys: 100, mean: 4.1 }] }) byRank!: JudgementReport['summary']['byRank'];
}

/** A judged sample of a build run: grades, cost, worst examples, change against the previous judged run, alert. */
export class JudgementResponse {
  @ApiProperty() judgementId!: string;
  @ApiProperty() buildRunId!: string;
  @ApiProperty({ enum: ['manual', 'schedule'] }) trigger!: string;
  @ApiProperty({ enum: ['running', 'completed', 'failed'] }) status!: string;
  @ApiProperty({ description: 'The judge model' }) model!: string;
  @ApiProperty({ example: 'judge-v1' }) promptVersion!: string;
  @ApiProperty() topK!: number;
  @ApiProperty() seed!: string;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional() finishedAt?: string;
  @ApiProperty({ example: { sampled: 200, judged: 197, cached: 120, failed: 3, skippedForBudget: 0 } })
  counts!: JudgementReport['counts'];
  @ApiProperty({ example: { spent: 41000, budget: 500000, exhausted: false } }) tokens!: JudgementReport['tokens'];
  @ApiProperty({ type: GradeSummaryResponse }) summary!: GradeSummaryResponse;
  @ApiProperty({ description: 'Lowest-graded journeys with the judge explanation' }) worst!: WorstExample[];
  @ApiPropertyOptional({ description: 'The judged run compared with' }) previous?: JudgementReport['previous'];
  @ApiProperty({ description: 'Mean grade and share ≥ 4 against the previous judged run, with 95% intervals' })
  changes!: GradeChange[];
  @ApiProperty({ example: { minMeanGrade: 3.5, triggered: false } }) alert!: JudgementReport['alert'];
  @ApiProperty() failures!: JudgementReport['failures'];
}

export function toJudgementResponse(report: JudgementReport): JudgementResponse {
  return { ...report, summary: { ...report.summary }, counts: { ...report.counts }, tokens: { ...report.tokens } };
}
