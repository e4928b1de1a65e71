import { NotificationBatchDelivery } from '../../../src/modules/delivery/notification-batch-delivery.service';
import { NotificationDeliveryService } from '../../../src/modules/delivery/notification-delivery.service';
import { NotificationRepository } from '../../../src/modules/delivery/notification.repository';
import { db, notificationsOf, queuedDigestRun, useDigestSending } from './sending-harness';

const users = ['ana', 'ben', 'cy'];

/**
 * A batch's acceptances share one bulk write. When that write fails (a transient database error, after part of
 * it landed), the provider has accepted those messages all the same: a takeover of their lapsed claims must
 * find them accepted and send nothing again.
 */
describe("a batch whose acceptances' bulk write fails", () => {
  const sending = useDigestSending('batch-acceptance-write', users);

  it('records each acceptance all the same, and no takeover sends a message again', async () => {
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
});
