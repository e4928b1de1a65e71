import { Module } from '@nestjs/common';
import { ExperimentsModule } from '../experiments/experiments.module';
import { RankingModule } from '../ranking/ranking.module';
import { ConversionsService } from './conversions.service';
import { EngagementOutcomes } from './engagement-outcomes.service';
import { TrackingModule } from './tracking.module';

/**
 * What tracking passes on to experiments and the ranker (`EngagementOutcomes`), and the conversions that
 * feed them: the API reports conversions, the worker finishes those a failed report left pending.
 */
@Module({
  imports: [TrackingModule, ExperimentsModule, RankingModule],
  providers: [EngagementOutcomes, ConversionsService],
  exports: [EngagementOutcomes, ConversionsService],
})
export class TrackingOutcomesModule {}
