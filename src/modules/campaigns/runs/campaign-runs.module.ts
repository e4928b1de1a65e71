import { Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UserErasureRegistry } from '../../../common/erasure/user-erasure.registry';
import { NotificationsModule } from '../../delivery/notifications.module';
import { CampaignMessagesModule } from '../campaign-messages.module';
import { CampaignRunLedgerRepository } from './campaign-run-ledger.repository';
import { CampaignRunShardRepository } from './campaign-run-shard.repository';
import {
  CampaignRunLedgerRecord,
  CampaignRunLedgerSchema,
  CampaignRunRecord,
  CampaignRunSchema,
  CampaignRunShardRecord,
  CampaignRunShardSchema,
} from './campaign-run.schema';
import { CampaignRunRepository } from './campaign-run.repository';
import { CampaignRunsService } from './campaign-runs.service';
import { TrackingModule } from '../../tracking/tracking.module';
import { CampaignRunsQueueModule } from './jobs/campaign-runs-queue.module';
import { RunCompletion } from './run-completion';
import { RunExplainService } from './run-explain.service';

/**
 * Campaign runs without transport: runs, their ledger, counters and completion, and the queue producer.
 * The fan-out jobs are in CampaignRunsJobsModule (worker), the API in CampaignRunsHttpModule, and the
 * schedules in the scheduling module. `CampaignRunsService` and `RunExplainService` are the public services.
 */
@Module({
  imports: [
    CampaignMessagesModule,
    NotificationsModule,
    MongooseModule.forFeature([
      { name: CampaignRunRecord.name, schema: CampaignRunSchema },
      { name: CampaignRunLedgerRecord.name, schema: CampaignRunLedgerSchema },
      { name: CampaignRunShardRecord.name, schema: CampaignRunShardSchema },
    ]),
    CampaignRunsQueueModule,
    TrackingModule,
  ],
  providers: [
    CampaignRunRepository,
    CampaignRunLedgerRepository,
    CampaignRunShardRepository,
    RunCompletion,
    CampaignRunsService,
    RunExplainService,
  ],
  exports: [
    CampaignRunRepository,
    CampaignRunLedgerRepository,
    CampaignRunShardRepository,
    RunCompletion,
    CampaignRunsService,
    RunExplainService,
    CampaignRunsQueueModule,
    CampaignMessagesModule,
    NotificationsModule,
  ],
})
export class CampaignRunsModule implements OnModuleInit {
  constructor(
    private readonly erasure: UserErasureRegistry,
    private readonly ledger: CampaignRunLedgerRepository,
    private readonly shards: CampaignRunShardRepository,
  ) {}

  onModuleInit(): void {
    this.erasure.register({ name: 'campaignRunLedger', erase: (userId) => this.ledger.deleteByUserId(userId) });
    this.erasure.register({ name: 'campaignRunShards', erase: (userId) => this.shards.removeUser(userId) });
  }
}
