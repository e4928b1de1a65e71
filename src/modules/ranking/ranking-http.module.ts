import { Module } from '@nestjs/common';
import { ModelStoreModule } from '../../common/model-store/model-store.module';
import { RankingQueueModule } from './jobs/ranking-queue.module';
import { RankingModelsController } from './ranking-models.controller';

/** The API role's part of ranking: the ranker in use and an on-demand retrain over HTTP. */
@Module({ imports: [ModelStoreModule, RankingQueueModule], controllers: [RankingModelsController] })
export class RankingHttpModule {}
