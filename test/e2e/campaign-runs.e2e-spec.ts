import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignRunsService } from '../../src/modules/campaigns/runs/campaign-runs.service';
import { CampaignsService } from '../../src/modules/campaigns/campaigns.service';
import { PutUserDto } from '../../src/modules/ingest/dto/put-user.dto';
import { UsersService } from '../../src/modules/ingest/users.service';
import { RecipientPreferencesService } from '../../src/modules/tracking/recipient-preferences.service';
import { campaignsDir, seedUser } from '../integration/campaigns/campaigns-harness';
import { TEST_SIGNING_KEYS } from '../integration/sending/sending-harness';
import { SmtpSink } from '../setup/smtp-sink';
import { zoneAt } from '../setup/zones';
import { journeycast } from './support/cli';
import { createTestApp, TestApp, TestServers, startTestServers } from './support/test-app';

const DB = 'campaign_runs_e2e';

interface RunBody {
  runId: string;
  state: string;
  counts: { sent: number; suppressed: Record<string, number> };
}
const kitchen = { name: 'Kitchen Remodel', keywords: ['kitchen remodel', 'backsplash tile'] };

const email = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: id,
  owner: 'growth',
  channel: 'email',
  category: 'tips',
  schedule: { type: 'cron', cron: '0 9 * * 1', timeZone: 'Europe/Paris' },
  template: 'email/weekly-digest',
  copy: { variant: 'journey-template' },
  ...extra,
});
const morning = email('morning', { schedule: { type: 'local-hour', hour: 9 } });
const nightly = email('nightly', {
  category: 'nightly',
  quietHours: { start: '21:00', end: '08:00', whenQuiet: 'delay' },
});
const HOUR = 3_600_000;

