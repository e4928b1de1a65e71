import { Module } from '@nestjs/common';
import { ExperimentsModule } from '../experiments.module';
import { ExperimentsProcessor } from './experiments.processor';
import { ExperimentsQueueModule } from './experiments-queue.module';

/** The worker side of experiments: the scheduled report writer. */
@Module({ imports: [ExperimentsModule, ExperimentsQueueModule], providers: [ExperimentsProcessor] })
export class ExperimentsJobsModule {}
