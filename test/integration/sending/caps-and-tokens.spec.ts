import { INestApplicationContext } from '@nestjs/common';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { RunExplainService } from '../../../src/modules/campaigns/runs/run-explain.service';
import { formatExplanation } from '../../../src/modules/cli/commands/campaign-runs-output';
import { DELIVERY_QUEUE } from '../../../src/modules/delivery/jobs/delivery.queue';
import { NotificationBatchDelivery } from '../../../src/modules/delivery/notification-batch-delivery.service';
import { NotificationDeliveryService } from '../../../src/modules/delivery/notification-delivery.service';
import { PutUserDto } from '../../../src/modules/ingest/dto/put-user.dto';
import { UserRepository } from '../../../src/modules/ingest/user.repository';
import { UsersService } from '../../../src/modules/ingest/users.service';
import { FakeFcm } from '../../setup/providers/fcm-fake';
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

const WORKERS = 4;
const USERS = Array.from({ length: 24 }, (_, i) => `u${String(i).padStart(2, '0')}`);

/** Three email campaigns whose channel cap allows two emails a day, whichever campaigns they come from. */
const capped = ['a', 'b', 'c'].map((id) => ({
  id: `capped-${id}`,
  name: `Capped ${id}`,
  owner: 'growth',
  channel: 'email',
  schedule: { type: 'cron', cron: '0 9 * * 1', timeZone: 'UTC' },
  template: 'email/weekly-digest',
  copy: { variant: 'journey-template' },
  frequencyCaps: [{ max: 2, withinHours: 24, scope: 'channel' }],
}));

