import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobOptions, Queue } from 'bull';
import { TypedProducer } from '../../../../common/queue/typed-producer';
import { Settings } from '../../../../config/settings';

export const CAMPAIGN_RUNS_QUEUE = 'campaign-runs';

export const CAMPAIGN_RUN_JOBS = {
  /** A schedule firing: starts the campaign's run for that firing (a repeatable or delayed job). */
  fire: 'campaign-runs.fire',
  /** Reads the audience in batches into the ledger and enqueues its shards. */
  start: 'campaign-runs.start',
  /** Fans one shard of users out: assignment, compose, eligibility, notification, delivery job. */
  shard: 'campaign-runs.shard',
  /**
   * After a resume or a cancel: re-enqueues what the run left (its selection and shards when running)
   * and the delivery job of every queued notification, which sends it or settles it as cancelled.
   */
  requeue: 'campaign-runs.requeue',
  /** Completes every running run with nothing left to do (a repeatable job: the checks' safety net). */
  complete: 'campaign-runs.complete',
} as const;

export interface CampaignRunJobs extends Record<string, object> {
  [CAMPAIGN_RUN_JOBS.fire]: { campaignId: string };
  [CAMPAIGN_RUN_JOBS.start]: { runId: string };
  [CAMPAIGN_RUN_JOBS.shard]: { runId: string; shard: number };
  [CAMPAIGN_RUN_JOBS.requeue]: { runId: string };
  [CAMPAIGN_RUN_JOBS.complete]: Record<string, never>;
}

const delayUntil = (at: Date | undefined) => (at ? { delay: Math.max(0, at.getTime() - Date.now()) } : {});

/** The campaign runs queue's producer: ids from the run, its generation and shard, so enqueuing twice is a no-op. */
@Injectable()
export class CampaignRunsProducer extends TypedProducer<CampaignRunJobs> {
  private readonly retry: JobOptions;

  constructor(@InjectQueue(CAMPAIGN_RUNS_QUEUE) queue: Queue, config: ConfigService<Settings, true>) {
    super(queue);
    const { attempts, backoffMs } = config.get('campaigns', { infer: true });
    this.retry = { attempts, backoff: { type: 'exponential', delay: backoffMs } };
  }

  enqueueStart(runId: string, generation: number, at?: Date): Promise<string> {
    return this.add(CAMPAIGN_RUN_JOBS.start, { runId }, `${runId}:g${generation}`, {
      ...this.retry,
      ...delayUntil(at),
    });
  }

  /** Enqueues shards, each at its own time (the earliest local send time in it, less the lead). */
  enqueueShards(runId: string, generation: number, shards: ReadonlyArray<{ shard: number; at?: Date }>): Promise<void> {
    return this.addBulk(
      CAMPAIGN_RUN_JOBS.shard,
      shards.map(({ shard, at }) => ({
        payload: { runId, shard },
        jobId: `${runId}:g${generation}:${shard}`,
        options: { ...this.retry, ...delayUntil(at) },
      })),
    );
  }

  /**
   * Enqueues the requeue of the run's `generation`; a no-op while that requeue waits or runs. Once it has
   * finished (a requeue that gave up, say), a repeated resume gets a job of its own: Bull drops an add whose
   * id a finished job still holds, and the resume would requeue nothing.
   */
  async enqueueRequeue(runId: string, generation: number): Promise<string> {
    const id = await this.idPastFinished(CAMPAIGN_RUN_JOBS.requeue, `${runId}:g${generation}`, 'again');
    return this.add(CAMPAIGN_RUN_JOBS.requeue, { runId }, id, this.retry);
  }

  /** A one-off campaign's firing, as a delayed job keyed by the campaign and its instant. */
  enqueueOnce(campaignId: string, at: Date): Promise<string> {
    return this.add(CAMPAIGN_RUN_JOBS.fire, { campaignId }, `${campaignId}:once:${at.getTime()}`, {
      ...this.retry,
      ...delayUntil(at),
    });
  }

  /** A cron campaign's firing its repeatable job skips (see skippedCronFiring), as a delayed job keyed by its instant. */
  enqueueFiring(campaignId: string, at: Date): Promise<string> {
    return this.add(CAMPAIGN_RUN_JOBS.fire, { campaignId }, `${campaignId}:at:${at.getTime()}`, {
      ...this.retry,
      ...delayUntil(at),
    });
  }

  /** Registers a campaign's recurring schedule (one per campaign however many schedulers register it). */
  scheduleCampaign(campaignId: string, repeat: { cron: string; tz: string }): Promise<void> {
    return this.scheduleKeyedRepeatable(CAMPAIGN_RUN_JOBS.fire, { campaignId }, campaignId, repeat);
  }

  /** Registers the periodic completion of runs with nothing left to do (one schedule however many register it). */
  scheduleCompletion(cron: string): Promise<void> {
    return this.scheduleRepeatable(CAMPAIGN_RUN_JOBS.complete, {}, cron);
  }

  /** Campaign ids with a registered schedule, and their patterns. */
  async scheduledCampaigns(): Promise<Array<{ campaignId: string; cron: string; tz?: string; key: string }>> {
    return (await this.repeatables(CAMPAIGN_RUN_JOBS.fire)).map((r) => ({ ...r, campaignId: r.id }));
  }

  unscheduleCampaign(key: string): Promise<void> {
    return this.removeRepeatable(key);
  }
}
