import { NotificationDeliveryService } from '../../../src/modules/delivery/notification-delivery.service';
import { NotificationRepository } from '../../../src/modules/delivery/notification.repository';
import { queuedDigestRun, useDigestSending } from './sending-harness';

/**
 * DELIVERY_MAX_ATTEMPTS may be set above the number of attempts a notification's log keeps: a provider that
 * keeps answering "try later" must still end the message as failed after that many tries, not forever.
 */
describe('a message retried more times than its attempt log keeps', () => {
  const sending = useDigestSending('attempts-beyond-log', ['ana'], {
    DELIVERY_MAX_ATTEMPTS: '25',
    DELIVERY_RETRY_BASE_MS: '10',
    DELIVERY_RETRY_MAX_MS: '10',
  });

  it('fails after DELIVERY_MAX_ATTEMPTS tries', async () => {
    const { app, sink } = sending;
    sink.replyToRecipient('ana@example.com', 450, '4.2.1 Mailbox busy, try again later');
    const { ids } = await queuedDigestRun(app, 1);
    const id = ids.get('ana')!;
    const delivery = app.get(NotificationDeliveryService);
    let steps = 0;
    for (; steps < 40; steps++) {
      const outcome = await delivery.deliver(id);
      if (outcome.kind === 'done') break;
      await new Promise((r) => setTimeout(r, Math.max(0, outcome.at.getTime() - Date.now()) + 5));
    }
    const after = await app.get(NotificationRepository).findById(id);
    expect(after).toMatchObject({ state: 'failed', reason: { code: 'attempts-exhausted' } });
    expect(steps).toBe(24);
  }, 60_000);
});
