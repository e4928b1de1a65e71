import { INestApplicationContext } from '@nestjs/common';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { TOKEN_REMOVAL_MIN_REFUSALS } from '../../../src/modules/delivery/domain/token-refusal-window';
import { UserRepository } from '../../../src/modules/ingest/user.repository';
import { FakeApns } from '../../setup/providers/apns-fake';
import { FakeFcm } from '../../setup/providers/fcm-fake';
import { campaignsDir, seedUser } from '../campaigns/campaigns-harness';
import {
  activate,
  apnsEnv,
  KITCHEN_JOURNEY,
  notificationsOf,
  NUDGE_CAMPAIGN,
  seedPushDevice,
  sendingSettings,
  startPushSendingContext,
  startServers,
  waitForRun,
} from './sending-harness';

/** Every APNs token of these users is answered BadDeviceToken, as a production APNS_URL answers sandbox tokens. */
const REFUSED = Array.from({ length: 30 }, (_, i) => `refused-${i}`);
const tokenOf = (i: number) => i.toString(16).padStart(2, '0').repeat(32);
const WRONG_TOPIC = 'e5'.repeat(32);
const UNINSTALLED = 'f6'.repeat(32);

describe('sending push: a refusal that may be our settings never empties the profiles of their tokens', () => {
  let servers: Awaited<ReturnType<typeof startServers>>;
  let apns: FakeApns;
  let fcm: FakeFcm;
  let app: INestApplicationContext;
  const scratch = mkdtempSync(join(tmpdir(), 'jc-token-safety-'));

  const tokensOf = async (userId: string) =>
    (await app.get(UserRepository).findByUserId(userId))!.pushTokens.map((t) => t.token);

  beforeAll(async () => {
    [servers, apns, fcm] = await Promise.all([startServers(), FakeApns.start(), FakeFcm.start('demo-app')]);
    const serviceAccount = join(scratch, 'service-account.json');
    writeFileSync(serviceAccount, fcm.serviceAccountJson());
    const settings = sendingSettings(servers.mongo.uri, servers.redis, 'token-safety', {
      ...apnsEnv(apns, scratch),
      CAMPAIGNS_DIR: campaignsDir([NUDGE_CAMPAIGN]),
      FCM_SERVICE_ACCOUNT_FILE: serviceAccount,
      FCM_API_URL: fcm.baseUrl,
      DELIVERY_RATE_FCM: '0',
    });
    app = await startPushSendingContext(settings);
    await activate(app, 'nudge');
    for (const [i, userId] of REFUSED.entries()) {
      await seedPushDevice(app, userId, 'apns', tokenOf(i));
      apns.failToken(tokenOf(i), 'BadDeviceToken');
    }
    await seedPushDevice(app, 'wrong-topic', 'apns', WRONG_TOPIC);
    apns.failToken(WRONG_TOPIC, 'DeviceTokenNotForTopic');
    await seedPushDevice(app, 'uninstalled', 'apns', UNINSTALLED);
    apns.failToken(UNINSTALLED, 'Unregistered');
    await seedPushDevice(app, 'other-project', 'fcm', 'other-project-token');
    fcm.failToken('other-project-token', 'SENDER_ID_MISMATCH');
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([servers?.stop(), apns?.stop(), fcm?.stop()]);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('keeps tokens refused for our settings, stops removing BadDeviceToken tokens, and still removes a 410', async () => {
    const started = await app.get(CampaignRunsService).startManual('nudge', 'test');
    const run = await waitForRun(app, started.runId, 60_000);
    const notifications = await notificationsOf(app, run.runId);

    // A wrong APNS_BUNDLE_ID or service account: the message fails, the token stays.
    expect(notifications.get('wrong-topic')).toMatchObject({
      state: 'failed',
      targets: [
        { state: 'failed', error: expect.objectContaining({ code: 'delivery.misconfigured', action: 'none' }) },
      ],
    });
    expect(notifications.get('other-project')).toMatchObject({
      state: 'failed',
      targets: [
        { state: 'failed', error: expect.objectContaining({ code: 'delivery.misconfigured', action: 'none' }) },
      ],
    });
    expect(await tokensOf('wrong-topic')).toEqual([WRONG_TOPIC]);
    expect(await tokensOf('other-project')).toEqual(['other-project-token']);

    // Every BadDeviceToken message fails; at most the valve's allowance of tokens goes before it closes.
    for (const userId of REFUSED) expect(notifications.get(userId)).toMatchObject({ state: 'failed' });
    const removed = (await Promise.all(REFUSED.map(tokensOf))).filter((tokens) => tokens.length === 0).length;
    expect(removed).toBeLessThan(TOKEN_REMOVAL_MIN_REFUSALS);

    // An unambiguous 410 removes the token even with the valve closed.
    expect(notifications.get('uninstalled')).toMatchObject({ state: 'failed' });
    expect(await tokensOf('uninstalled')).toEqual([]);
  }, 90_000);
});

/** Users whose every APNs token is answered BadDeviceToken, as a production APNS_URL answers sandbox tokens. */
const FIRST = Array.from({ length: 20 }, (_, i) => `first-${i}`);
const LATER = Array.from({ length: 5 }, (_, i) => `later-${i}`);

describe('sending push: the workers of a deployment share one count of refusals that may be our settings', () => {
  let servers: Awaited<ReturnType<typeof startServers>>;
  /**
   * APNs as each worker reaches it: the fake refuses a provider token signed less than 20 minutes after the one it
   * last took up, as Apple does, so each worker here has a fake of its own, with a signing key of its own.
   */
  let apns: FakeApns[];
  const workers: INestApplicationContext[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'jc-token-fleet-'));

  /** A worker of the deployment: the shared database, Redis and campaigns, and the `n`th APNs fake. */
  async function startWorker(n: number): Promise<INestApplicationContext> {
    const dir = join(scratch, `worker-${n}`);
    mkdirSync(dir);
    const worker = await startPushSendingContext(
      sendingSettings(servers.mongo.uri, servers.redis, 'token-fleet', {
        ...apnsEnv(apns[n], dir),
        CAMPAIGNS_DIR: campaignsDir([NUDGE_CAMPAIGN]),
      }),
    );
    workers.push(worker);
    return worker;
  }

  async function seedRefused(app: INestApplicationContext, userIds: readonly string[], from: number): Promise<void> {
    for (const [i, userId] of userIds.entries()) {
      await seedPushDevice(app, userId, 'apns', tokenOf(from + i));
      for (const fake of apns) fake.failToken(tokenOf(from + i), 'BadDeviceToken');
    }
  }

  async function runNudge(app: INestApplicationContext) {
    const started = await app.get(CampaignRunsService).startManual('nudge', 'test');
    const run = await waitForRun(app, started.runId, 60_000);
    return notificationsOf(app, run.runId);
  }

  beforeAll(async () => {
    [servers, ...apns] = await Promise.all([startServers(), FakeApns.start(), FakeApns.start()]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await Promise.all([servers?.stop(), ...(apns ?? []).map((fake) => fake.stop())]);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('removes no more BadDeviceToken tokens on a worker started after another one stopped removing them', async () => {
    const first = await startWorker(0);
    await activate(first, 'nudge');
    await seedRefused(first, FIRST, 0);
    const firstRun = await runNudge(first);
    for (const userId of FIRST) expect(firstRun.get(userId)).toMatchObject({ state: 'failed' });
    await first.close();
    workers.splice(0, 1);

    // Another worker (or the same one restarted) sends the next run, to a few new users with the same refusals: the
    // first ones no longer consent to push.
    const second = await startWorker(1);
    await seedRefused(second, LATER, FIRST.length);
    for (const [i, userId] of FIRST.entries()) {
      await seedUser(second, userId, {
        now: new Date(),
        profile: {
          email: undefined,
          consent: { email: false, push: false },
          pushTokens: [{ platform: 'apns', token: tokenOf(i) }],
        },
        journeys: [KITCHEN_JOURNEY],
      });
    }
    const secondRun = await runNudge(second);
    for (const userId of LATER) expect(secondRun.get(userId)).toMatchObject({ state: 'failed' });
    for (const userId of FIRST) expect(secondRun.get(userId)?.attempts ?? []).toEqual([]);

    const users = second.get(UserRepository);
    const emptied = [];
    for (const userId of [...FIRST, ...LATER]) {
      if ((await users.findByUserId(userId))!.pushTokens.length === 0) emptied.push(userId);
    }
    expect(emptied.filter((userId) => userId.startsWith('later-'))).toEqual([]);
    expect(emptied.length).toBeLessThan(TOKEN_REMOVAL_MIN_REFUSALS);
  }, 120_000);
});
