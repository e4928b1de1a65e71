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
} as const;

export interface JourneyJobs extends Record<string, object> {
  [JOURNEY_JOBS.startRun]: { runId: string; kind: RunKind; trigger: RunTrigger };
  [JOURNEY_JOBS.buildShard]: { runId: string; shard: number };
  [JOURNEY_JOBS.scheduledIncremental]: Record<string, never>;
  [JOURNEY_JOBS.retrain]: Record<string, never>;
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
}
