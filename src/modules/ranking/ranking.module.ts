import { Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UserErasureRegistry } from '../../common/erasure/user-erasure.registry';
import { ModelStoreModule } from '../../common/model-store/model-store.module';
import { RankerModelService } from './ranker-model.service';
import { RankerTrainingService } from './ranker-training.service';
import { RankingExampleRepository } from './ranking-example.repository';
import {
  NotificationRankingView,
  NotificationRankingViewSchema,
  RankingAnnotationRecord,
  RankingAnnotationSchema,
  RankingExampleRecord,
  RankingExampleSchema,
} from './ranking-example.schema';

/** The journey ranker in service: model versions in MongoDB, outcome-labelled examples, retraining. */
@Module({
  imports: [
    ModelStoreModule,
    MongooseModule.forFeature([
      { name: RankingExampleRecord.name, schema: RankingExampleSchema },
      { name: NotificationRankingView.name, schema: NotificationRankingViewSchema },
      { name: RankingAnnotationRecord.name, schema: RankingAnnotationSchema },
    ]),
  ],
  providers: [RankerModelService, RankerTrainingService, RankingExampleRepository],
  exports: [RankerModelService, RankerTrainingService, RankingExampleRepository],
})
export class RankingModule implements OnModuleInit {
  constructor(
    private readonly erasure: UserErasureRegistry,
    private readonly examples: RankingExampleRepository,
  ) {}

  onModuleInit(): void {
    this.erasure.register({ name: 'rankingExamples', erase: (userId) => this.examples.deleteByUser(userId) });
  }
}
