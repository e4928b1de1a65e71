import { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { AccessModule } from '../../src/modules/access/access.module';
import { AccessService } from '../../src/modules/access/access.service';
import { CampaignMessagesModule } from '../../src/modules/campaigns/campaign-messages.module';
import { CampaignsService } from '../../src/modules/campaigns/campaigns.service';
import { campaignsDir, seedUser } from '../integration/campaigns/campaigns-harness';
import { cloneSeededUser, db, TEST_SIGNING_KEYS } from '../integration/sending/sending-harness';
import { startNestContext } from '../setup/nest-context';
import { SmtpSink } from '../setup/smtp-sink';
import { AppProcess, startProcess } from './support/app-process';
import { startTestServers, TestServers } from './support/test-app';

const DB = 'sending_crash';
/**
 * Recipients of the run. The default keeps `npm test` short on two shared cores; the documented run uses
 * `CRASH_TEST_RECIPIENTS=10000 npx jest test/e2e/sending-crash.e2e-spec.ts`.
 */
const RECIPIENTS = Number(process.env.CRASH_TEST_RECIPIENTS ?? 500);
const KILLS = 3;

const digest = {
  id: 'crash-digest',
  name: 'Crash digest',
  owner: 'growth',
  channel: 'email',
  schedule: { type: 'cron', cron: '0 9 * * 1', timeZone: 'UTC' },
  template: 'email/weekly-digest',
  copy: { variant: 'journey-template' },
};

/** An app process in `role`, ready once it listens (API) or has started taking jobs (worker). */
function startRole(role: 'api' | 'worker', env: Record<string, string>, ready: Set<AppProcess>): AppProcess {
  const pattern = role === 'api' ? /listening on (http:\/\/[\d.]+:\d+)/ : /\((worker)\) started/;
  const app = startProcess('src/main.ts', [], { ...env, APP_ROLE: role }, pattern);
  app.url.then(() => ready.add(app)).catch(() => undefined);
  return app;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`a ${RECIPIENTS}-recipient email run while workers are SIGKILLed`, () => {
  let servers: TestServers;
  let sink: SmtpSink;
  let seed: INestApplicationContext;
  let api: AppProcess;
  const workers: AppProcess[] = [];
  const ready = new Set<AppProcess>();
  let env: Record<string, string>;

  beforeAll(async () => {
    [servers, sink] = await Promise.all([startTestServers(), SmtpSink.start()]);
    env = {
      NODE_ENV: 'production',
      LOG_FORMAT: 'text',
      HOST: '127.0.0.1',
      PORT: '0',
      MONGODB_URI: `${servers.mongoUri}${DB}`,
      REDIS_URL: servers.redis.url,
      REDIS_PREFIX: DB,
      CAMPAIGNS_DIR: campaignsDir([digest]),
      SMTP_URL: sink.url,
      DELIVERY_RATE_SMTP: '0',
      TRACKING_SIGNING_KEYS: TEST_SIGNING_KEYS,
      PUBLIC_BASE_URL: 'https://t.example.com',
      CAMPAIGN_SCHEDULES_ENABLED: 'false',
      JOURNEYS_SCHEDULE_ENABLED: 'false',
      RANKER_SCHEDULE_ENABLED: 'false',
      // Short locks and leases, so the work of a killed worker is taken over within seconds.
      DELIVERY_LEASE_MS: '3000',
      DELIVERY_LOCK_DURATION_MS: '3000',
      DELIVERY_STALLED_INTERVAL_MS: '1000',
      CAMPAIGN_RUNS_LOCK_DURATION_MS: '3000',
      CAMPAIGN_RUNS_STALLED_INTERVAL_MS: '1000',
      CAMPAIGN_RUNS_JOB_BACKOFF_MS: '200',
    };
    const { NODE_ENV: _production, LOG_FORMAT: _format, HOST: _host, PORT: _port, ...settingsEnv } = env;
    seed = await startNestContext(loadConfig({ NODE_ENV: 'test', ...settingsEnv }), [
      CampaignMessagesModule,
      AccessModule,
    ]);
    const now = new Date();
    const journeys = [{ name: 'Kitchen Remodel', keywords: ['kitchen remodel', 'backsplash tile'] }];
    await seedUser(seed, 'template', { now, profile: { email: 'template@example.com' }, journeys });
    const ids = Array.from({ length: RECIPIENTS - 1 }, (_, i) => `r${String(i).padStart(5, '0')}`);
    await cloneSeededUser(db(seed), 'template', ids, (id) => `${id}@example.com`);
    await seed.get(CampaignsService).sync('test');
    await seed.get(CampaignsService).activate(digest.id, 'test');
    api = startRole('api', env, ready);
    workers.push(startRole('worker', env, ready), startRole('worker', env, ready));
    await Promise.all([api.url, ...workers.map((w) => w.url)]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([api, ...workers].map((p) => p?.stop()));
    await seed?.close();
    await Promise.all([servers?.stop(), sink?.stop()]);
  }, 60_000);

  it('sends every eligible recipient exactly once, any second copy only inside the stated window', async () => {
    const admin = (await seed.get(AccessService).createKey({ name: 'crash', scopes: ['admin'] })).token;
    const http = request(await api.url);
    const started = await http
      .post('/v1/campaign-runs')
      .set('Authorization', `Bearer ${admin}`)
      .send({ campaignId: digest.id })
      .expect(201);
    const runId = started.body.runId as string;

    // SIGKILL a random worker at random moments while the run goes on, then start a new one in its place.
    let kills = 0;
    let run: { state: string; counts: Record<string, unknown> } = { state: 'scheduled', counts: {} };
    const deadline = Date.now() + 600_000;
    while (!['completed', 'cancelled', 'failed'].includes(run.state) && Date.now() < deadline) {
      await sleep(kills < KILLS ? 300 + Math.random() * 1500 : 500);
      run = (await http.get(`/v1/campaign-runs/${runId}`).set('Authorization', `Bearer ${admin}`).expect(200)).body;
      // Only a worker that is up and taking jobs is killed, never one still starting.
      const up = workers.flatMap((w, i) => (ready.has(w) ? [i] : []));
      if (kills < KILLS && run.state === 'running' && up.length > 0) {
        const index = up[Math.floor(Math.random() * up.length)];
        await workers[index].stop('SIGKILL');
        workers[index] = startRole('worker', env, ready);
        kills++;
      }
    }
    expect(run.state).toBe('completed');
    expect(kills).toBeGreaterThan(0);
    expect(run.counts).toMatchObject({ audience: RECIPIENTS, sent: RECIPIENTS, failed: 0, queued: 0, sending: 0 });

    const copies = new Map<string, number>();
    for (const mail of sink.messages) for (const to of mail.to) copies.set(to, (copies.get(to) ?? 0) + 1);
    const missing = [...Array(RECIPIENTS).keys()].filter(
      (i) => !copies.has(i === 0 ? 'template@example.com' : `r${String(i - 1).padStart(5, '0')}@example.com`),
    );
    expect(missing).toEqual([]);
    // A second copy is only acceptable from an attempt that was cut off after the SMTP server accepted the
    // message and before its record was written: its notification shows an interrupted attempt.
    const twice = [...copies].filter(([, n]) => n > 1).map(([address]) => address);
    const interrupted = new Set(
      (
        await db(seed)
          .collection('notifications')
          .find({ runId, 'attempts.outcome': 'interrupted' }, { projection: { userId: 1 } })
          .toArray()
      ).map((n) => `${n.userId as string}@example.com`),
    );
    console.log(
      `crash test: ${RECIPIENTS} recipients, ${kills} SIGKILLs, ${sink.messages.length} messages received, ` +
        `${interrupted.size} attempts interrupted, ${sink.connectionErrors.length} SMTP session(s) cut, ` +
        `${twice.length} recipient(s) with a second copy (the window)`,
    );
    for (const address of twice) expect(interrupted.has(address)).toBe(true);
  }, 900_000);
});
