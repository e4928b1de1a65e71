import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { MetricsRegistry } from '../../../src/common/metrics/metrics.registry';
import { JOURNEYS_QUEUE } from '../../../src/modules/journeys/jobs/journeys.queue';
import { JourneyRunsService } from '../../../src/modules/journeys/journey-runs.service';
import { StrandedRuns } from '../../../src/modules/journeys/stranded-runs';
import { db, ingest, population, useJourneysContext, waitForRun } from './journeys-harness';

/** Past the default staleness (JOURNEYS_STRANDED_AFTER_MS, 15 minutes) from now. */
const later = () => new Date(Date.now() + 16 * 60_000);

/**
 * A build run whose start or shard jobs Redis lost stays unfinished for good; the scheduled sweep queues
 * again the jobs of a run without progress for longer than the staleness, and only those it lacks.
 */
describe('the sweep of stranded build runs', () => {
  const { context } = useJourneysContext('stranded-runs');

  const queue = () => context().get<Queue>(getQueueToken(JOURNEYS_QUEUE));
  const runs = () => context().get(JourneyRunsService);
  const sweep = () => context().get(StrandedRuns);
  /** The jobs queued again by the sweep, as /metrics reports them. */
  const requeuedMetric = async () => {
    const page = await context().get(MetricsRegistry).render();
    return Number(/^journeycast_journey_build_requeued_jobs_total (\d+)$/m.exec(page)?.[1]);
  };

  beforeAll(async () => {
    await ingest(context(), population(12, 13).events);
  });

  /** Starts a run with this worker paused, so its shards wait in Redis; with `lose`, they are then emptied. */
  async function runWithWaitingShards(runId: string, lose: boolean): Promise<void> {
    await queue().pause(true);
    await runs().startRun(runId, 'full', 'manual');
    if (lose) await queue().empty();
  }

  it('queues again the shards of a running run whose jobs were lost, and the run completes', async () => {
    await runWithWaitingShards('full-lost', true);
    await queue().resume(true);
    expect(await runs().findRun('full-lost')).toMatchObject({ status: 'running', shardCount: 2, doneShards: [] });

    expect(await sweep().requeue(later())).toMatchObject({ runs: 1, jobs: 2 });
    const run = await waitForRun(context(), 'full-lost');
    expect(run).toMatchObject({ status: 'completed', counts: { selected: 12, built: 12, failed: 0, skipped: 0 } });
    const built = await db(context()).collection('user_journeys').find({ buildRunId: 'full-lost' }).toArray();
    expect(built).toHaveLength(12);
  });

  it('queues again the start job of a pending run whose job was lost, and the run completes', async () => {
    await queue().pause(true);
    const { runId } = await runs().requestRun('full', 'manual');
    await queue().empty();
    await queue().resume(true);
    expect(await runs().findRun(runId)).toMatchObject({ status: 'pending' });

    expect(await sweep().requeue(later())).toMatchObject({ runs: 1, jobs: 1 });
    expect(await waitForRun(context(), runId)).toMatchObject({ status: 'completed', counts: { built: 12, failed: 0 } });
    expect(await requeuedMetric()).toBe(3);
  });

  it('leaves alone a run whose jobs Redis still holds: nothing is queued twice or built twice', async () => {
    await runWithWaitingShards('full-waiting', false);
    const waiting = await queue().getWaitingCount();
    expect(waiting).toBe(2);

    expect(await sweep().requeue(later())).toMatchObject({ runs: 0, jobs: 0 });
    expect(await queue().getWaitingCount()).toBe(waiting);
    expect(await requeuedMetric()).toBe(3);
    await queue().resume(true);
    const run = await waitForRun(context(), 'full-waiting');
    expect(run).toMatchObject({ status: 'completed', counts: { selected: 12, built: 12, failed: 0, skipped: 0 } });
  });

  it('leaves alone a run with progress more recent than the staleness, even when its jobs were lost', async () => {
    await runWithWaitingShards('full-young', true);
    await queue().resume(true);

    expect(await sweep().requeue(new Date())).toMatchObject({ runs: 0, jobs: 0 });
    expect(await queue().getJobCounts()).toMatchObject({ waiting: 0, active: 0, delayed: 0 });
    expect(await runs().findRun('full-young')).toMatchObject({ status: 'running', doneShards: [] });

    // Once stale, it is queued again like any other.
    expect(await sweep().requeue(later())).toMatchObject({ runs: 1, jobs: 2 });
    expect(await waitForRun(context(), 'full-young')).toMatchObject({ status: 'completed' });
  });
});
