import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Job, Queue } from 'bull';
import { Settings } from '../../../config/settings';
import { RUN_KINDS, RUN_TRIGGERS, RunKind, RunTrigger } from '../journey-build-run.schema';
import { JourneyRunsService } from '../journey-runs.service';
import { StrandedRuns } from '../stranded-runs';
import { JOURNEY_JOBS, JOURNEYS_QUEUE } from './journeys.queue';

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`job payload: ${field} must be a non-empty string`);
  }
  return value;
}

function member<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (!allowed.includes(value as T)) throw new Error(`job payload: ${field} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/**
 * The journeys worker: parses each job's payload and calls the runs service. Handlers are registered at
 * bootstrap (not with decorators) so the shard concurrency comes from configuration.
 */
@Injectable()
export class JourneysProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(JourneysProcessor.name);

  constructor(
    @InjectQueue(JOURNEYS_QUEUE) private readonly queue: Queue,
    private readonly runs: JourneyRunsService,
    private readonly stranded: StrandedRuns,
    private readonly config: ConfigService<Settings, true>,
  ) {}

  onApplicationBootstrap(): void {
    const { concurrency } = this.config.get('journeys', { infer: true });
    const handlers: Array<[string, number, (job: Job) => Promise<void>]> = [
      [JOURNEY_JOBS.buildShard, concurrency, (job) => this.buildShard(job)],
      [JOURNEY_JOBS.startRun, 1, (job) => this.startRun(job)],
      [JOURNEY_JOBS.scheduledIncremental, 1, (job) => this.scheduledIncremental(job)],
      [JOURNEY_JOBS.retrain, 1, (job) => this.retrain(job)],
      [JOURNEY_JOBS.requeueStranded, 1, async () => void (await this.stranded.requeue())],
    ];
    // A start or shard job out of retries leaves its run unable to finish: say so on the run.
    this.queue.on('failed', (job: Job, error: Error) => {
      const data = job.data as { runId?: unknown };
      const final = job.attemptsMade >= (job.opts.attempts ?? 1);
      if (
        !final ||
        typeof data.runId !== 'string' ||
        (job.name !== JOURNEY_JOBS.startRun && job.name !== JOURNEY_JOBS.buildShard)
      ) {
        return;
      }
      this.runs
        .failRun(data.runId, `${job.name} ${String(job.id)}: ${error.message}`)
        .catch((e: unknown) => this.logger.error(`run ${String(data.runId)}: ${(e as Error).message}`));
    });
    for (const [name, slots, handler] of handlers) {
      // process() settles only when the queue closes; a rejection means the worker loop itself broke.
      this.queue
        .process(name, slots, handler)
        .catch((error: unknown) => this.logger.error(`${name} worker stopped: ${(error as Error).message}`));
    }
  }

  private async buildShard(job: Job): Promise<void> {
    const data = job.data as Record<string, unknown>;
    const runId = text(data.runId, 'runId');
    const shard = Number(data.shard);
    if (!Number.isInteger(shard) || shard < 0) throw new Error('job payload: shard must be a non-negative integer');
    this.logger.debug(`job ${job.id}: run ${runId} shard ${shard} (attempt ${job.attemptsMade + 1})`);
    await this.runs.processShard(runId, shard, (percent) => job.progress(percent));
  }

  private async startRun(job: Job): Promise<void> {
    const data = job.data as Record<string, unknown>;
    const kind: RunKind = member(data.kind, RUN_KINDS, 'kind');
    const trigger: RunTrigger = member(data.trigger, RUN_TRIGGERS, 'trigger');
    await this.runs.startRun(text(data.runId, 'runId'), kind, trigger);
  }

  /** Each firing of the cron is its own job id (`repeat:<key>:<time>`); the run id is derived from it. */
  private async scheduledIncremental(job: Job): Promise<void> {
    const firedAt = String(job.id).split(':').pop();
    // The run retrains an outgrown embedder first, and builds every user when that changed the model.
    await this.runs.startRun(`incremental-${firedAt}`, 'incremental', 'schedule');
  }

  private async retrain(job: Job): Promise<void> {
    const result = await this.runs.retrain();
    this.logger.log(
      `job ${job.id}: embedder ${result.version}${result.changed ? `, full run ${result.runId}` : ' unchanged'}`,
    );
  }
}
