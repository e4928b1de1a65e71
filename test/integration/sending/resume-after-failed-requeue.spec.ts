import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { CAMPAIGN_RUNS_QUEUE } from '../../../src/modules/campaigns/runs/jobs/campaign-runs.queue';
import { RunRequeue } from '../../../src/modules/campaigns/runs/run-requeue.service';
import { DELIVERY_QUEUE } from '../../../src/modules/delivery/jobs/delivery.queue';
import { notificationsOf, queuedDigestRun, until, useDigestSending } from './sending-harness';

const users = ['ana', 'ben'];

/**
 * A resume whose requeue job gave up (the database away through all its tries) leaves the run running with its
 * parked messages and unfinished work without jobs. Resuming it again is the remedy: it must run the requeue
 * again, though the job that gave up still holds that job's id.
 */
describe('resuming a run again after its requeue gave up', () => {
  const sending = useDigestSending('resume-after-failed-requeue', users, { CAMPAIGN_RUNS_JOB_ATTEMPTS: '2' });

  it('requeues the run again and sends its messages', async () => {
    const { app, sink } = sending;
    const { runId } = await queuedDigestRun(app, users.length);
    const runs = app.get(CampaignRunsService);
    const deliveries = app.get<Queue>(getQueueToken(DELIVERY_QUEUE));
    const campaignJobs = app.get<Queue>(getQueueToken(CAMPAIGN_RUNS_QUEUE));
    await runs.pause(runId, 'test');
    // The batch jobs of the first generation find the run paused and park their messages.
    await deliveries.resume(true);
    await until(async () => (await deliveries.getWaitingCount()) + (await deliveries.getActiveCount()) === 0);
    const requeue = app.get(RunRequeue);
    const spy = jest.spyOn(requeue, 'requeue').mockRejectedValue(new Error('database unavailable'));
    await runs.resume(runId, 'test');
    await until(async () => (await campaignJobs.getFailed()).some((job) => job.name === 'campaign-runs.requeue'));
    spy.mockRestore();
    await runs.resume(runId, 'test');
    const sent = async () => [...(await notificationsOf(app, runId)).values()].every((n) => n.state === 'sent');
    await until(sent, 5_000).catch(() => undefined);
    expect([...(await notificationsOf(app, runId)).values()].map((n) => n.state)).toEqual(['sent', 'sent']);
    for (const user of users) expect(sink.to(`${user}@example.com`)).toHaveLength(1);
  }, 30_000);
});
