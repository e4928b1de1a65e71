import { getQueueToken } from '@nestjs/bull';
import { Job, Queue } from 'bull';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { DELIVERY_JOBS, DELIVERY_QUEUE, DeliveryProducer } from '../../../src/modules/delivery/jobs/delivery.queue';
import { db, notificationsOf, queuedDigestRun, until, useDigestSending } from './sending-harness';

const users = ['ana', 'ben'];

/**
 * A delivery job run again by Bull (stalled, or retried after an error) can take a notification over from
 * the step after it, which then ends with nothing to do; the re-run's own next step has that finished job's
 * id. Bull drops an add under the id of a job it still keeps, so the step gets an id of its own and the
 * notification is carried on, while the same step enqueued twice as it waits stays one job.
 */
describe("a notification's next step under the id of a finished job", () => {
  const sending = useDigestSending('finished-step-ids', users);

  it('gets a job of its own, which sends the notification', async () => {
    const { app, sink } = sending;
    const deliveries = app.get<Queue>(getQueueToken(DELIVERY_QUEUE));
    const producer = app.get(DeliveryProducer);
    const { runId, ids } = await queuedDigestRun(app, users.length);
    const anaId = ids.get('ana')!;
    const anaSteps = async (): Promise<Job[]> =>
      (await deliveries.getWaiting()).filter(
        (job) =>
          job.name === DELIVERY_JOBS.deliver && (job.data as { notificationId: string }).notificationId === anaId,
      );
    await producer.enqueue(anaId, '0.1');
    await producer.enqueue(anaId, '0.1');
    const [step] = await anaSteps();
    expect(await anaSteps()).toHaveLength(1);

    // Ana's step runs and ends with nothing to do: here, because her run is paused (the job parks her).
    await app.get(CampaignRunsService).pause(runId, 'test');
    await deliveries.resume(true);
    await until(async () => (await deliveries.getJob(step.id))!.isCompleted());
    await deliveries.pause(true);

    // The next step of a job that took ana over meanwhile has the finished step's id.
    await producer.enqueue(anaId, '0.1');
    const [carried] = await anaSteps();
    expect(carried.id).not.toBe(step.id);
    expect(carried.data).toEqual({ notificationId: anaId, step: '0.1' });

    // The run goes on without anything enqueued anew (as when the take-over happened while it ran): that job
    // alone sends ana; ben's first step parked him, and he waits for the run's resume.
    await db(app)
      .collection('campaign_runs')
      .updateOne({ runId }, { $set: { state: 'running' } });
    await new Promise((r) => setTimeout(r, 1_100)); // the run's gate is read once a second
    await deliveries.resume(true);
    await until(async () => (await notificationsOf(app, runId)).get('ana')!.state === 'sent');
    expect(sink.to('ana@example.com')).toHaveLength(1);
    expect(sink.to('ben@example.com')).toHaveLength(0);
  });
});
