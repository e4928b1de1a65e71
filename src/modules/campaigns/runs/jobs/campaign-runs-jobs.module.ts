import { Module } from '@nestjs/common';
import { AudienceModule } from '../../../audience/audience.module';
import { DeliveryJobsModule } from '../../../delivery/jobs/delivery-jobs.module';
import { ExperimentsModule } from '../../../experiments/experiments.module';
import { IngestModule } from '../../../ingest/ingest.module';
import { JourneysModule } from '../../../journeys/journeys.module';
import { CampaignRunsModule } from '../campaign-runs.module';
import { RecipientSnapshots } from '../../recipient-snapshots';
import { FanOutHolds } from '../fan-out-holds';
import { ErasedDuringFanOut } from '../fan-out-erasures';
import { RecipientFanOut } from '../recipient-fan-out';
import { RunHooks } from '../run-hooks';
import { RunRequeue } from '../run-requeue.service';
import { RunSelection } from '../run-selection.service';
import { ShardFanOut } from '../shard-fan-out.service';
import { CampaignRunsProcessor } from './campaign-runs.processor';
import { PersonalizationModule } from '../../../personalization/personalization.module';
import { RankingModule } from '../../../ranking/ranking.module';

/**
 * The worker role's part of sending: selection, fan-out and requeue jobs of campaign runs, the run
 * hooks delivery asks (paused? cancelled? complete?), and the delivery job itself.
 */
@Module({
  imports: [
    CampaignRunsModule,
    DeliveryJobsModule,
    ExperimentsModule,
    AudienceModule,
    IngestModule,
    JourneysModule,
    PersonalizationModule,
    RankingModule,
  ],
  providers: [
    RecipientSnapshots,
    RecipientFanOut,
    FanOutHolds,
    ErasedDuringFanOut,
    ShardFanOut,
    RunSelection,
    RunRequeue,
    RunHooks,
    CampaignRunsProcessor,
  ],
})
export class CampaignRunsJobsModule {}
