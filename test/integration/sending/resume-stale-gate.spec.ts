import { getQueueToken } from '@nestjs/bull';
import { Job, Queue } from 'bull';
import { CampaignRunRepository } from '../../../src/modules/campaigns/runs/campaign-run.repository';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { DELIVERY_QUEUE } from '../../../src/modules/delivery/jobs/delivery.queue';
import { notificationsOf, queuedDigestRun, until, useDigestSending } from './sending-harness';

const users = ['ana', 'ben'];

/**
 * A worker trusts what it read of a run's state for a second. Here its read of a paused run is answered before
 * the run is resumed (or cancelled) and lands after the requeue that follows has enqueued every queued
 * notification again (a slow reply, a stalled event loop): the worker then holds "paused" while it runs the
 * requeued jobs. They must still send every message once (or settle each as cancelled), not park them with no
 * job left to carry them on.
 */
describe.each([
  ['in batch jobs', 'batch', {}],
  ['one by one', 'single', { DELIVERY_BATCH_SIZE: '1' }],
])('a run resumed or cancelled while a worker holds it as paused (%s)', (_, name, env) => {
  // One job at a time: the worker's first job takes the stale read, the others run on it.
  const sending = useDigestSending(`resume-stale-gate-${name}`, users, { DELIVERY_CONCURRENCY: '1', ...env });

  /** Pauses a queued run, then lets the worker's next read of it land only after `action` and its requeue. */
  async function staleReadAcross(action: 'resume' | 'cancel'): Promise<string> {
    const { app } = sending;
    const deliveries = app.get<Queue>(getQueueToken(DELIVERY_QUEUE));
    const runsService = app.get(CampaignRunsService);
    const { runId } = await queuedDigestRun(app, users.length);
    await runsService.pause(runId, 'test');
    const runs = app.get(CampaignRunRepository);
    const findById = runs.findById.bind(runs);
    let landed: Promise<unknown> | undefined;
    jest.spyOn(runs, 'findById').mockImplementationOnce((id) => {
      landed = (async () => {
        const before = await findById(id);
        // This worker takes no other job until its read lands.
        await deliveries.pause(true, true);
        await runsService[action](runId, 'test');
        await until(async () =>
          ((await deliveries.getJobs(['waiting', 'delayed'])) as Job[]).some(
            (job) => (job.data as { step: string }).step === '1.0',
          ),
        );
        return before;
      })();
      return landed as ReturnType<typeof findById>;
    });
    await deliveries.resume(true);
    await until(async () => landed !== undefined);
    await landed;
    await until(async () => (await deliveries.getActiveCount()) === 0);
    // Within the second the worker trusts its read, it runs the requeued jobs.
    await deliveries.resume(true);
    return runId;
  }

  it('sends every message of the resumed run once', async () => {
    const { app, sink } = sending;
    const runId = await staleReadAcross('resume');
    const sent = async () => [...(await notificationsOf(app, runId)).values()].every((n) => n.state === 'sent');
    await until(sent, 5_000).catch(() => undefined);
    const states = [...(await notificationsOf(app, runId)).values()].map((n) => n.state);
    expect(states).toEqual(['sent', 'sent']);
    await new Promise((r) => setTimeout(r, 1_100)); // any job left over finds nothing to send
    for (const user of users) expect(sink.to(`${user}@example.com`)).toHaveLength(1);
  });

  it('settles every message of the cancelled run as cancelled, sending none', async () => {
    const { app, sink } = sending;
    const before = sink.messages.length;
    const runId = await staleReadAcross('cancel');
    const settled = async () => [...(await notificationsOf(app, runId)).values()].every((n) => n.state !== 'queued');
    await until(settled, 5_000).catch(() => undefined);
    const notifications = [...(await notificationsOf(app, runId)).values()];
    expect(notifications.map((n) => [n.state, n.reason?.code])).toEqual([
      ['suppressed', 'run-cancelled'],
      ['suppressed', 'run-cancelled'],
    ]);
    expect(sink.messages.length).toBe(before);
  });
});
