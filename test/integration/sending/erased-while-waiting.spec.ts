import { INestApplicationContext } from '@nestjs/common';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { UserErasureRegistry } from '../../../src/common/erasure/user-erasure.registry';
import { CampaignRunsProducer } from '../../../src/modules/campaigns/runs/jobs/campaign-runs.queue';
import { RunCompletion } from '../../../src/modules/campaigns/runs/run-completion';
import { UsersService } from '../../../src/modules/ingest/users.service';
import { SmtpSink } from '../../setup/smtp-sink';
import { zoneAt } from '../../setup/zones';
import { campaignsDir, seedUser } from '../campaigns/campaigns-harness';
import {
  activate,
  insertRunningRun,
  KITCHEN_JOURNEY,
  NIGHTLY_CAMPAIGN,
  notificationsOf,
  startSending,
  until,
  waitForRun,
} from './sending-harness';

/**
 * A run completes when its last notification settles. A user erased while their message waits (for the end
 * of their night) takes that notification with them, and no delivery will ever settle it: the erasure itself
 * must let the run complete.
 */
describe('a run whose last waiting message is erased with its user', () => {
  let sink: SmtpSink;
  let app: INestApplicationContext;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    ({ app, stop } = await startSending('erased-while-waiting', {
      CAMPAIGNS_DIR: campaignsDir([NIGHTLY_CAMPAIGN]),
      SMTP_URL: sink.url,
    }));
    await activate(app, NIGHTLY_CAMPAIGN.id);
  });

  afterAll(async () => {
    await stop?.();
    await sink?.stop();
  });

  it('completes once the user is erased, counting only the message that went out', async () => {
    const now = new Date();
    await seedUser(app, 'day', {
      now,
      profile: { email: 'day@example.com', timeZone: zoneAt(14) },
      journeys: [KITCHEN_JOURNEY],
    });
    await seedUser(app, 'night', {
      now,
      profile: { email: 'night@example.com', timeZone: zoneAt(2) },
      journeys: [KITCHEN_JOURNEY],
    });
    const runs = app.get(CampaignRunsService);
    const { runId } = await runs.startManual(NIGHTLY_CAMPAIGN.id, 'test');
    await until(async () => sink.to('day@example.com').length === 1, 20_000);
    const waiting = async () => (await notificationsOf(app, runId)).get('night');
    await until(
      async () => (await waiting())?.state === 'queued' && (await waiting())?.notBefore !== undefined,
      10_000,
    );
    expect((await waiting())!.notBefore!.getTime()).toBeGreaterThan(Date.now() + 3_600_000);
    // Its only unsettled notification is the one waiting for the morning.
    await new Promise((r) => setTimeout(r, 500));
    expect((await runs.get(runId)).state).toBe('running');

    await app.get(UsersService).eraseUser('night');

    const run = await waitForRun(app, runId, 5_000);
    expect(run.state).toBe('completed');
    expect(run.counts).toMatchObject({ sent: 1 });
    expect(await waiting()).toBeUndefined();
    expect(sink.to('night@example.com')).toHaveLength(0);
  });

  it('counts an erased waiting message out of a run still running, and completes with the last one', async () => {
    const now = new Date();
    for (const userId of ['owl', 'bat']) {
      await seedUser(app, userId, {
        now,
        profile: { email: `${userId}@example.com`, timeZone: zoneAt(2) },
        journeys: [KITCHEN_JOURNEY],
      });
    }
    const runs = app.get(CampaignRunsService);
    const { runId } = await runs.startManual(NIGHTLY_CAMPAIGN.id, 'test');
    const states = async () => [...(await notificationsOf(app, runId)).values()].map((n) => n.state);
    // The first test's daytime user gets this one too; the two night owls wait for the morning.
    await until(async () => sink.to('day@example.com').length === 2, 20_000);
    await until(async () => (await states()).filter((s) => s === 'queued').length === 2, 10_000);

    await app.get(UsersService).eraseUser('owl');

    const running = await runs.get(runId);
    expect(running.state).toBe('running');
    expect(running.counts).toMatchObject({ audience: 2, queued: 1, sent: 1 });

    await app.get(UsersService).eraseUser('bat');

    expect(await waitForRun(app, runId, 5_000)).toMatchObject({
      state: 'completed',
      counts: { audience: 1, queued: 0, sent: 1 },
    });
  });

  it('leaves a run with nothing left that no check completed to the scheduled completion', async () => {
    // A run whose last check was lost (its worker died after the last delivery): running, nothing to do.
    const runId = 'nightly-with-nothing-left';
    await insertRunningRun(app, NIGHTLY_CAMPAIGN.id, runId);
    await new Promise((r) => setTimeout(r, 300));
    expect((await app.get(CampaignRunsService).get(runId)).state).toBe('running');

    await app.get(CampaignRunsProducer).scheduleCompletion('* * * * * *');

    expect(await waitForRun(app, runId, 5_000)).toMatchObject({ state: 'completed' });
  });

  it('counts the erased user out of a run another check completed while their erasure ran', async () => {
    await seedUser(app, 'moth', {
      now: new Date(),
      profile: { email: 'moth@example.com', timeZone: zoneAt(2) },
      journeys: [KITCHEN_JOURNEY],
    });
    const runs = app.get(CampaignRunsService);
    const { runId } = await runs.startManual(NIGHTLY_CAMPAIGN.id, 'test');
    const states = async () => [...(await notificationsOf(app, runId)).values()].map((n) => n.state);
    await until(async () => sink.to('day@example.com').length === 3, 20_000);
    await until(async () => (await states()).filter((s) => s === 'queued').length === 1, 10_000);
    // Another worker's completion check lands between the phase that takes the user's waiting message away
    // and the one that takes them out of the run's audience (registered last: no test after this one).
    let checked = false;
    app.get(UserErasureRegistry).register({
      name: 'completionCheckMeanwhile',
      phase: 'events',
      erase: async () => {
        checked = await app.get(RunCompletion).completeIfDone(runId);
        return 0;
      },
    });

    await app.get(UsersService).eraseUser('moth');

    expect(checked).toBe(true);
    expect(await runs.get(runId)).toMatchObject({
      state: 'completed',
      counts: { audience: 1, queued: 0, sent: 1 },
    });
  });
});
