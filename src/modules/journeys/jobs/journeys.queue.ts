import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobOptions, Queue } from 'bull';
import { TypedProducer } from '../../../common/queue/typed-producer';
import { Settings } from '../../../config/settings';
import { RunKind, RunTrigger } from '../journey-build-run.schema';

export const JOURNEYS_QUEUE = 'journeys';

export const JOURNEY_JOBS = {
  startRun: 'journeys.start-run',
  buildShard: 'journeys.build-shard',
  scheduledIncremental: 'journeys.scheduled-incremental',
  retrain: 'journeys.retrain',
  /** Queues again the jobs of runs whose own were lost (a repeatable job: the runs' safety net). */
  requeueStranded: 'journeys.requeue-stranded',
} as const;

export interface JourneyJobs extends Record<string, object> {
  [JOURNEY_JOBS.startRun]: { runId: string; kind: RunKind; trigger: RunTrigger };
  [JOURNEY_JOBS.buildShard]: { runId: string; shard: number };
  [JOURNEY_JOBS.scheduledIncremental]: Record<string, never>;
  [JOURNEY_JOBS.retrain]: Record<string, never>;
  [JOURNEY_JOBS.requeueStranded]: Record<string, never>;
}

/** The journeys queue's producer: job ids come from the run and shard, so enqueuing twice is a no-op. */
@Injectable()
export class JourneysProducer extends TypedProducer<JourneyJobs> {
  private readonly retry: JobOptions;

  constructor(@InjectQueue(JOURNEYS_QUEUE) queue: Queue, config: ConfigService<Settings, true>) {
    super(queue);
    const { attempts, backoffMs } = config.get('journeys', { infer: true });
    this.retry = { attempts, backoff: { type: 'exponential', delay: backoffMs } };
  }

  enqueueStart(runId: string, kind: RunKind, trigger: RunTrigger): Promise<string> {
    return this.add(JOURNEY_JOBS.startRun, { runId, kind, trigger }, `run:${runId}`, this.retry);
  }

  async enqueueShards(runId: string, shardCount: number): Promise<void> {
    for (let shard = 0; shard < shardCount; shard++) {
      await this.add(JOURNEY_JOBS.buildShard, { runId, shard }, `run:${runId}:shard:${shard}`, this.retry);
    }
  }

  /** Queues a stranded run's start job again, unless Redis holds it unfinished; true when it was queued. */
  requeueStart(runId: string, kind: RunKind, trigger: RunTrigger): Promise<boolean> {
    return this.requeue(JOURNEY_JOBS.startRun, { runId, kind, trigger }, `run:${runId}`);
  }

  /** Queues again a stranded run's shards not in `done`, but those Redis holds unfinished; how many were queued. */
  async requeueShards(runId: string, shardCount: number, done: readonly number[]): Promise<number> {
    let queued = 0;
    for (let shard = 0; shard < shardCount; shard++) {
      if (done.includes(shard)) continue;
      if (await this.requeue(JOURNEY_JOBS.buildShard, { runId, shard }, `run:${runId}:shard:${shard}`)) queued += 1;
    }
    return queued;
  }

  /**
   * Adds a job under its usual id when Redis no longer holds it (lost with its data) or holds it finished while its
   * run still needs it; a job waiting, delayed or running is left as it is, so nothing runs twice at once.
   */
  private async requeue<Name extends typeof JOURNEY_JOBS.startRun | typeof JOURNEY_JOBS.buildShard>(
    name: Name,
    payload: JourneyJobs[Name],
    jobId: string,
  ): Promise<boolean> {
    const held = await this.queue.getJob(`${name}:${jobId}`);
    if (held && !(await held.isCompleted()) && !(await held.isFailed())) return false;
    await this.addPastFinished(name, payload, jobId, this.retry);
    return true;
  }

  /**
   * Queues an on-demand retrain: requests while one waits or runs collapse into it, and one after it finished
   * queues another (it trains on the events stored since).
   */
  enqueueRetrain(): Promise<string> {
    return this.addPastFinished(JOURNEY_JOBS.retrain, {}, 'retrain', this.retry);
  }

  /** Registers a cron as a repeatable job with a fixed id: one schedule however many schedulers register it. */
  schedule(name: typeof JOURNEY_JOBS.scheduledIncremental | typeof JOURNEY_JOBS.retrain, cron: string): Promise<void> {
    return this.scheduleRepeatable(name, {}, cron);
  }

  /** Registers the periodic sweep of stranded runs (one schedule however many register it). */
  scheduleStrandedSweep(cron: string): Promise<void> {
    return this.scheduleRepeatable(JOURNEY_JOBS.requeueStranded, {}, cron);
  }
}
