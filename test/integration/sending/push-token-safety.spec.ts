import { INestApplicationContext } from '@nestjs/common';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { TOKEN_REMOVAL_MIN_REFUSALS } from '../../../src/modules/delivery/domain/token-refusal-window';
import { UserRepository } from '../../../src/modules/ingest/user.repository';
import { FakeApns } from '../../setup/providers/apns-fake';
import { FakeFcm } from '../../setup/providers/fcm-fake';
import { campaignsDir } from '../campaigns/campaigns-harness';
import {
  activate,
  apnsEnv,
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
