import { Module } from '@nestjs/common';
import { TrackingOutcomesModule } from '../tracking-outcomes.module';
import { TrackingProcessor } from './tracking.processor';
import { TrackingQueueModule } from './tracking-queue.module';

/** The worker side of tracking: the scheduled sweep that finishes pending conversions. */
@Module({ imports: [TrackingOutcomesModule, TrackingQueueModule], providers: [TrackingProcessor] })
export class TrackingJobsModule {}
