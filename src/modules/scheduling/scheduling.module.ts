import { Module } from '@nestjs/common';
import { JourneyJudgeQueueModule } from '../journey-judge/jobs/journey-judge-queue.module';
import { JourneysModule } from '../journeys/journeys.module';
import { RankingQueueModule } from '../ranking/jobs/ranking-queue.module';
import { SchedulesService } from './schedules.service';

/** The scheduler role: turns configured crons into Bull repeatable jobs and does nothing else. */
@Module({ imports: [JourneysModule, RankingQueueModule, JourneyJudgeQueueModule], providers: [SchedulesService] })
export class SchedulingModule {}
