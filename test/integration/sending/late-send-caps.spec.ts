import { INestApplicationContext } from '@nestjs/common';
import { FrequencyCaps } from '../../../src/modules/delivery/frequency-caps';
import { NotificationBatchDelivery } from '../../../src/modules/delivery/notification-batch-delivery.service';
import { NotificationDeliveryService } from '../../../src/modules/delivery/notification-delivery.service';
import { SmtpSink } from '../../setup/smtp-sink';
import { db, DIGEST_CAMPAIGN, notificationsOf, queuedDigestRun, startDigestSending } from './sending-harness';

const HOUR = 3_600_000;
const users = ['ana', 'ben'];
const ONE_A_DAY = { max: 1, withinHours: 24, scope: 'channel' as const };

/**
 * A message sent long after the time its frequency-cap slot was reserved for (a run paused overnight and
 * resumed): the caps are asked again at the real send time. Ana got another campaign's email two hours
 * ago, so her late digest would be her second email within a day and is suppressed; Ben's goes out, and
 * his slot moves to now, so another email within the next day is refused.
 */
describe('a late send and the frequency caps', () => {
  let sink: SmtpSink;
  let app: INestApplicationContext;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ app, sink, stop } = await startDigestSending(
      'late-send-caps',
      users,
      {},
      {
        ...DIGEST_CAMPAIGN,
        frequencyCaps: [ONE_A_DAY],
      },
    ));
  });

  afterAll(async () => {
    await stop?.();
  });

  it.each([
    [
      'a one-by-one job',
      async (ids: string[]) => {
        for (const id of ids) await app.get(NotificationDeliveryService).deliver(id);
      },
    ],
    [
      'a batch job',
      async (ids: string[]) => {
        await app.get(NotificationBatchDelivery).deliverMany(ids);
      },
    ],
  ])('are asked again at the real send time by %s', async (_, job) => {
    const { runId, ids } = await queuedDigestRun(app, users.length);
    const caps = app.get(FrequencyCaps);
    const planned = new Date(Date.now() - 30 * HOUR);
    // Both digests were planned 30 hours ago, and their slots reserved then.
    await db(app)
      .collection('notifications')
      .updateMany({ runId }, { $set: { createdAt: planned } });
    for (const [userId, id] of ids) {
      await caps.retake({ userId, channel: 'email', campaignId: DIGEST_CAMPAIGN.id }, [], planned, id);
    }
    const promo = `promo-${runId}`;
    await caps.reserve(
      { userId: 'ana', channel: 'email', campaignId: 'promo' },
      [],
      new Date(Date.now() - 2 * HOUR),
      promo,
    );
    const before = { ana: sink.to('ana@example.com').length, ben: sink.to('ben@example.com').length };

    await job([ids.get('ana')!, ids.get('ben')!]);

    const after = await notificationsOf(app, runId);
    expect(after.get('ana')).toMatchObject({
      state: 'suppressed',
      reason: { code: 'frequency-cap', rule: 'frequencyCaps[0]', value: 1 },
    });
    expect(after.get('ben')).toMatchObject({ state: 'sent' });
    expect(sink.to('ana@example.com').length).toBe(before.ana);
    expect(sink.to('ben@example.com').length).toBe(before.ben + 1);
    const probe = (userId: string, hours: number) =>
      caps.reserve(
        { userId, channel: 'email', campaignId: 'probe' },
        [ONE_A_DAY],
        new Date(Date.now() + hours * HOUR),
        `probe-${runId}-${userId}`,
      );
    // Ben's slot holds his real send time: nothing else within a day of it.
    expect((await probe('ben', 1)).granted).toBe(false);
    // Ana's suppressed digest holds nothing: a day after the promo, she may get an email again.
    expect((await probe('ana', 22.5)).granted).toBe(true);
    // The next test's run starts with no sends on record.
    for (const [userId, id] of ids) {
      await caps.release({ userId, channel: 'email', campaignId: DIGEST_CAMPAIGN.id }, id);
    }
    await caps.release({ userId: 'ana', channel: 'email', campaignId: 'promo' }, promo);
    await caps.release({ userId: 'ana', channel: 'email', campaignId: 'probe' }, `probe-${runId}-ana`);
  });
});
