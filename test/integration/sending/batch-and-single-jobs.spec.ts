import { getQueueToken } from '@nestjs/bull';
import { Job, Queue } from 'bull';
import { RunCompletion } from '../../../src/modules/campaigns/runs/run-completion';
import { ChannelRegistry } from '../../../src/modules/delivery/channel-registry';
import { OutboundMessage } from '../../../src/modules/delivery/domain/outbound-message';
import { DELIVERY_JOBS, DELIVERY_QUEUE, DeliveryProducer } from '../../../src/modules/delivery/jobs/delivery.queue';
import { NotificationRepository } from '../../../src/modules/delivery/notification.repository';
import { notificationsOf, queuedDigestRun, until, useDigestSending, waitForRun } from './sending-harness';

const users = ['ana', 'ben'];

/**
 * One notification in a batch job and in a one-by-one job of the same generation (a fan-out shard run again
 * with another grouping): each job's later steps are jobs of their own, and whichever job holds the
 * notification when it must wait always leaves a job to carry it on, whatever jobs the other one left.
 */
describe('a notification in a batch job and in a one-by-one job', () => {
  // One provider request at a time, so the batch's sends come in turn; a retry comes back within 200 ms.
  const sending = useDigestSending('batch-and-single-jobs', users, {
    DELIVERY_CONCURRENCY: '1',
    DELIVERY_RETRY_BASE_MS: '200',
  });

  it('carries on a notification the batch must retry after the other job lost it to the batch', async () => {
    const { app, sink } = sending;
    const deliveries = app.get<Queue>(getQueueToken(DELIVERY_QUEUE));
    const { runId, ids } = await queuedDigestRun(app, users.length);
    const anaId = ids.get('ana')!;
    const waiting: Job[] = await deliveries.getWaiting();
    expect(
      waiting.map((job) => [job.name, (job.data as { notificationIds?: string[] }).notificationIds?.sort()]),
    ).toEqual([[DELIVERY_JOBS.deliverBatch, [...ids.values()].sort()]]);
    // Ana's one-by-one job of the same generation, at its second step (its first waited for a send slot).
    await app.get(DeliveryProducer).enqueue(anaId, '0.1');
    const single = (await deliveries.getWaiting()).find((job) => job.name === DELIVERY_JOBS.deliver)!;

    // That job reads ana queued, and the batch claims her before it does: its claim finds her taken and it ends.
    const notifications = app.get(NotificationRepository);
    const findById = notifications.findById.bind(notifications);
    jest.spyOn(notifications, 'findById').mockImplementationOnce(async (id) => {
      const read = await findById(id);
      await until(async () => (await findById(anaId))!.state === 'sending');
      return read;
    });
    // The batch's request for ana goes out once that job is over, and the relay asks to try again later.
    const channels = app.get(ChannelRegistry);
    const send = channels.send.bind(channels);
    let refused = false;
    jest.spyOn(channels, 'send').mockImplementation(async (message: OutboundMessage) => {
      if (message.notificationId === anaId && !refused) {
        refused = true;
        await until(async () => (await deliveries.getJob(single.id))!.isCompleted());
        sink.replyToNextData(451, '4.3.0 Temporary failure, try again later');
      }
      return send(message);
    });

    await deliveries.resume(true);
    const run = await waitForRun(app, runId, 15_000);
    expect(run.counts).toMatchObject({ sent: users.length, queued: 0, sending: 0 });
    expect(await app.get(RunCompletion).counts(runId)).toEqual(run.counts);
    for (const userId of users) expect(sink.to(`${userId}@example.com`)).toHaveLength(1);
    expect((await notificationsOf(app, runId)).get('ana')).toMatchObject({
      state: 'sent',
      attempts: [{ outcome: 'retry' }, { outcome: 'accepted' }],
    });
  });
});
