import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bull';
import { TypedProducer } from '../../../common/queue/typed-producer';

export const JOURNEY_JUDGE_QUEUE = 'journey-judge';

export const JOURNEY_JUDGE_JOBS = { scheduled: 'journey-judge.scheduled' } as const;

export interface JourneyJudgeJobs extends Record<string, object> {
  [JOURNEY_JUDGE_JOBS.scheduled]: Record<string, never>;
}

/** The judge queue's producer: the scheduler registers the cron; workers judge the latest full rebuild. */
@Injectable()
export class JourneyJudgeProducer extends TypedProducer<JourneyJudgeJobs> {
  constructor(@InjectQueue(JOURNEY_JUDGE_QUEUE) queue: Queue) {
    super(queue);
  }

  scheduleJudge(cron: string): Promise<void> {
    return this.scheduleRepeatable(JOURNEY_JUDGE_JOBS.scheduled, {}, cron);
  }
}
