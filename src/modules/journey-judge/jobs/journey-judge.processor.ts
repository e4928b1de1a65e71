import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { Job } from 'bull';
import { JourneyJudgeService } from '../journey-judge.service';
import { JOURNEY_JUDGE_JOBS, JOURNEY_JUDGE_QUEUE } from './journey-judge.queue';

/** What a scheduled judge job returns to Bull (the judgement itself is in MongoDB). */
export type ScheduledJudgeSummary =
  | { status: 'nothing-to-judge' }
  | { status: 'judged'; judgementId: string; buildRunId: string; mean: number | null; alert: boolean };

/** Runs the scheduled judge; the sampling, judging and alerting live in JourneyJudgeService. */
@Processor(JOURNEY_JUDGE_QUEUE)
export class JourneyJudgeProcessor {
  private readonly logger = new Logger(JourneyJudgeProcessor.name);

  constructor(private readonly judge: JourneyJudgeService) {}

  @Process(JOURNEY_JUDGE_JOBS.scheduled)
  async handleScheduled(job: Job): Promise<ScheduledJudgeSummary> {
    const report = await this.judge.judgeLatestFullRun();
    if (!report) {
      this.logger.debug(`job ${job.id}: no full rebuild waiting for a judgement`);
      return { status: 'nothing-to-judge' };
    }
    return {
      status: 'judged',
      judgementId: report.judgementId,
      buildRunId: report.buildRunId,
      mean: report.summary.mean,
      alert: report.alert.triggered,
    };
  }
}