describe('campaign runs over HTTP and the CLI', () => {
  let servers: TestServers;
  let sink: SmtpSink;
  let t: TestApp;
  let admin: string;
  let env: Record<string, string>;
  let outbox: string;
  const auth = () => ({ Authorization: `Bearer ${admin}` });
  const now = new Date();

  /** Polls GET /v1/campaign-runs/:id until the run is finished. */
  async function finished(runId: string): Promise<RunBody> {
    for (let i = 0; i < 300; i++) {
      const res = await t.http().get(`/v1/campaign-runs/${runId}`).set(auth()).expect(200);
      if (['completed', 'cancelled', 'failed'].includes(res.body.state)) return res.body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`run ${runId} did not finish`);
  }

  beforeAll(async () => {
    [servers, sink] = await Promise.all([startTestServers(), SmtpSink.start()]);
    outbox = mkdtempSync(join(tmpdir(), 'jc-e2e-outbox-'));
    const common = {
      CAMPAIGNS_DIR: campaignsDir([
        email('tips'),
        email('news', { category: 'news' }),
        email('offers', { category: 'offers' }),
        email('retried', { category: 'retried' }),
        morning,
        nightly,
      ]),
      SMTP_URL: sink.url,
      DELIVERY_OUTBOX_DIR: outbox,
      DELIVERY_RATE_SMTP: '0',
      TRACKING_SIGNING_KEYS: TEST_SIGNING_KEYS,
      PUBLIC_BASE_URL: 'https://t.example.com',
      CAMPAIGN_SCHEDULES_ENABLED: 'false',
      JOURNEYS_SCHEDULE_ENABLED: 'false',
      RANKER_SCHEDULE_ENABLED: 'false',
    };
    env = { ...common, MONGODB_URI: `${servers.mongoUri}${DB}`, REDIS_URL: servers.redis.url, REDIS_PREFIX: DB };
    t = await createTestApp(servers, { database: DB, env: common });
    admin = await t.createKey('admin');
    for (const userId of ['ana', 'ben', 'cy']) {
      await seedUser(t.app, userId, { now, profile: { email: `${userId}@example.com` }, journeys: [kitchen] });
    }
    await seedUser(t.app, 'dot', {
      now,
      profile: { email: 'dot@example.com', consent: { email: false, push: true } },
      journeys: [kitchen],
    });
    const campaigns = t.app.get(CampaignsService);
    await campaigns.sync('test');
    for (const id of ['tips', 'news', 'offers', 'retried', 'morning', 'nightly']) await campaigns.activate(id, 'test');
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await Promise.all([servers?.stop(), sink?.stop()]);
    rmSync(outbox, { recursive: true, force: true });
  }, 30_000);

  it('refuses a bad start by field and stores nothing', async () => {
    const missing = await t.http().post('/v1/campaign-runs').set(auth()).send({}).expect(400);
    expect(JSON.stringify(missing.body)).toContain('campaignId');
    const unknown = await t.http().post('/v1/campaign-runs').set(auth()).send({ campaignId: 'tips', x: 1 }).expect(400);
    expect(JSON.stringify(unknown.body)).toContain('x');
    await t.http().post('/v1/campaign-runs').set(auth()).send({ campaignId: 'nope' }).expect(404);
    await t.http().get('/v1/campaign-runs?limit=0').set(auth()).expect(400);
    await t.http().get('/v1/campaign-runs/nope').set(auth()).expect(404);
    expect(await t.db().collection('campaign_runs').countDocuments()).toBe(0);
  });

  it('runs a campaign from the API: one email per eligible user, counters, and the why of each user', async () => {
    const started = await t.http().post('/v1/campaign-runs').set(auth()).send({ campaignId: 'tips' }).expect(201);
    expect(started.body).toMatchObject({ campaignId: 'tips', trigger: 'manual' });
    const run = await finished(started.body.runId);
    // The audience query itself leaves out users without consent for the channel.
    expect(run).toMatchObject({ state: 'completed', counts: { audience: 3, sent: 3, queued: 0, failed: 0 } });
    expect(run.counts.suppressed).toEqual({});
    for (const u of ['ana', 'ben', 'cy']) expect(sink.to(`${u}@example.com`)).toHaveLength(1);

    const list = await t.http().get('/v1/campaign-runs?campaignId=tips').set(auth()).expect(200);
    expect(list.body.map((r: { runId: string }) => r.runId)).toEqual([run.runId]);

    const sent = await t.http().get(`/v1/campaign-runs/${run.runId}/users/ana`).set(auth()).expect(200);
    expect(sent.body).toMatchObject({
      inAudience: true,
      summary: expect.stringMatching(/^sent/),
      notification: {
        state: 'sent',
        variant: { copy: 'journey-template' },
        copySource: 'template',
        targets: [{ state: 'accepted', provider: 'smtp', providerMessageId: expect.any(String) }],
        attempts: [{ outcome: 'accepted' }],
      },
    });
    expect(sent.body.notification.render).toBeDefined();
    const refused = await t.http().get(`/v1/campaign-runs/${run.runId}/users/dot`).set(auth()).expect(200);
    expect(refused.body).toMatchObject({ inAudience: false, audienceCheck: { skip: { code: 'no-consent' } } });
    const stranger = await t.http().get(`/v1/campaign-runs/${run.runId}/users/zed`).set(auth()).expect(200);
    expect(stranger.body).toMatchObject({ inAudience: false, audienceCheck: { skip: { code: 'no-profile' } } });
  });

  it('does not send again to a user who unsubscribed between two runs', async () => {
    const first = await finished(
      (await t.http().post('/v1/campaign-runs').set(auth()).send({ campaignId: 'news' }).expect(201)).body.runId,
    );
    expect(first.counts.sent).toBe(3);
    await t.app
      .get(RecipientPreferencesService)
      .unsubscribe({ userId: 'ben', category: 'news', at: new Date(), source: 'one-click' });
    const second = await finished(
      (await t.http().post('/v1/campaign-runs').set(auth()).send({ campaignId: 'news' }).expect(201)).body.runId,
    );
    expect(second.counts).toMatchObject({ sent: 2, suppressed: { unsubscribed: 1 } });
    expect(sink.to('ben@example.com')).toHaveLength(2); // one from 'tips', one from the first 'news' run
    const why = await t.http().get(`/v1/campaign-runs/${second.runId}/users/ben`).set(auth()).expect(200);
    expect(why.body.summary).toMatch(/unsubscribed|category/);
  });

  it('pauses, resumes and cancels a run whose users wait for their local hour', async () => {
    // A scheduler firing of the local-hour campaign: tomorrow's 09:00 in each user's zone is hours away.
    const run = await t.app.get(CampaignRunsService).startScheduled('morning', new Date());
    const runId = run!.runId;
    for (let i = 0; i < 100 && (await t.app.get(CampaignRunsService).get(runId)).state !== 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    // Nobody is composed before their send time: the run says so, with when the first and last of them are due.
    let shown = (await t.http().get(`/v1/campaign-runs/${runId}`).set(auth()).expect(200)).body;
    for (let i = 0; i < 100 && shown.counts.pending !== 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      shown = (await t.http().get(`/v1/campaign-runs/${runId}`).set(auth()).expect(200)).body;
    }
    expect(shown.waiting).toMatchObject({ queued: 0, dueNow: 0, pendingSendTime: { count: 3 } });
    const { earliest, latest } = shown.waiting.pendingSendTime;
    expect(Date.parse(earliest)).toBeGreaterThan(Date.now());
    expect(Date.parse(latest)).toBeGreaterThanOrEqual(Date.parse(earliest));
    expect(new Date(latest).getUTCHours()).toBe(9); // the users have no zone: 09:00 UTC
    // Lists leave it out (one read per run shown), as does a finished run.
    const listed = await t.http().get('/v1/campaign-runs?campaignId=morning').set(auth()).expect(200);
    expect(listed.body[0]).not.toHaveProperty('waiting');

    const paused = await t.http().post(`/v1/campaign-runs/${runId}:pause`).set(auth()).expect(200);
    expect(paused.body.state).toBe('paused');
    const held = await t.http().get(`/v1/campaign-runs/${runId}`).set(auth()).expect(200);
    expect(held.body.waiting).toMatchObject({ runPaused: 3, pendingSendTime: { count: 3 } });
    await t.http().post(`/v1/campaign-runs/${runId}:resume`).set(auth()).expect(200);
    const cancelled = await t.http().post(`/v1/campaign-runs/${runId}:cancel`).set(auth()).expect(200);
    expect(cancelled.body.state).toBe('cancelled');
    const ended = await t.http().get(`/v1/campaign-runs/${runId}`).set(auth()).expect(200);
    expect(ended.body).not.toHaveProperty('waiting');
    const again = await t.http().post(`/v1/campaign-runs/${runId}:resume`).set(auth()).expect(409);
    expect(again.body.code).toBe('campaign.run-conflict');
    expect(sink.messages.filter((m) => m.raw.includes('morning')).length).toBe(0);
  });

  it('runs a campaign from the CLI with --wait and explains a user', async () => {
    const result = await journeycast(['campaigns', 'run', 'news', '--wait', '--timeout', '120'], env);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    const runId = result.stdout.split('\n')[0].trim();
    expect(result.stdout).toMatch(/state\s+completed/);
    expect(result.stdout).toMatch(/eligible\s+2: sent 2/);
    expect(sink.to('ben@example.com')).toHaveLength(2);

    const explain = await journeycast(['runs', 'explain', runId, 'ben'], env);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toMatch(/ben in .*: suppressed by category: the user unsubscribed from news/);
    // The API answers a no-profile skip for a user never heard of; the CLI says they do not exist.
    const stranger = await journeycast(['runs', 'explain', runId, 'nobody'], env);
    expect(stranger).toMatchObject({ code: 1, stdout: '' });
    expect(stranger.stderr.trim()).toBe('user nobody not found (no profile and no events)');
  }, 240_000);

  it('sends nothing to an address the operator imported into the suppression list, and sends again once it is lifted', async () => {
    const addresses = [
      { address: 'Ana@Example.com', reason: 'complaint' },
      { address: 'cy@example.com', reason: 'hard-bounce' },
    ];
    await t.http().post('/v1/suppressions:import').set(auth()).send({ addresses }).expect(200);
    await t.http().delete('/v1/suppressions/CY@EXAMPLE.COM').set(auth()).expect(204);
    const before = Object.fromEntries(['ana', 'ben', 'cy'].map((u) => [u, sink.to(`${u}@example.com`).length]));

    const run = await finished(
      (await t.http().post('/v1/campaign-runs').set(auth()).send({ campaignId: 'offers' }).expect(201)).body.runId,
    );

    expect(run.counts).toMatchObject({ sent: 2, suppressed: { suppressed: 1 } });
    expect(sink.to('ana@example.com')).toHaveLength(before.ana);
    expect(sink.to('ben@example.com')).toHaveLength(before.ben + 1);
    expect(sink.to('cy@example.com')).toHaveLength(before.cy + 1);
    const why = await t.http().get(`/v1/campaign-runs/${run.runId}/users/ana`).set(auth()).expect(200);
    expect(why.body).toMatchObject({ notification: { state: 'suppressed', reason: { code: 'suppressed' } } });
    expect(why.body.summary).toMatch(/complaint/);
  });

  it('answers a start retried with its Idempotency-Key with the same run, back to back and at once, and each user gets one email', async () => {
    const before = sink.to('cy@example.com').length;
    const start = (key: string, body: object = { campaignId: 'retried' }) =>
      t.http().post('/v1/campaign-runs').set(auth()).set('Idempotency-Key', key).send(body);
    const first = await start('retry-1').expect(201);
    const again = await start('retry-1').expect(201);
    expect(again.body.runId).toBe(first.body.runId);
    const [a, b, c] = await Promise.all([start('retry-2'), start('retry-2'), start('retry-2')]);
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect(new Set([a.body.runId, b.body.runId, c.body.runId]).size).toBe(1);
    expect(a.body.runId).not.toBe(first.body.runId);

    const other = await start('retry-1', { campaignId: 'tips' }).expect(409);
    expect(other.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    const empty = await t
      .http()
      .post('/v1/campaign-runs')
      .set(auth())
      .set('Idempotency-Key', '')
      .send({ campaignId: 'retried' })
      .expect(400);
    expect(empty.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);

    for (const runId of [first.body.runId, a.body.runId]) await finished(runId);
    expect(await t.db().collection('campaign_runs').countDocuments({ campaignId: 'retried' })).toBe(2);
    expect(sink.to('cy@example.com').length - before).toBe(2);
    const replay = await start('retry-1').expect(201);
    expect(replay.body).toMatchObject({ runId: first.body.runId, state: 'completed' });
  });

  describe('a run whose messages wait for the end of quiet hours', () => {
    let runId: string;
    const morningOf = (hour: number) => Date.now() + (8 - hour) * HOUR; // 08:00 where it is `hour` now

    beforeAll(async () => {
      // Where it is 02:00 for ana and 03:00 for ben and cy: their nights end an hour apart.
      const zones: Record<string, string> = { ana: zoneAt(2), ben: zoneAt(3), cy: zoneAt(3) };
      for (const [userId, timeZone] of Object.entries(zones)) {
        const profile = { email: `${userId}@example.com`, timeZone, consent: { email: true, push: true } };
        await t.app.get(UsersService).putUser(userId, profile as PutUserDto);
      }
      // Back on the list of addresses that get mail, whatever an earlier test imported.
      await t.http().delete('/v1/suppressions/ana@example.com').set(auth());
    });

    it('says over HTTP how many wait for the morning, and when the first and the last night end', async () => {
      runId = (await t.http().post('/v1/campaign-runs').set(auth()).send({ campaignId: 'nightly' }).expect(201)).body
        .runId;
      let body = (await t.http().get(`/v1/campaign-runs/${runId}`).set(auth()).expect(200)).body;
      for (let i = 0; i < 300 && body.waiting?.quietHours?.count !== 3; i++) {
        await new Promise((r) => setTimeout(r, 100));
        body = (await t.http().get(`/v1/campaign-runs/${runId}`).set(auth()).expect(200)).body;
      }
      expect(body).toMatchObject({ state: 'running', counts: { queued: 3, sent: 0 } });
      expect(body.waiting).toMatchObject({ queued: 3, dueNow: 0, quietHours: { count: 3 } });
      expect(body.waiting).not.toHaveProperty('localSend');
      const { earliest, latest } = body.waiting.quietHours;
      // The minutes past the hour make each end up to an hour from the whole hour.
      expect(Math.abs(Date.parse(earliest) - morningOf(3))).toBeLessThanOrEqual(HOUR);
      expect(Math.abs(Date.parse(latest) - morningOf(2))).toBeLessThanOrEqual(HOUR);
      expect(Date.parse(latest) - Date.parse(earliest)).toBe(HOUR);
    }, 60_000);

    it('shows it in runs show, and campaigns run --wait says it all waits past --timeout and exits 1', async () => {
      const show = await journeycast(['runs', 'show', runId], env);
      expect(show.code).toBe(0);
      expect(show.stdout).toMatch(/^waiting\s+3 queued: quiet hours 3, ends \S+Z to \S+Z$/m);

      const wait = await journeycast(['campaigns', 'run', 'nightly', '--wait', '--timeout', '120'], env);
      expect(wait.code).toBe(1);
      expect(wait.stderr).toMatch(/^waiting: 3 queued: quiet hours 3, ends \S+Z to \S+Z$/m);
      expect(wait.stderr).toMatch(
        /everything left waits past --timeout 120 s: the first wait ends at \S+Z; not waiting/,
      );
      expect(wait.stderr).not.toMatch(/still running after/);
      // A line when what it waits for changes, not one per poll.
      const waits = wait.stderr.split('\n').filter((l) => l.startsWith('waiting:'));
      expect(waits.filter((l) => l.includes('quiet hours'))).toHaveLength(1);
      expect(waits.every((l, i) => i === 0 || l !== waits[i - 1])).toBe(true);
      expect(wait.stdout).toMatch(/state\s+running/);
      expect(wait.stdout).toMatch(/^waiting\s+3 queued: quiet hours 3/m);
    }, 240_000);
  });
});
