import { Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UserErasureRegistry } from '../../../common/erasure/user-erasure.registry';
import { NotificationsModule } from '../../delivery/notifications.module';
import { FrequencyCaps } from '../../delivery/frequency-caps';
import { RunTally } from '../../delivery/run-tally';
import { IngestModule } from '../../ingest/ingest.module';
import { UserRepository } from '../../ingest/user.repository';
import { CampaignRepository } from '../campaign.repository';
import { CampaignMessagesModule } from '../campaign-messages.module';
import { CHANNELS } from '../domain/campaign-definition';
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
    IngestModule,
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
    private readonly runs: CampaignRunRepository,
    private readonly completion: RunCompletion,
    private readonly tally: RunTally,
    private readonly caps: FrequencyCaps,
    private readonly campaigns: CampaignRepository,
    private readonly users: UserRepository,
  ) {}

  onModuleInit(): void {
    this.erasure.register({ name: 'campaignRunLedger', erase: (userId) => this.ledger.deleteByUserId(userId) });
    this.erasure.register({ name: 'campaignRunShards', erase: (userId) => this.eraseFromShards(userId) });
    // The sends counted against the user's caps name the user and their messages, kept for the longest window.
    this.erasure.register({
      name: 'frequencyCaps',
      erase: async (userId) => this.caps.eraseUser(userId, CHANNELS, await this.campaigns.ids()),
    });
  }

  /**
   * Takes the user out of their runs' shards. A run completes when its last notification settles, and the
   * erasure took the user's away (their phase runs first) without settling it: a message waiting for the
   * user's morning may have been the last, and no delivery will ever settle it. So each of the user's runs
   * still running has its live counters recounted from the records from now on (they still count the erased
   * notification), and is completed here once the user is out of its audience if nothing else is left; one
   * completed meanwhile is counted again. An erasure that stops in between leaves that to the scheduled
   * completion (RunCompletion.completeAllDone).
   */
  private async eraseFromShards(userId: string): Promise<number> {
    const runIds = await this.shards.runIdsOfUser(userId);
    const running = await this.runs.runningAmong(runIds);
    const removed = await this.shards.removeUser(userId);
    for (const runId of running) {
      await this.tally.markStale(runId);
      await this.completion.completeIfDone(runId);
    }
    // A run that completed since the erasure began, before the user left its shards (its last message was the
    // user's, taken away by the first phase, and another completion check came in between), counted the user
    // in its audience: its counts are taken again from the records, which no longer hold the user.
    const since = await this.users.erasingSince(userId);
    for (const runId of since ? await this.runs.completedSinceAmong(runIds, since) : []) {
      await this.runs.saveCounts(runId, await this.completion.recount(runId));
    }
    return removed;
  }
}
