import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../../../config/settings';
import { CAMPAIGN_RUNS_QUEUE, CampaignRunsProducer } from './campaign-runs.queue';

/** The campaign runs queue, with lock and stall timings from configuration (short ones in crash tests). */
const campaignRunsQueue = BullModule.registerQueueAsync({
  name: CAMPAIGN_RUNS_QUEUE,
  inject: [ConfigService],
  useFactory: (config: ConfigService<Settings, true>) => {
    const campaigns = config.get('campaigns', { infer: true });
    return {
      settings: {
        lockDuration: campaigns.lockDurationMs,
        stalledInterval: campaigns.stalledIntervalMs,
        // Shards are idempotent: a job stalled by crashes is run again rather than failed.
        maxStalledCount: 100,
      },
    };
  },
});

/** The campaign runs queue and its producer alone: what the scheduler role needs to fire schedules. */
@Module({
  imports: [campaignRunsQueue],
  providers: [CampaignRunsProducer],
  exports: [CampaignRunsProducer, campaignRunsQueue],
})
export class CampaignRunsQueueModule {}
