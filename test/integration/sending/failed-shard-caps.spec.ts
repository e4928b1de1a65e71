import { INestApplicationContext } from '@nestjs/common';
import { CampaignRunShardRepository } from '../../../src/modules/campaigns/runs/campaign-run-shard.repository';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { FrequencyCaps } from '../../../src/modules/delivery/frequency-caps';
import { MessageRenderRepository } from '../../../src/modules/delivery/message-render.repository';
import { SmtpSink } from '../../setup/smtp-sink';
import { DIGEST_CAMPAIGN, notificationsOf, startDigestSending, until, waitForRun } from './sending-harness';

const ONE_A_DAY = { max: 1, withinHours: 24, scope: 'channel' as const };
const CAPPED_DIGEST = { ...DIGEST_CAMPAIGN, frequencyCaps: [ONE_A_DAY] };
const users = ['ana', 'ben'];

/** Another campaign's email to `userId` today, as its fan-out would ask the caps for it. */
function promo(app: INestApplicationContext, userId: string) {
  return app
    .get(FrequencyCaps)
    .reserve({ userId, channel: 'email', campaignId: 'promo' }, [ONE_A_DAY], new Date(), `promo-${userId}`);
}

/**
 * A shard that fails on its last attempt: the run is failed. The frequency-cap slots its users were given
 * before their notifications were written belong to messages that will never exist, and are given back;
 * the slots of notifications it did write stay, since those messages are still delivered.
 */
/** A sending context with the capped digest, for the enclosing `describe`; a shard job is tried twice. */
function useCappedDigest(database: string): { app: INestApplicationContext; sink: SmtpSink } {
  const started = {} as { app: INestApplicationContext; sink: SmtpSink; stop?: () => Promise<void> };
  beforeAll(async () => {
    Object.assign(
      started,
      await startDigestSending(database, users, { CAMPAIGN_RUNS_JOB_ATTEMPTS: '2' }, CAPPED_DIGEST),
    );
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await started.stop?.();
  });
  return started;
}

describe('a shard that fails for good and the frequency caps', () => {
  describe('failing before its notifications are written', () => {
    const sending = useCappedDigest('failed-shard-caps-a');

    it('gives back the slots it reserved, so another campaign may email its users today', async () => {
      const { app } = sending;
      // The render store refuses every write: each attempt reserves the users' slots, then throws.
      const stores = jest
        .spyOn(app.get(MessageRenderRepository), 'storeMany')
        .mockRejectedValue(new Error('render store unavailable'));
      const { runId } = await app.get(CampaignRunsService).startManual(CAPPED_DIGEST.id, 'test');

      const run = await waitForRun(app, runId);

      expect(run.state).toBe('failed');
      expect(stores).toHaveBeenCalledTimes(2);
      expect((await notificationsOf(app, runId)).size).toBe(0);
      for (const userId of users) await expect(promo(app, userId)).resolves.toEqual({ granted: true });
    });
  });

  describe('failing after its notifications are written', () => {
    const sending = useCappedDigest('failed-shard-caps-b');

    it('keeps the slots of the messages it queued, which are still sent', async () => {
      const { app, sink } = sending;
      // Marking the shard finished fails on every attempt, after the notifications exist.
      jest
        .spyOn(app.get(CampaignRunShardRepository), 'markFinished')
        .mockRejectedValue(new Error('shard record unavailable'));
      const { runId } = await app.get(CampaignRunsService).startManual(CAPPED_DIGEST.id, 'test');

      const run = await waitForRun(app, runId);

      expect(run.state).toBe('failed');
      const notifications = await notificationsOf(app, runId);
      expect([...notifications.keys()].sort()).toEqual(users);
      await until(async () => users.every((userId) => sink.to(`${userId}@example.com`).length === 1), 10_000);
      for (const userId of users) {
        await expect(promo(app, userId)).resolves.toMatchObject({ granted: false, count: 1 });
      }
    });
  });
});
