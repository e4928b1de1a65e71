import { INestApplicationContext } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { UserRepository } from '../../../src/modules/ingest/user.repository';
import { FakeApns } from '../../setup/providers/apns-fake';
import { campaignsDir } from '../campaigns/campaigns-harness';
import {
  activate,
  apnsEnv,
  db,
  notificationsOf,
  NUDGE_CAMPAIGN,
  seedPushDevice,
  sendingSettings,
  startPushSendingContext,
  startServers,
  waitForRun,
} from './sending-harness';

const REINSTALLED = 'a1'.repeat(32);
const UNINSTALLED = 'b2'.repeat(32);
const EXPIRED = 'c3'.repeat(32);
const LEGACY = 'd4'.repeat(32);

describe('sending to APNs: a token APNs calls Unregistered', () => {
  let servers: Awaited<ReturnType<typeof startServers>>;
  let apns: FakeApns;
  let app: INestApplicationContext;
  const scratch = mkdtempSync(join(tmpdir(), 'jc-apns-'));

  const seedDevice = (userId: string, token: string) => seedPushDevice(app, userId, 'apns', token);

  beforeAll(async () => {
    [servers, apns] = await Promise.all([startServers(), FakeApns.start()]);
    const settings = sendingSettings(servers.mongo.uri, servers.redis, 'apns', {
      ...apnsEnv(apns, scratch),
      CAMPAIGNS_DIR: campaignsDir([NUDGE_CAMPAIGN]),
    });
    app = await startPushSendingContext(settings);
    await activate(app, 'nudge');
    // APNs found this token invalid, then the app registered it again and the profile listed it after that.
    const invalidBeforeReinstall = new Date(Date.now() - 60_000);
    await seedDevice('reinstalled', REINSTALLED);
    apns.failToken(REINSTALLED, 'Unregistered', invalidBeforeReinstall);
    // The profile listed these tokens before APNs found them invalid.
    await seedDevice('uninstalled', UNINSTALLED);
    await seedDevice('expired', EXPIRED);
    const invalidSinceProfile = new Date(Date.now() + 60_000);
    apns.failToken(UNINSTALLED, 'Unregistered', invalidSinceProfile);
    apns.failToken(EXPIRED, 'Unregistered');
    // A token stored before profiles kept when they listed it: APNs's time decides nothing, and it goes.
    await seedDevice('legacy', LEGACY);
    await db(app)
      .collection('users')
      .updateOne({ userId: 'legacy' }, { $unset: { 'pushTokens.0.registeredAt': 1 } });
    apns.failToken(LEGACY, 'Unregistered', invalidBeforeReinstall);
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([servers?.stop(), apns?.stop()]);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('keeps a token registered again after APNs found it invalid, and removes one registered before', async () => {
    const started = await app.get(CampaignRunsService).startManual('nudge', 'test');
    const run = await waitForRun(app, started.runId, 60_000);
    const notifications = await notificationsOf(app, run.runId);
    for (const userId of ['reinstalled', 'uninstalled', 'expired', 'legacy']) {
      expect(notifications.get(userId)).toMatchObject({
        state: 'failed',
        targets: [{ state: 'failed', error: expect.objectContaining({ providerCode: 'Unregistered' }) }],
      });
    }
    const tokensOf = async (userId: string) =>
      (await app.get(UserRepository).findByUserId(userId))!.pushTokens.map((t) => t.token);
    expect(await tokensOf('reinstalled')).toEqual([REINSTALLED]);
    expect(await tokensOf('uninstalled')).toEqual([]);
    expect(await tokensOf('expired')).toEqual([]);
    expect(await tokensOf('legacy')).toEqual([]);
  }, 90_000);
});
