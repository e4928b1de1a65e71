import { Module } from '@nestjs/common';
import { JourneysModule } from '../journeys/journeys.module';
import { JourneysScheduleService } from './journeys-schedule.service';

/** The scheduler role: turns configured crons into Bull repeatable jobs and does nothing else. */
@Module({ imports: [JourneysModule], providers: [JourneysScheduleService] })
export class SchedulingModule {}
