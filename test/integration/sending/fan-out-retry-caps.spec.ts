import { getQueueToken } from '@nestjs/bull';
import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bull';
import { CAMPAIGN_RUNS_QUEUE } from '../../../src/modules/campaigns/runs/jobs/campaign-runs.queue';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { notificationIdOf } from '../../../src/modules/delivery/domain/notification-id';
import { FrequencyCaps } from '../../../src/modules/delivery/frequency-caps';
import { SmtpSink } from '../../setup/smtp-sink';
import { db, DIGEST_CAMPAIGN, notificationsOf, startDigestSending, until, waitForRun } from './sending-harness';

const ONE_A_DAY = { max: 1, withinHours: 24, scope: 'channel' as const };
const users = ['ana', 'ben'];

/**
 * A shard whose worker died after reserving its users' frequency-cap slots and before creating their
 * notifications is processed again. Ana withdrew her email consent in between, so the retry suppresses her
 * message: the slot the dead attempt took for it is given back, and another campaign's email to her today
 * is allowed. Ben's message goes out on the slot it holds.
 */
describe('a shard processed again after a crash and the frequency caps', () => {
  let app: INestApplicationContext;
  let sink: SmtpSink;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ app, sink, stop } = await startDigestSending(
      'fan-out-retry-caps',
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

  it('gives back the slot the crashed attempt reserved for a message the retry suppresses', async () => {
    const runsQueue = app.get<Queue>(getQueueToken(CAMPAIGN_RUNS_QUEUE));
    await runsQueue.pause(true);
    const { runId } = await app.get(CampaignRunsService).startManual(DIGEST_CAMPAIGN.id, 'test');
    const caps = app.get(FrequencyCaps);
    const digest = (userId: string) => ({ userId, channel: 'email', campaignId: DIGEST_CAMPAIGN.id });
    // What the dead attempt left: both users' slots reserved, no notification.
    for (const userId of users) {
      await expect(
        caps.reserve(digest(userId), [ONE_A_DAY], new Date(), notificationIdOf(runId, userId)),
      ).resolves.toEqual({ granted: true });
    }
    await db(app)
      .collection('users')
      .updateOne({ userId: 'ana' }, { $set: { 'consent.email': false } });

    await runsQueue.resume(true);
    await waitForRun(app, runId);

    const notifications = await notificationsOf(app, runId);
    expect(notifications.get('ana')).toMatchObject({ state: 'suppressed' });
    const promo = (userId: string) =>
      caps.reserve({ userId, channel: 'email', campaignId: 'promo' }, [ONE_A_DAY], new Date(), `promo-${userId}`);
    await expect(promo('ana')).resolves.toEqual({ granted: true });
    await expect(promo('ben')).resolves.toMatchObject({ granted: false, count: 1 });
    await until(async () => sink.to('ben@example.com').length === 1);
    expect(sink.to('ana@example.com')).toHaveLength(0);
  });
});
