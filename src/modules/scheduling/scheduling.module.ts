import { Module } from '@nestjs/common';
import { ExperimentsQueueModule } from '../experiments/jobs/experiments-queue.module';
import { JourneysModule } from '../journeys/journeys.module';
import { RankingQueueModule } from '../ranking/jobs/ranking-queue.module';
import { SchedulesService } from './schedules.service';

/** The scheduler role: turns configured crons into Bull repeatable jobs and does nothing else. */
@Module({ imports: [JourneysModule, RankingQueueModule, ExperimentsQueueModule], providers: [SchedulesService] })
export class SchedulingModule {}
