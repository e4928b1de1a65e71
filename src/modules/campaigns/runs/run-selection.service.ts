import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../../config/settings';
import { AudienceFactsRepository } from '../../audience/audience-facts.repository';
import { UserRepository } from '../../ingest/user.repository';
import { audienceQueryOf } from '../domain/audience-rules';
import { RunTally } from '../../delivery/run-tally';
import { CampaignRunLedgerRepository } from './campaign-run-ledger.repository';
import { CampaignRunRecord } from './campaign-run.schema';
import { CampaignRunRepository } from './campaign-run.repository';
import { localSendInstant } from './domain/run-schedule';
import { planShards } from './domain/shard-plan';
import { CampaignRunsProducer } from './jobs/campaign-runs.queue';
import { RunCompletion } from './run-completion';

/**
 * A run's selection: the audience read in user id order, one batch at a time, each batch recorded as
 * pending ledger entries in shards and its shard jobs enqueued, then the cursor moved past it. A
 * restarted selection continues after the cursor; a repeated batch finds its entries and job ids taken.
 * Local-hour runs put users with the same local send time in the same shards and delay those jobs.
 */
@Injectable()
export class RunSelection {
  private readonly logger = new Logger(RunSelection.name);

  constructor(
    private readonly runs: CampaignRunRepository,
    private readonly ledger: CampaignRunLedgerRepository,
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
    }
    const { batchSize, shardSize, leadMs } = this.config.get('campaigns', { infer: true });
    const query = audienceQueryOf(run.definition, {
      now: run.scheduledFor,
      allowSensitive: this.config.get('journeys', { infer: true }).notifySensitive,
    });
    while (run.state === 'running' && !run.selectionDone) {
      const userIds = await this.facts.findUserIdsAfter(query, run.cursor, batchSize);
      if (userIds.length === 0) {
        await this.runs.finishSelection(runId);
        break;
      }
      const sendTimes = await this.sendTimes(run, userIds);
      const plan = planShards(userIds, sendTimes, { firstShard: run.shardCount, shardSize });
      const inserted = await this.ledger.insertSelection(plan.entries.map((e) => ({ runId, ...e })));
      await this.tally.ledger(runId, undefined, 'pending', inserted);
      // A batch seen before (a crash after its entries were written) keeps the shards it was given then.
      const shards =
        inserted === plan.entries.length ? plan.shards : await this.recordedShards(runId, userIds, sendTimes);
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
    const zones = await this.users.findTimeZones(userIds);
    const localDate = run.localDate;
    return new Map(userIds.map((id) => [id, localSendInstant(schedule, localDate, zones.get(id))]));
  }

  private async recordedShards(runId: string, userIds: readonly string[], sendTimes: Map<string, Date>) {
    const recorded = await this.ledger.findShards(runId, userIds);
    const earliest = new Map<number, Date | undefined>();
    for (const [userId, shard] of recorded) {
      const at = sendTimes.get(userId);
      const known = earliest.get(shard);
      earliest.set(shard, known && at && known < at ? known : (at ?? known));
    }
    return [...earliest].map(([shard, sendAt]) => ({ shard, sendAt }));
  }
}
