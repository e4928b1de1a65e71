import { Module } from '@nestjs/common';
import { RankingProcessor } from './jobs/ranking.processor';
import { RankingQueueModule } from './jobs/ranking-queue.module';
import { RankingModule } from './ranking.module';

/** The worker side of ranking: the retrain processor. */
@Module({ imports: [RankingModule, RankingQueueModule], providers: [RankingProcessor] })
export class RankingJobsModule {}
