import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../../config/settings';
import { AudienceFactsRepository } from '../../audience/audience-facts.repository';
import { UserRepository } from '../../ingest/user.repository';
import { audiencePolicyOf } from '../../journeys/journey-policy';
import { audienceQueryOf } from '../domain/audience-rules';
import { RunTally } from '../../delivery/run-tally';
import { CampaignRunShardRepository, ShardTime } from './campaign-run-shard.repository';
import { CampaignRunRecord } from './campaign-run.schema';
import { CampaignRunRepository } from './campaign-run.repository';
import { localSendInstant } from './domain/run-schedule';
import { planShards } from './domain/shard-plan';
import { CampaignRunsProducer } from './jobs/campaign-runs.queue';
import { RunCompletion } from './run-completion';

/**
 * A run's selection: the audience read in user id order, one batch at a time, each batch recorded as
 * shards listing their users (one document per shard, not per user) and its shard jobs enqueued, then
 * the cursor moved past it. A restarted selection continues after the cursor; a repeated batch finds
 * its shards and job ids taken. Local-hour runs put users with the same local send time in the same
 * shards and delay those jobs.
 */
@Injectable()
export class RunSelection {
  private readonly logger = new Logger(RunSelection.name);

  constructor(
    private readonly runs: CampaignRunRepository,
    private readonly shards: CampaignRunShardRepository,
    private readonly facts: AudienceFactsRepository,
    private readonly users: UserRepository,
    private readonly producer: CampaignRunsProducer,
    private readonly completion: RunCompletion,
    private readonly tally: RunTally,
    private readonly config: ConfigService<Settings, true>,
  ) {}

  async select(runId: string): Promise<void> {
    let run = await this.runs.findById(runId);
    if (!run) return;
    if (run.state === 'scheduled' && (await this.runs.markStarted(runId, new Date()))) {
      this.logger.log({ message: 'run started', runId, campaignId: run.campaignId });
      run = (await this.runs.findById(runId))!;
    } else if (run.state === 'running' && !run.startedAt) {
      await this.runs.markStartedOnResume(runId, new Date());
    }
    const { batchSize, shardSize, leadMs } = this.config.get('campaigns', { infer: true });
    const query = audienceQueryOf(run.definition, {
      now: run.scheduledFor,
      ...audiencePolicyOf(this.config.get('journeys', { infer: true })),
    });
    while (run.state === 'running' && !run.selectionDone) {
      const userIds = await this.facts.findUserIdsAfter(query, run.cursor, batchSize);
      if (userIds.length === 0) {
        await this.runs.finishSelection(runId);
        break;
      }
      const sendTimes = await this.sendTimes(run, userIds);
      const shards = await this.recordShards(run, userIds, sendTimes, shardSize);
      await this.producer.enqueueShards(
        runId,
        run.generation,
        shards.map(({ shard, sendAt }) => ({ shard, at: sendAt && new Date(sendAt.getTime() - leadMs) })),
      );
      const nextShard = Math.max(run.shardCount, ...shards.map((s) => s.shard + 1));
      await this.runs.advanceSelection(runId, run.cursor, userIds[userIds.length - 1], nextShard);
      // Re-read: the state may have changed (paused, cancelled), and a concurrent start job may have moved on.
      run = (await this.runs.findById(runId))!;
    }
    if (run.selectionDone || (await this.runs.findById(runId))?.selectionDone) {
      this.logger.log({ message: `selection done: ${run.shardCount} shards`, runId, campaignId: run.campaignId });
      await this.completion.completeIfDone(runId);
    }
  }

  /** Each user's send time in a local-hour run (undefined otherwise: as soon as processed). */
  private async sendTimes(run: CampaignRunRecord, userIds: readonly string[]): Promise<Map<string, Date>> {
    const schedule = run.definition.schedule;
    if (schedule.type !== 'local-hour' || !run.localDate) return new Map();
    const zones = await this.users.timeZonesOf(userIds);
    const localDate = run.localDate;
    return new Map(userIds.map((id) => [id, localSendInstant(schedule, localDate, zones.get(id))]));
  }

  /**
   * Records the batch's shards and returns them. A batch seen before (a crash after its shards were
   * written, or a concurrent selection) keeps the shards written then; users of it that none of them
   * lists (the audience changed in between) get shards of their own after them.
   */
  private async recordShards(
    run: CampaignRunRecord,
    userIds: readonly string[],
    sendTimes: Map<string, Date>,
    shardSize: number,
  ): Promise<ShardTime[]> {
    const { runId } = run;
    const plan = planShards(userIds, sendTimes, { firstShard: run.shardCount, shardSize });
    if ((await this.shards.insertNew(runId, plan)) === plan.length) {
      await this.tally.ledger(runId, undefined, 'pending', userIds.length);
      return plan;
    }
    // Which of this batch's users the tally counted is unknown: reads group the counts from the records.
    await this.tally.markStale(runId);
    const recorded = await this.shards.findFrom(runId, run.shardCount);
    const listed = new Set(recorded.flatMap((s) => s.userIds));
    const unlisted = userIds.filter((id) => !listed.has(id));
    const firstShard = Math.max(run.shardCount, ...recorded.map((s) => s.shard + 1));
    const added = planShards(unlisted, sendTimes, { firstShard, shardSize });
    if ((await this.shards.insertNew(runId, added)) !== added.length) {
      throw new Error(`run ${runId}: shards from ${firstShard} were written concurrently; the selection is retried`);
    }
    return [...recorded, ...added];
  }
}
