import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { RANKING_QUEUE, RankingProducer } from './ranking.queue';

/** The ranking queue and its producer, for the worker (processor) and the scheduler (repeatable retrain). */
@Module({
  imports: [BullModule.registerQueue({ name: RANKING_QUEUE })],
  providers: [RankingProducer],
  exports: [RankingProducer],
})
export class RankingQueueModule {}
