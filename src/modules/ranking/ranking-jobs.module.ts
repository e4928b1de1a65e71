import { Module } from '@nestjs/common';
import { RankingProcessor } from './jobs/ranking.processor';
import { RankingModule } from './ranking.module';

/** The worker side of ranking: the retrain processor. */
@Module({ imports: [RankingModule], providers: [RankingProcessor] })
export class RankingJobsModule {}
