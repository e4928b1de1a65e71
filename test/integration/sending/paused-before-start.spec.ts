import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { CAMPAIGN_RUNS_QUEUE } from '../../../src/modules/campaigns/runs/jobs/campaign-runs.queue';
import { until, useDigestSending, waitForRun } from './sending-harness';

/**
 * A run paused before its start job ran (it is still `scheduled`) and resumed later starts when it is resumed:
 * it completes, and says when it started.
 */
describe('a run paused before it started', () => {
  const sending = useDigestSending('paused-before-start', ['ana']);

  it('records when it started once resumed', async () => {
    const { app, sink } = sending;
    const runs = app.get(CampaignRunsService);
    const jobs = app.get<Queue>(getQueueToken(CAMPAIGN_RUNS_QUEUE));
    await jobs.pause(true);
    const { runId } = await runs.startManual('digest', 'test');
    expect((await runs.pause(runId, 'test')).state).toBe('paused');
    await jobs.resume(true);
    // The first start job finds the run paused and does nothing.
    await until(async () => (await jobs.getCompletedCount()) > 0);
    await runs.resume(runId, 'test');
    const run = await waitForRun(app, runId);
    expect(run.state).toBe('completed');
    expect(sink.to('ana@example.com')).toHaveLength(1);
    expect(run.startedAt).toBeInstanceOf(Date);
  }, 30_000);
});
