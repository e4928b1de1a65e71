import { Module } from '@nestjs/common';
import { JourneyJudgeModule } from '../journey-judge.module';
import { JourneyJudgeQueueModule } from './journey-judge-queue.module';
import { JourneyJudgeProcessor } from './journey-judge.processor';

/** The worker role's part of the judge: the processor of the scheduled judge job. */
@Module({ imports: [JourneyJudgeModule, JourneyJudgeQueueModule], providers: [JourneyJudgeProcessor] })
export class JourneyJudgeJobsModule {}
