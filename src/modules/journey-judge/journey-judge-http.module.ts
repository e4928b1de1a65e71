import { Module } from '@nestjs/common';
import { JourneyJudgeController } from './journey-judge.controller';
import { JourneyJudgeMetrics } from './journey-judge.metrics';
import { JourneyJudgeModule } from './journey-judge.module';

/** The API role's part of the judge: the judgement of a run over HTTP, and the judge's gauges in /metrics. */
@Module({ imports: [JourneyJudgeModule], controllers: [JourneyJudgeController], providers: [JourneyJudgeMetrics] })
export class JourneyJudgeHttpModule {}
