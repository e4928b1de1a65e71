import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Job, Queue } from 'bull';
import { Settings } from '../../../../config/settings';
import { CampaignRunRepository } from '../campaign-run.repository';
import { CampaignRunsService } from '../campaign-runs.service';
import { RunCompletion } from '../run-completion';
import { RunRequeue } from '../run-requeue.service';
import { RunSelection } from '../run-selection.service';
import { ShardFanOut } from '../shard-fan-out.service';
import { CAMPAIGN_RUN_JOBS, CAMPAIGN_RUNS_QUEUE } from './campaign-runs.queue';

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`job payload: ${field} must be a non-empty string`);
  }
  return value;
}

/** A firing's instant: the last part of the job id (Bull's repeat ids and one-off ids both end with it). */
function firedAt(job: Job): Date {
  const millis = Number(String(job.id).split(':').pop());
  return new Date(Number.isFinite(millis) && millis > 0 ? millis : job.timestamp);
}

/**
 * The campaign runs worker: parses each job and calls the service that does the work. A start or shard
 * job out of retries marks its run failed; what the run already queued is still delivered.
 */
@Injectable()
export class CampaignRunsProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(CampaignRunsProcessor.name);

  constructor(
    @InjectQueue(CAMPAIGN_RUNS_QUEUE) private readonly queue: Queue,
    private readonly runs: CampaignRunsService,
    private readonly repository: CampaignRunRepository,
    private readonly selection: RunSelection,
    private readonly fanOut: ShardFanOut,
    private readonly requeue: RunRequeue,
    private readonly completion: RunCompletion,
    private readonly config: ConfigService<Settings, true>,
  ) {}

  onApplicationBootstrap(): void {
    const { concurrency } = this.config.get('campaigns', { infer: true });
    const handlers: Array<[string, number, (job: Job) => Promise<void>]> = [
      [CAMPAIGN_RUN_JOBS.shard, concurrency, (job) => this.shard(job)],
      [
        CAMPAIGN_RUN_JOBS.start,
        1,
        (job) => this.selection.select(text((job.data as { runId?: unknown }).runId, 'runId')),
      ],
      [CAMPAIGN_RUN_JOBS.fire, 1, (job) => this.fire(job)],
      [
        CAMPAIGN_RUN_JOBS.requeue,
        1,
        (job) => this.requeue.requeue(text((job.data as { runId?: unknown }).runId, 'runId')),
      ],
      [CAMPAIGN_RUN_JOBS.complete, 1, () => this.completion.completeAllDone().then(() => undefined)],
    ];
    this.queue.on('failed', (job: Job, error: Error) => {
      const runId = (job.data as { runId?: unknown }).runId;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1);
      if (
        !final ||
        typeof runId !== 'string' ||
        (job.name !== CAMPAIGN_RUN_JOBS.start && job.name !== CAMPAIGN_RUN_JOBS.shard)
      ) {
        return;
      }
      this.logger.error({ message: `${job.name} gave up: ${error.message}`, runId, jobId: job.id });
      this.repository
        .markFailed(runId, `${job.name} ${String(job.id)}: ${error.message}`.slice(0, 1000), new Date())
        .catch((e: Error) => this.logger.error({ message: `run not marked failed: ${e.message}`, runId }));
    });
    for (const [name, slots, handler] of handlers) {
      this.queue
        .process(name, slots, handler)
        .catch((error: unknown) => this.logger.error(`${name} worker stopped: ${(error as Error).message}`));
    }
  }

  private async shard(job: Job): Promise<void> {
    const data = job.data as Record<string, unknown>;
    const shard = Number(data.shard);
    if (!Number.isInteger(shard) || shard < 0) throw new Error('job payload: shard must be a non-negative integer');
    const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await this.fanOut.process(text(data.runId, 'runId'), shard, final);
  }

  private async fire(job: Job): Promise<void> {
    const campaignId = text((job.data as { campaignId?: unknown }).campaignId, 'campaignId');
    // A one-off's job id has `:once:` (see CampaignRunsProducer.enqueueOnce); a repeatable's is Bull's `repeat:...`.
    const kind = String(job.id).includes(':once:') ? 'once' : 'repeat';
    const run = await this.runs.startScheduled(campaignId, firedAt(job), kind);
    this.logger.log({ message: run ? `fired: run ${run.runId}` : 'fired: nothing due', campaignId, jobId: job.id });
  }
}
