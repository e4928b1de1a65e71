import { Module } from '@nestjs/common';
import { ExperimentsModule } from '../experiments/experiments.module';
import { IngestModule } from '../ingest/ingest.module';
import { RankingModule } from '../ranking/ranking.module';
import { ConversionsService } from './conversions.service';
import { EngagementOutcomes } from './engagement-outcomes.service';
import { ErasedMeanwhile } from './erased-meanwhile.service';
import { TrackingModule } from './tracking.module';

/**
 * What tracking passes on to experiments and the ranker (`EngagementOutcomes`), and the conversions that
 * feed them: the API reports conversions, the worker finishes those a failed report left pending. What a
 * request wrote for a user erased meanwhile it takes back (`ErasedMeanwhile`).
 */
@Module({
  imports: [TrackingModule, ExperimentsModule, RankingModule, IngestModule],
  providers: [EngagementOutcomes, ConversionsService, ErasedMeanwhile],
  exports: [EngagementOutcomes, ConversionsService, ErasedMeanwhile],
})
export class TrackingOutcomesModule {}
