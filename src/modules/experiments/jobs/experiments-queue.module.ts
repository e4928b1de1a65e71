import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { EXPERIMENTS_QUEUE, ExperimentsProducer } from './experiments.queue';

/** The experiments queue and its producer, for the worker (processor) and the scheduler (repeatable reports). */
@Module({
  imports: [BullModule.registerQueue({ name: EXPERIMENTS_QUEUE })],
  providers: [ExperimentsProducer],
  exports: [ExperimentsProducer],
})
export class ExperimentsQueueModule {}
