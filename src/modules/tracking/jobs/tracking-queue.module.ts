import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { TRACKING_QUEUE, TrackingProducer } from './tracking.queue';

/** The tracking queue and its producer, for the worker (processor) and the scheduler (repeatable sweep). */
@Module({
  imports: [BullModule.registerQueue({ name: TRACKING_QUEUE })],
  providers: [TrackingProducer],
  exports: [TrackingProducer],
})
export class TrackingQueueModule {}
