import { BullModule } from '@nestjs/bull';
import { Module, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { UserErasureRegistry } from '../../../common/erasure/user-erasure.registry';
import { Settings } from '../../../config/settings';
import { NotificationsModule } from '../../delivery/notifications.module';
import { CampaignMessagesModule } from '../campaign-messages.module';
import { CampaignRunLedgerRepository } from './campaign-run-ledger.repository';
import {
  CampaignRunLedgerRecord,
  CampaignRunLedgerSchema,
  CampaignRunRecord,
  CampaignRunSchema,
} from './campaign-run.schema';
import { CampaignRunRepository } from './campaign-run.repository';
import { CampaignRunsService } from './campaign-runs.service';
import { CAMPAIGN_RUNS_QUEUE, CampaignRunsProducer } from './jobs/campaign-runs.queue';
import { RunCompletion } from './run-completion';

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

/**
 * Campaign runs without transport: runs, their ledger, counters and completion, and the queue producer.
 * The fan-out jobs are in CampaignRunsJobsModule (worker), the API in CampaignRunsHttpModule, and the
 * schedules in the scheduling module.
 */
@Module({
  imports: [
    CampaignMessagesModule,
    NotificationsModule,
    MongooseModule.forFeature([
      { name: CampaignRunRecord.name, schema: CampaignRunSchema },
      { name: CampaignRunLedgerRecord.name, schema: CampaignRunLedgerSchema },
    ]),
    campaignRunsQueue,
  ],
  providers: [
    CampaignRunRepository,
    CampaignRunLedgerRepository,
    RunCompletion,
    CampaignRunsService,
    CampaignRunsProducer,
  ],
  exports: [
    CampaignRunRepository,
    CampaignRunLedgerRepository,
    RunCompletion,
    CampaignRunsService,
    CampaignRunsProducer,
    CampaignMessagesModule,
    NotificationsModule,
    campaignRunsQueue,
  ],
})
export class CampaignRunsModule implements OnModuleInit {
  constructor(
    private readonly erasure: UserErasureRegistry,
    private readonly ledger: CampaignRunLedgerRepository,
  ) {}

  onModuleInit(): void {
    this.erasure.register({ name: 'campaignRunLedger', erase: (userId) => this.ledger.deleteByUserId(userId) });
  }
}
