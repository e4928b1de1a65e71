import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { JOURNEY_JUDGE_QUEUE, JourneyJudgeProducer } from './journey-judge.queue';

/** The judge queue and its producer, for the worker (processor) and the scheduler (repeatable job). */
@Module({
  imports: [BullModule.registerQueue({ name: JOURNEY_JUDGE_QUEUE })],
  providers: [JourneyJudgeProducer],
  exports: [JourneyJudgeProducer, BullModule],
})
export class JourneyJudgeQueueModule {}
