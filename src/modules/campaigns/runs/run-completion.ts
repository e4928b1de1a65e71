import { Injectable, Logger } from '@nestjs/common';
import { NotificationRepository } from '../../delivery/notification.repository';
import { RunTally } from '../../delivery/run-tally';
import { CampaignRunLedgerRepository } from './campaign-run-ledger.repository';
import { CampaignRunShardRepository } from './campaign-run-shard.repository';
import { CampaignRunRepository } from './campaign-run.repository';
import { countsOf, ledgerCountsOf, RunCounts } from './domain/run-state';

/**
 * Counters and completion of runs. A run completes when its selection is done, every shard is finished
 * (and no ledger entry of an older selection is pending) and no notification is unsettled; whoever observes that last (the selection, a shard, a
 * delivery, the scheduler's periodic check) makes the one conditional write that completes it.
 */
@Injectable()
export class RunCompletion {
  private readonly logger = new Logger(RunCompletion.name);

  constructor(
    private readonly runs: CampaignRunRepository,
    private readonly ledger: CampaignRunLedgerRepository,
    private readonly shards: CampaignRunShardRepository,
    private readonly notifications: NotificationRepository,
    private readonly tally: RunTally,
  ) {}

  /** Live counters: the run's tally (one read), or grouped from its records when there is no tally to trust. */
  async counts(runId: string): Promise<RunCounts> {
    const tally = await this.tally.read(runId);
    return tally ? countsOf(tally.ledger, tally.notifications) : this.recount(runId);
  }

  /** Counters grouped from the shards, the ledger and the notifications (one grouped read each): exact, O(run size). */
  async recount(runId: string): Promise<RunCounts> {
    const [listed, entries, notifications] = await Promise.all([
      this.shards.countUsers(runId),
      this.ledger.countByShard(runId),
      this.notifications.countByState(runId),
    ]);
    const notified = notifications.reduce((sum, { n }) => sum + n, 0);
    return countsOf(ledgerCountsOf(listed, entries, notified), notifications);
  }

  /**
   * Completes every running run with nothing left to do; the ids of those it completed. The scheduled safety
   * net of the checks made as work settles: the trailing check after a run's last delivery is a timer in the
   * worker that settled it, lost if that worker dies first, and a user erased with the run's last waiting
   * message leaves nothing that will ever settle. One read of the running runs, then each run's check.
   */
  async completeAllDone(): Promise<string[]> {
    const completed: string[] = [];
    for (const run of await this.runs.findRunning()) {
      if (run.selectionDone && (await this.completeIfDone(run.runId))) completed.push(run.runId);
    }
    return completed;
  }

  async completeIfDone(runId: string): Promise<boolean> {
    const run = await this.runs.findById(runId);
    if (!run || run.state !== 'running' || !run.selectionDone) return false;
    if (await this.shards.hasUnfinished(runId)) return false;
    if (await this.ledger.hasPending(runId)) return false;
    if (await this.notifications.hasUnsettled(runId)) return false;
    const counts = await this.recount(runId);
    if (!(await this.runs.complete(runId, counts, new Date()))) return false;
    this.logger.log({ message: `run completed: ${JSON.stringify(counts)}`, runId, campaignId: run.campaignId });
    return true;
  }
}
