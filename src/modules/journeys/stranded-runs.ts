import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { JourneysProducer } from './jobs/journeys.queue';
import { JourneyBuildRunRepository } from './journey-build-run.repository';

/** What one sweep of stranded runs did. */
export interface StrandedRunsSweep {
  /** Runs given jobs again. */
  runs: number;
  /** Start and shard jobs queued again. */
  jobs: number;
}

/**
 * The safety net of build runs. A run goes on only through its jobs in Redis: a start job lost with Redis's data
 * leaves it pending (or selecting) for good, a lost shard job leaves it running with that shard's users unbuilt,
 * and `journeys rebuild --wait` waiting on it. The sweep takes every unfinished run without progress (a status
 * change, a shard finished) for JOURNEYS_STRANDED_AFTER_MS, and queues again, under their usual ids, the jobs it
 * still needs: its start job before it runs, else its shards not done. A job Redis still holds waiting, delayed
 * or running is left as it is, so a run merely slow (its shards waiting behind others) gains no job; and a
 * re-delivered job builds nothing twice, since a shard skips the users its run already settled.
 *
 * A run is given jobs at most once per staleness period, however often the sweep runs.
 */
@Injectable()
export class StrandedRuns {
  private readonly logger = new Logger(StrandedRuns.name);
  private readonly staleMs: number;

  constructor(
    private readonly runs: JourneyBuildRunRepository,
    private readonly producer: JourneysProducer,
    config: ConfigService<Settings, true>,
  ) {
    this.staleMs = config.get('journeys', { infer: true }).strandedAfterMs;
  }

  /** Queues again the missing jobs of every unfinished run without progress for the staleness at `now`. */
  async requeue(now = new Date()): Promise<StrandedRunsSweep> {
    const sweep: StrandedRunsSweep = { runs: 0, jobs: 0 };
    const requeued: string[] = [];
    for (const run of await this.runs.findStranded(new Date(now.getTime() - this.staleMs))) {
      const jobs =
        run.status === 'running'
          ? await this.producer.requeueShards(run.runId, run.shardCount, run.doneShards)
          : Number(await this.producer.requeueStart(run.runId, run.kind, run.trigger));
      if (jobs === 0) continue;
      await this.runs.markRequeued(run.runId, jobs, now);
      requeued.push(`${run.runId} (${run.status}, ${jobs} jobs)`);
      sweep.runs += 1;
      sweep.jobs += jobs;
    }
    if (sweep.jobs > 0) {
      this.logger.warn({
        message: `${sweep.runs} build runs without progress had lost jobs (with Redis, or given up on): ${sweep.jobs} queued again`,
        runs: requeued.slice(0, 20),
      });
    }
    return sweep;
  }
}
