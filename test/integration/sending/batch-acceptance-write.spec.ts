import { NotificationBatchDelivery } from '../../../src/modules/delivery/notification-batch-delivery.service';
import { NotificationDeliveryService } from '../../../src/modules/delivery/notification-delivery.service';
import { NotificationRepository } from '../../../src/modules/delivery/notification.repository';
import { db, notificationsOf, queuedDigestRun, useDigestSending } from './sending-harness';

const users = ['ana', 'ben', 'cy'];

/**
 * A provider accepted the message, and the write of its acceptance fails (a transient database error; for a
 * batch's acceptances, which share one bulk write, after part of it landed): a takeover of the lapsed claim must
 * find it accepted and send nothing again.
 */
describe('an acceptance whose write fails', () => {
  const sending = useDigestSending('batch-acceptance-write', users);

  it('in a batch, records each acceptance all the same when their shared write fails, and no takeover sends a message again', async () => {
    const { app, sink } = sending;
    const { runId, ids } = await queuedDigestRun(app, users.length);
    const notifications = app.get(NotificationRepository);
    const bulk = notifications.finishAccepted.bind(notifications);
    // The first bulk write reaches the database for its first acceptance only, then fails.
    jest.spyOn(notifications, 'finishAccepted').mockImplementationOnce(async (items, at) => {
      await bulk(items.slice(0, 1), at);
      throw new Error('connection reset by the database');
    });

    await app
      .get(NotificationBatchDelivery)
      .deliverMany([...ids.values()])
      .catch(() => undefined);
    expect(sink.messages).toHaveLength(users.length);

    // Whatever the batch's job left, its claims lapse and another worker takes each notification over.
    await db(app)
      .collection('notifications')
      .updateMany({ runId, state: 'sending' }, { $set: { 'sending.leaseUntil': new Date(Date.now() - 1) } });
    for (const id of ids.values()) await app.get(NotificationDeliveryService).deliver(id);

    expect(users.map((userId) => sink.to(`${userId}@example.com`).length)).toEqual([1, 1, 1]);
    const byUser = await notificationsOf(app, runId);
    for (const userId of users) {
      expect(byUser.get(userId)).toMatchObject({ state: 'sent', targets: [{ state: 'accepted', provider: 'smtp' }] });
    }
  });

  it('one by one, records the acceptance all the same when its write fails once', async () => {
    const { app, sink } = sending;
    const { runId, ids } = await queuedDigestRun(app, users.length);
    const before = sink.to('ana@example.com').length;
    const notifications = app.get(NotificationRepository);
    jest.spyOn(notifications, 'recordTarget').mockRejectedValueOnce(new Error('connection reset by the database'));

    const single = app.get(NotificationDeliveryService);
    await single.deliver(ids.get('ana')!).catch(() => undefined);
    await db(app)
      .collection('notifications')
      .updateMany({ runId, state: 'sending' }, { $set: { 'sending.leaseUntil': new Date(Date.now() - 1) } });
    await single.deliver(ids.get('ana')!);

    expect(sink.to('ana@example.com')).toHaveLength(before + 1);
    expect((await notificationsOf(app, runId)).get('ana')).toMatchObject({
      state: 'sent',
      targets: [{ state: 'accepted', provider: 'smtp' }],
    });
  });
});
