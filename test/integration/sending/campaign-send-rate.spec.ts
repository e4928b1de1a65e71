import { NotificationBatchDelivery } from '../../../src/modules/delivery/notification-batch-delivery.service';
import { NotificationDeliveryService } from '../../../src/modules/delivery/notification-delivery.service';
import { DIGEST_CAMPAIGN, notificationsOf, queuedDigestRun, useDigestSending } from './sending-harness';

const users = ['ana', 'ben', 'cy'];

/**
 * A campaign that sets its own send rate (one message every 5 s) is held to it across workers, by batch and by
 * one-by-one delivery alike, whatever DELIVERY_RATE_CAMPAIGN says (no limit here).
 */
describe("a campaign's own send rate", () => {
  const sending = useDigestSending('campaign-send-rate', users, {}, { ...DIGEST_CAMPAIGN, sendRate: 0.2 });

  it('sends one message of a burst and has the others wait for their slots', async () => {
    const { app, sink } = sending;
    const { runId, ids } = await queuedDigestRun(app, users.length);
    const outcomes = await app.get(NotificationBatchDelivery).deliverMany([...ids.values()]);
    const waiting = [...outcomes.values()].filter((o) => o.kind === 'again' && o.why === 'rate-limit');
    expect(waiting).toHaveLength(2);
    expect(sink.messages).toHaveLength(1);

    // The one-by-one path asks the same bucket: still no slot for another message of the campaign.
    const stored = await notificationsOf(app, runId);
    const [unsent] = [...stored.values()].filter((n) => n.state === 'queued');
    await expect(app.get(NotificationDeliveryService).deliver(unsent.notificationId)).resolves.toMatchObject({
      kind: 'again',
      why: 'rate-limit',
    });
    expect(sink.messages).toHaveLength(1);
  });
});
