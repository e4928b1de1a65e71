import { getQueueToken } from '@nestjs/bull';
import { INestApplicationContext } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bull';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { RunExplainService } from '../../../src/modules/campaigns/runs/run-explain.service';
import { formatExplanation } from '../../../src/modules/cli/commands/campaign-runs-output';
import { DELIVERY_QUEUE } from '../../../src/modules/delivery/jobs/delivery.queue';
import { NotificationBatchDelivery } from '../../../src/modules/delivery/notification-batch-delivery.service';
import { NotificationDeliveryService } from '../../../src/modules/delivery/notification-delivery.service';
import { PutUserDto } from '../../../src/modules/ingest/dto/put-user.dto';
import { UsersService } from '../../../src/modules/ingest/users.service';
import { campaignsDir, seedUser } from '../campaigns/campaigns-harness';
import {
  activate,
  KITCHEN_JOURNEY,
  notificationsOf,
  NUDGE_CAMPAIGN,
  sendingSettings,
  startSendingContext,
  startServers,
  until,
  waitForRun,
} from './sending-harness';

const users = ['one-by-one', 'in-a-batch'];
const devices = (userId: string) => [`${userId}-phone`, `${userId}-tablet`];

/**
 * A push to two devices, queued, then refused when its turn comes because the user withdrew consent to push:
 * the notification is suppressed, and neither target is left pending (both skipped, with that reason), so
 * reports and `runs explain` do not show it as still to be sent.
 */
describe('a notification refused at send time and its targets', () => {
  let servers: Awaited<ReturnType<typeof startServers>>;
  let app: INestApplicationContext;
  const scratch = mkdtempSync(join(tmpdir(), 'jc-refused-'));

  beforeAll(async () => {
    servers = await startServers();
    app = await startSendingContext(
      sendingSettings(servers.mongo.uri, servers.redis, 'refused-targets', {
        CAMPAIGNS_DIR: campaignsDir([NUDGE_CAMPAIGN]),
        DELIVERY_OUTBOX_DIR: join(scratch, 'outbox'),
      }),
    );
    await activate(app, NUDGE_CAMPAIGN.id);
    for (const userId of users) {
      await seedUser(app, userId, {
        now: new Date(),
        profile: {
          email: undefined,
          consent: { email: false, push: true },
          pushTokens: devices(userId).map((token) => ({ platform: 'fcm' as const, token })),
        },
        journeys: [KITCHEN_JOURNEY],
      });
    }
  });
  afterAll(async () => {
    await app?.close();
    await servers?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('settles every target as skipped with the refusal, one by one and in a batch', async () => {
    const deliveries = app.get<Queue>(getQueueToken(DELIVERY_QUEUE));
    await deliveries.pause(true);
    const { runId } = await app.get(CampaignRunsService).startManual(NUDGE_CAMPAIGN.id, 'test');
    try {
      await until(async () => {
        const n = await notificationsOf(app, runId);
        return users.every((u) => n.get(u)?.state === 'queued' && n.get(u)?.targets.length === 2);
      }, 30_000);
      for (const userId of users) {
        await app.get(UsersService).putUser(userId, {
          consent: { email: false, push: false },
          pushTokens: devices(userId).map((token) => ({ platform: 'fcm', token })),
        } as PutUserDto);
      }
      const queued = await notificationsOf(app, runId);
      await app.get(NotificationDeliveryService).deliver(queued.get('one-by-one')!.notificationId);
      await app.get(NotificationBatchDelivery).deliverMany([queued.get('in-a-batch')!.notificationId]);
    } finally {
      await deliveries.resume(true);
    }
    await waitForRun(app, runId);

    const notifications = await notificationsOf(app, runId);
    for (const userId of users) {
      const reason = { code: 'no-consent', rule: 'consent.push' };
      expect(notifications.get(userId)).toMatchObject({
        state: 'suppressed',
        reason,
        targets: devices(userId).map((token) => ({ to: { token }, state: 'skipped', reason })),
      });
      const why = formatExplanation(await app.get(RunExplainService).explain(runId, userId));
      expect(why).not.toContain(': pending');
      expect(why).toContain('target fcm device: skipped (the user no longer consents to push');
    }
  });
});
