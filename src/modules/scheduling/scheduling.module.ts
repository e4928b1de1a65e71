import { Module } from '@nestjs/common';
import { ExperimentsQueueModule } from '../experiments/jobs/experiments-queue.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { CampaignRunsQueueModule } from '../campaigns/runs/jobs/campaign-runs-queue.module';
import { NotificationsModule } from '../delivery/notifications.module';
import { JourneyJudgeQueueModule } from '../journey-judge/jobs/journey-judge-queue.module';
import { JourneysModule } from '../journeys/journeys.module';
import { RankingQueueModule } from '../ranking/jobs/ranking-queue.module';
import { TrackingQueueModule } from '../tracking/jobs/tracking-queue.module';
import { CampaignSchedules } from './campaign-schedules.service';
import { SchedulesService } from './schedules.service';

/**
 * The scheduler role: turns configured crons and active campaigns' schedules into Bull repeatable and
 * delayed jobs, and does nothing else.
 */
@Module({
  imports: [
    JourneysModule,
    RankingQueueModule,
    JourneyJudgeQueueModule,
    CampaignsModule,
    CampaignRunsQueueModule,
    ExperimentsQueueModule,
    TrackingQueueModule,
    // The delivery queue's producer, for the sweep of stranded messages.
    NotificationsModule,
  ],
  providers: [SchedulesService, CampaignSchedules],
  exports: [CampaignSchedules],
})
export class SchedulingModule {}