describe('sending with several workers: frequency caps and dead push tokens', () => {
  let servers: Awaited<ReturnType<typeof startServers>>;
  let fcm: FakeFcm;
  const workers: INestApplicationContext[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'jc-caps-'));

  beforeAll(async () => {
    [servers, fcm] = await Promise.all([startServers(), FakeFcm.start('demo-app')]);
    const serviceAccount = join(scratch, 'service-account.json');
    writeFileSync(serviceAccount, fcm.serviceAccountJson());
    const settings = sendingSettings(servers.mongo.uri, servers.redis, 'caps', {
      CAMPAIGNS_DIR: campaignsDir([...capped, NUDGE_CAMPAIGN]),
      DELIVERY_OUTBOX_DIR: join(scratch, 'outbox'),
      DELIVERY_PUSH_CHANNEL: 'providers',
      FCM_SERVICE_ACCOUNT_FILE: serviceAccount,
      FCM_API_URL: fcm.baseUrl,
      DELIVERY_RATE_FCM: '0',
      CAMPAIGN_RUNS_SHARD_SIZE: '3',
    });
    // Four worker processes' worth of modules on one MongoDB and one Redis, all taking jobs from the same queues.
    for (let i = 0; i < WORKERS; i++) workers.push(await startSendingContext(settings));
    await activate(workers[0], ...capped.map((c) => c.id), 'nudge');
    const now = new Date();
    for (const userId of USERS) {
      await seedUser(workers[0], userId, {
        now,
        profile: { email: `${userId}@example.com`, consent: { email: true, push: false } },
        journeys: [KITCHEN_JOURNEY],
      });
    }
    await seedUser(workers[0], 'two-devices', {
      now,
      profile: {
        email: undefined,
        consent: { email: false, push: true },
        pushTokens: [
          { platform: 'fcm', token: 'live-token' },
          { platform: 'fcm', token: 'dead-token' },
        ],
      },
      journeys: [KITCHEN_JOURNEY],
    });
    await seedUser(workers[0], 'gone', {
      now,
      profile: {
        email: undefined,
        consent: { email: false, push: true },
        pushTokens: [{ platform: 'fcm', token: 'gone-token' }],
      },
      journeys: [KITCHEN_JOURNEY],
    });
    for (const [userId, tokens] of [
      ['moving', ['kept-token', 'dropped-token']],
      ['leaving', ['left-token']],
    ] as const) {
      await seedUser(workers[0], userId, {
        now,
        profile: {
          email: undefined,
          consent: { email: false, push: true },
          pushTokens: tokens.map((token) => ({ platform: 'fcm' as const, token })),
        },
        journeys: [KITCHEN_JOURNEY],
      });
    }
    fcm.failToken('dead-token', 'UNREGISTERED');
    fcm.failToken('gone-token', 'UNREGISTERED');
  }, 90_000);

  afterAll(async () => {
    for (const app of workers) await app.close();
    await Promise.all([servers?.stop(), fcm?.stop()]);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('holds every user to two emails a day across three concurrent runs on four workers', async () => {
    // Each run is started from another worker, at the same time.
    const started = await Promise.all(
      capped.map((c, i) => workers[i % WORKERS].get(CampaignRunsService).startManual(c.id, 'test')),
    );
    const runs = await Promise.all(started.map((r, i) => waitForRun(workers[i % WORKERS], r.runId, 90_000)));
    for (const run of runs) expect(run.state).toBe('completed');
    const perUser = new Map<string, { sent: number; capped: number }>(USERS.map((u) => [u, { sent: 0, capped: 0 }]));
    for (const run of runs) {
      for (const [userId, n] of await notificationsOf(workers[0], run.runId)) {
        const tally = perUser.get(userId)!;
        if (n.state === 'sent') tally.sent++;
        else if (n.state === 'suppressed' && n.reason?.code === 'frequency-cap') tally.capped++;
      }
    }
    for (const [userId, tally] of perUser) expect({ userId, ...tally }).toEqual({ userId, sent: 2, capped: 1 });
    const total = runs.reduce((sum, r) => sum + r.counts.sent, 0);
    expect(total).toBe(USERS.length * 2);
  }, 120_000);

  it('removes a push token the provider calls dead, and still reaches the live device', async () => {
    const started = await workers[1].get(CampaignRunsService).startManual('nudge', 'test');
    const run = await waitForRun(workers[1], started.runId, 60_000);
    const notifications = await notificationsOf(workers[0], run.runId);
    expect(notifications.get('two-devices')).toMatchObject({
      state: 'sent',
      targets: expect.arrayContaining([
        expect.objectContaining({ state: 'accepted', provider: 'fcm' }),
        expect.objectContaining({ state: 'failed', error: expect.objectContaining({ action: 'remove-token' }) }),
      ]),
    });
    expect(notifications.get('gone')).toMatchObject({ state: 'failed' });
    const users = workers[0].get(UserRepository);
    expect((await users.findByUserId('two-devices'))!.pushTokens.map((t) => t.token)).toEqual(['live-token']);
    expect((await users.findByUserId('gone'))!.pushTokens).toEqual([]);
    expect(fcm.sent.map((s) => s.message.token).sort()).toEqual([
      'dropped-token',
      'kept-token',
      'left-token',
      'live-token',
    ]);
  }, 90_000);

  it('sends nothing to a device the user removed after the message was queued', async () => {
    const deliveries = workers.map((w) => w.get<Queue>(getQueueToken(DELIVERY_QUEUE)));
    await Promise.all(deliveries.map((q) => q.pause(true)));
    const started = await workers[1].get(CampaignRunsService).startManual('nudge', 'test');
    const users = workers[0].get(UsersService);
    const before = fcm.sent.length;
    try {
      const queued = async () => {
        const n = await notificationsOf(workers[0], started.runId);
        return ['moving', 'leaving', 'two-devices'].every((u) => n.get(u)?.state === 'queued');
      };
      await until(queued, 30_000);
      // One of two devices removed, and the only device removed, while the messages wait in the queue.
      const keepOnly = (userId: string, tokens: string[]) =>
        users.putUser(userId, {
          consent: { email: false, push: true },
          pushTokens: tokens.map((token) => ({ platform: 'fcm', token })),
        } as PutUserDto);
      await keepOnly('moving', ['kept-token']);
      await keepOnly('leaving', []);
    } finally {
      await Promise.all(deliveries.map((q) => q.resume(true)));
    }
    const run = await waitForRun(workers[1], started.runId, 60_000);
    expect(
      fcm.sent
        .slice(before)
        .map((s) => s.message.token)
        .sort(),
    ).toEqual(['kept-token', 'live-token']);
    const notifications = await notificationsOf(workers[0], run.runId);
    expect(notifications.get('moving')).toMatchObject({ state: 'sent' });
    expect(notifications.get('leaving')).toMatchObject({
      state: 'suppressed',
      reason: { code: 'no-address', rule: 'pushTokens' },
    });
  }, 90_000);

  it('settles a device removed after the message was queued as skipped, one by one and in a batch, and explains it', async () => {
    const users = workers[0].get(UsersService);
    const pairs = ['pair-one', 'pair-batch'];
    const tokens = (userId: string) => [`${userId}-kept`, `${userId}-dropped`];
    const withTokens = (userId: string, kept: string[]) =>
      users.putUser(userId, {
        consent: { email: false, push: true },
        pushTokens: kept.map((token) => ({ platform: 'fcm', token })),
      } as PutUserDto);
    for (const userId of pairs) {
      await seedUser(workers[0], userId, {
        now: new Date(),
        profile: {
          email: undefined,
          consent: { email: false, push: true },
          pushTokens: tokens(userId).map((token) => ({ platform: 'fcm' as const, token })),
        },
        journeys: [KITCHEN_JOURNEY],
      });
    }
    const deliveries = workers.map((w) => w.get<Queue>(getQueueToken(DELIVERY_QUEUE)));
    await Promise.all(deliveries.map((q) => q.pause(true)));
    const started = await workers[1].get(CampaignRunsService).startManual('nudge', 'test');
    try {
      await until(async () => {
        const n = await notificationsOf(workers[0], started.runId);
        return pairs.every((u) => n.get(u)?.state === 'queued');
      }, 30_000);
      // Each user removes one of their two devices while the message waits in the queue.
      for (const userId of pairs) await withTokens(userId, [tokens(userId)[0]]);
      const queued = await notificationsOf(workers[0], started.runId);
      await workers[0].get(NotificationDeliveryService).deliver(queued.get('pair-one')!.notificationId);
      await workers[0].get(NotificationBatchDelivery).deliverMany([queued.get('pair-batch')!.notificationId]);
    } finally {
      await Promise.all(deliveries.map((q) => q.resume(true)));
    }
    const run = await waitForRun(workers[1], started.runId, 60_000);
    const notifications = await notificationsOf(workers[0], run.runId);
    for (const userId of pairs) {
      expect(notifications.get(userId)).toMatchObject({
        state: 'sent',
        targets: [
          { to: { token: `${userId}-kept` }, state: 'accepted', provider: 'fcm' },
          {
            to: { token: `${userId}-dropped` },
            state: 'skipped',
            reason: { code: 'no-address', rule: 'pushTokens' },
          },
        ],
      });
      const why = await workers[0].get(RunExplainService).explain(run.runId, userId);
      expect(why.summary).toBe('sent (1 of 2 targets accepted, 1 skipped: no longer on the profile)');
      expect(formatExplanation(why)).toContain(
        "target fcm device: skipped (the device is no longer on the user's profile)",
      );
    }
    expect(fcm.sent.map((s) => s.message.token)).not.toContain('pair-one-dropped');
    expect(fcm.sent.map((s) => s.message.token)).not.toContain('pair-batch-dropped');
  }, 90_000);
});
