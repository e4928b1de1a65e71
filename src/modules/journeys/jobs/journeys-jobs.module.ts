import { Module } from '@nestjs/common';
import { JourneysModule } from '../journeys.module';
import { JourneysProcessor } from './journeys.processor';

/** The worker role's part of journeys: the Bull processor of the journeys queue. */
@Module({ imports: [JourneysModule], providers: [JourneysProcessor] })
export class JourneysJobsModule {}
