import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { CampaignRunsService } from '../../src/modules/campaigns/runs/campaign-runs.service';
import { CAMPAIGN_RUNS_QUEUE } from '../../src/modules/campaigns/runs/jobs/campaign-runs.queue';
import { EventsService } from '../../src/modules/ingest/events.service';
import { RecipientPreferencesService } from '../../src/modules/tracking/recipient-preferences.service';
import { seedUser } from '../integration/campaigns/campaigns-harness';
import { journeycast } from './support/cli';
import { createTestApp, TestApp, TestServers, startTestServers } from './support/test-app';

const DB = 'campaigns_e2e';
const PUSH = 'ongoing-journey-push';
const DIGEST = 'weekly-journeys-digest';

/** The shipped example campaigns, plus one whose template uses a variable the render context lacks. */
function campaignsFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jc-e2e-campaigns-'));
  for (const name of [`${PUSH}.yaml`, `${DIGEST}.yaml`]) copyFileSync(join('campaigns', name), join(dir, name));
  writeFileSync(
    join(dir, 'broken.yaml'),
    [
      'id: broken',
      'name: Broken',
      'owner: growth',
      'channel: push',
      'schedule:',
      '  type: local-hour',
      '  hour: 25',
      'template: push/journey-nudge',
      'copy: { variant: interest }',
      '',
    ].join('\n'),
  );
  return dir;
}

describe('campaigns over HTTP and the CLI', () => {
  let servers: TestServers;
  let t: TestApp;
  let admin: string;
  let env: Record<string, string>;
  const now = new Date();
  const auth = () => ({ Authorization: `Bearer ${admin}` });

  beforeAll(async () => {
    servers = await startTestServers();
    const dir = campaignsFolder();
    env = {
      MONGODB_URI: `${servers.mongoUri}${DB}`,
      REDIS_URL: servers.redis.url,
      REDIS_PREFIX: DB,
      CAMPAIGNS_DIR: dir,
    };
    t = await createTestApp(servers, { database: DB, env: { CAMPAIGNS_DIR: dir } });
    admin = await t.createKey('admin');
    const kitchen = { name: 'Kitchen Remodel', keywords: ['kitchen remodel', 'backsplash tile'] };
    await seedUser(t.app, 'ana', { now, journeys: [kitchen, { name: 'Trail Running', axis: 3 }] });
    await seedUser(t.app, 'ben', { now, profile: { locale: 'fr-FR' }, journeys: [{ name: 'Pain Au Levain' }] });
    await seedUser(t.app, 'cleo', { now, profile: { consent: { email: true, push: false } }, journeys: [kitchen] });
    await seedUser(t.app, 'dan', { now, journeys: [{ name: 'Old Hobby', stage: 'ended' }] });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await servers?.stop();
  }, 30_000);

  it('validates every file with file:line:column and the field path, exit 2 on a problem', async () => {
    const result = await journeycast(['campaigns', 'validate'], env);
    expect(result.code).toBe(2);
    expect(result.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/broken\.yaml:7:9 schedule\.hour: Too big/),
    ]);
    expect(result.stderr).toContain('3 file(s), 1 problem(s)');
  }, 60_000);

  it('syncs the folder into MongoDB, listing what changed', async () => {
    const first = await journeycast(['campaigns', 'sync'], env);
    expect(first.code).toBe(2);
    expect(first.stdout).toMatch(/invalid\s+broken\n.*schedule\.hour/);
    expect(first.stdout).toMatch(new RegExp(`created\\s+${PUSH}`));
    const again = await journeycast(['campaigns', 'sync'], env);
    expect(again.stdout).toMatch(new RegExp(`unchanged\\s+${DIGEST}`));
    const list = await journeycast(['campaigns', 'list'], env);
    const [header, ...rows] = list.stdout.trim().split('\n');
    expect(header).toMatch(/^campaign\s+name\s+state\s+channel\s+content hash$/);
    expect(rows).toEqual([
      expect.stringMatching(/^broken\s+-\s+paused\s+-\s+-\s+\(invalid\)$/),
      expect.stringMatching(new RegExp(`^${PUSH}\\s+Ongoing journey nudge\\s+paused\\s+push\\s+\\S+$`)),
      expect.stringMatching(new RegExp(`^${DIGEST}\\s+Weekly journeys digest\\s+paused\\s+email\\s+\\S+$`)),
    ]);
  }, 90_000);

  it('lists and reads campaigns over HTTP (admin scope)', async () => {
    await t.http().get('/v1/campaigns').expect(401);
    const list = await t.http().get('/v1/campaigns').set(auth()).expect(200);
    expect(list.body.map((c: { campaignId: string }) => c.campaignId)).toEqual(['broken', PUSH, DIGEST]);
    expect(list.body[0]).toMatchObject({ state: 'paused', valid: false });
    const push = await t.http().get(`/v1/campaigns/${PUSH}`).set(auth()).expect(200);
    expect(push.body).toMatchObject({ state: 'paused', valid: true, definition: { channel: 'push' }, problems: [] });
    expect(push.body.changes[0]).toMatchObject({ action: 'created', actor: expect.stringMatching(/^cli:/) });
    await t.http().get('/v1/campaigns/nope').set(auth()).expect(404);
    await t.http().get('/v1/campaigns/Bad_Id').set(auth()).expect(400);
    const json = await journeycast(['campaigns', 'list', '--json'], env);
    expect(json.code).toBe(0);
    const lines = json.stdout.trim().split('\n');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(list.body);
    expect(lines.map((line) => Object.keys(JSON.parse(line) as object))).toEqual(
      list.body.map((c: object) => Object.keys(c)),
    );
  });

  it('pausing a campaign lists the runs it already started, which go on sending, and how to stop them', async () => {
    // The runs' start jobs wait while this process's worker is paused, so they stay scheduled.
    const queue = t.app.get<Queue>(getQueueToken(CAMPAIGN_RUNS_QUEUE));
    await queue.pause(true);
    const runs = t.app.get(CampaignRunsService);
    try {
      const finished = await runs.startManual(PUSH, 'test');
      await runs.cancel(finished.runId, 'test');
      const going = await runs.startManual(PUSH, 'test');
      await t.http().post(`/v1/campaigns/${PUSH}:activate`).set(auth()).expect(200);
      const paused = await t.http().post(`/v1/campaigns/${PUSH}:pause`).set(auth()).expect(200);
      expect(paused.body).toMatchObject({
        campaignId: PUSH,
        state: 'paused',
        runsInProgress: [{ runId: going.runId, state: 'scheduled', trigger: 'manual' }],
      });
      expect(paused.body.notice).toBe(
        '1 run of this campaign already started and goes on sending: pausing the campaign starts no more runs but does not stop it. Stop one with `journeycast runs pause <runId>` or `journeycast runs cancel <runId>` (POST /v1/campaign-runs/:runId:pause or :cancel).',
      );
      const cli = await journeycast(['campaigns', 'pause', PUSH], env);
      expect(cli).toMatchObject({ code: 0, stderr: '' });
      expect(cli.stdout).toBe(
        [
          `${PUSH}: paused`,
          '1 run of this campaign already started and goes on sending: pausing the campaign starts no more runs but does not stop it.',
          `  ${going.runId}  scheduled`,
          'Stop one with `journeycast runs pause <runId>` or `journeycast runs cancel <runId>`.',
          '',
        ].join('\n'),
      );
      await runs.cancel(going.runId, 'test');
      expect(await journeycast(['campaigns', 'pause', PUSH], env)).toMatchObject({
        code: 0,
        stdout: `${PUSH}: paused\n`,
      });
      const none = await t.http().post(`/v1/campaigns/${PUSH}:pause`).set(auth()).expect(200);
      expect(none.body.runsInProgress).toEqual([]);
      expect(none.body).not.toHaveProperty('notice');
    } finally {
      await queue.resume(true);
    }
  }, 120_000);

  it('refuses to activate an invalid campaign, and records who activated and paused a valid one', async () => {
    const refused = await t.http().post('/v1/campaigns/broken:activate').set(auth()).expect(409);
    expect(refused.body).toMatchObject({
      code: 'campaign.invalid',
      problems: [expect.objectContaining({ path: 'schedule.hour', line: 7 })],
    });
    const active = await t.http().post(`/v1/campaigns/${PUSH}:activate`).set(auth()).expect(200);
    expect(active.body).toMatchObject({ state: 'active', stateChangedBy: expect.stringMatching(/^key:/) });
    await t.http().post(`/v1/campaigns/${PUSH}:pause`).set(auth()).expect(200);
    const read = await t.http().get(`/v1/campaigns/${PUSH}`).set(auth()).expect(200);
    expect(read.body.changes.slice(0, 2).map((c: { action: string }) => c.action)).toEqual(['paused', 'activated']);
  });

  it('refuses to activate a one-off campaign whose instant has passed, and says so when a sync gives an active one such an instant', async () => {
    const file = join(env.CAMPAIGNS_DIR, 'launch.yaml');
    const launch = (at: string) =>
      writeFileSync(
        file,
        [
          'id: launch',
          'name: Launch',
          'owner: growth',
          'channel: push',
          `schedule: { type: once, at: ${at} }`,
          'template: push/journey-nudge',
          'copy: { variant: interest }',
          '',
        ].join('\n'),
      );
    launch('2031-06-01T10:00:00Z');
    expect((await journeycast(['campaigns', 'sync'], env)).stdout).toMatch(/created\s+launch\n/);
    await t.http().post('/v1/campaigns/launch:activate').set(auth()).expect(200);
    launch('2020-06-01T10:00:00Z');
    const validated = await journeycast(['campaigns', 'validate', file], env);
    expect(validated.code).toBe(0);
    expect(validated.stdout).toMatch(
      /launch\.yaml:5:\d+ schedule\.at: warning: 2020-06-01T10:00:00Z has passed, so activating the campaign is refused; run it now with `journeycast campaigns run launch`\n/,
    );
    expect(validated.stderr).toContain('1 file(s), 0 problem(s), 1 warning(s)');
    // A warning, not a problem: the definition is valid (exit 2 here is for the broken file alone).
    const synced = await journeycast(['campaigns', 'sync'], env);
    expect(synced.stdout).not.toMatch(/launch\.yaml:/);
    expect(synced.stdout).toContain(
      'updated   launch\n  warning: schedule.at 2020-06-01T10:00:00Z has passed: the campaign stays active but will not start; run it now with `journeycast campaigns run launch`\n',
    );
    await t.http().post('/v1/campaigns/launch:pause').set(auth()).expect(200);
    const refused = await t.http().post('/v1/campaigns/launch:activate').set(auth()).expect(409);
    expect(refused.body).toMatchObject({
      code: 'campaign.schedule-passed',
      problems: [
        expect.objectContaining({ path: 'schedule.at', line: 5, file: expect.stringMatching(/launch\.yaml$/) }),
      ],
    });
    const cli = await journeycast(['campaigns', 'activate', 'launch'], env);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(
      'campaign launch cannot be activated: schedule.at 2020-06-01T10:00:00Z has passed, so it would start nothing; run it now with `journeycast campaigns run launch`, or give it a later schedule.at',
    );
    expect(cli.stderr).toMatch(/launch\.yaml:5:\d+ schedule\.at: /);
    const read = await t.http().get('/v1/campaigns/launch').set(auth()).expect(200);
    expect(read.body).toMatchObject({ state: 'paused', valid: true });
    rmSync(file);
    expect((await journeycast(['campaigns', 'sync'], env)).stdout).toMatch(/archived\s+launch/);
  }, 120_000);

  it('previews exactly what a user would receive, or why not', async () => {
    const res = await t.http().post(`/v1/campaigns/${PUSH}/preview`).set(auth()).send({ userId: 'ana' }).expect(200);
    expect(res.body).toMatchObject({
      status: 'message',
      preview: {
        subject: { kind: 'journey', name: 'Kitchen Remodel' },
        copy: { source: 'template', fallbackReason: 'no LLM is configured' },
        template: { ref: 'push/journey-nudge' },
        message: { channel: 'push', title: 'Still working on Kitchen Remodel?', deepLink: expect.any(String) },
      },
    });
    const interest = await t
      .http()
      .post(`/v1/campaigns/${PUSH}/preview`)
      .set(auth())
      .send({ userId: 'ana', variant: 'interest' })
      .expect(200);
    expect(interest.body.preview).toMatchObject({
      variant: { id: 'interest', copy: 'interest' },
      subject: { kind: 'interest' },
    });
    const skipped = await t
      .http()
      .post(`/v1/campaigns/${PUSH}/preview`)
      .set(auth())
      .send({ userId: 'cleo' })
      .expect(200);
    expect(skipped.body).toMatchObject({ status: 'skip', skip: { code: 'no-consent', rule: 'consent.push' } });
    const ended = await t.http().post(`/v1/campaigns/${PUSH}/preview`).set(auth()).send({ userId: 'dan' }).expect(200);
    expect(ended.body.skip).toMatchObject({ code: 'audience-rule', rule: 'audience.journeys.stages', value: 'ended' });
    const bad = await t.http().post(`/v1/campaigns/${PUSH}/preview`).set(auth()).send({ sample: 0 }).expect(400);
    expect(bad.body.errors[0].field).toBe('sample');
    await t
      .http()
      .post(`/v1/campaigns/${PUSH}/preview`)
      .set(auth())
      .send({ userId: 'ana', variant: 'zzz' })
      .expect(400);
  });

  const NOT_AN_INSTANT = /^now must be an ISO-8601 instant with a time zone/;
  const TOO_EARLY = 'now must be on or after 2000-01-01T00:00:00Z';
  it.each([
    ...['2026-W02', '2026-010', '2026-01-10T12', '2026-01-10T12:00:00', '2026', null].map(
      (v): [string | null, string | RegExp] => [v, NOT_AN_INSTANT],
    ),
    // Before any activity the product keeps.
    ['0001-01-01T00:00:00Z', TOO_EARLY] as const,
    ['1970-01-01T00:00:00Z', TOO_EARLY] as const,
  ])('refuses a preview as of now=%j with a 400 naming now', async (value, message) => {
    const res = await t
      .http()
      .post(`/v1/campaigns/${PUSH}/preview`)
      .set(auth())
      .send({ userId: 'ana', now: value })
      .expect(400);
    expect(res.body.errors).toEqual([
      { field: 'now', message: typeof message === 'string' ? message : expect.stringMatching(message) },
    ]);
  });

  it('previews as of an instant with a time zone', async () => {
    const at = new Date(now.getTime() - 60_000).toISOString().replace('Z', '+00:00');
    const res = await t
      .http()
      .post(`/v1/campaigns/${PUSH}/preview`)
      .set(auth())
      .send({ userId: 'ana', now: at })
      .expect(200);
    expect(res.body.status).toBe('message');
  });

  it('renders a sample of eligible users and estimates the audience by stage, locale and consent', async () => {
    const sample = await t.http().post(`/v1/campaigns/${DIGEST}/preview`).set(auth()).send({ sample: 5 }).expect(200);
    expect(sample.body.messages.map((m: { userId: string }) => m.userId).sort()).toEqual(['ana', 'ben', 'cleo', 'dan']);
    const estimate = await t.http().get(`/v1/campaigns/${PUSH}/estimate`).set(auth()).expect(200);
    expect(estimate.body).toMatchObject({
      total: 2,
      byConsent: { consented: 2, withoutConsent: 1, unsubscribed: 0 },
      byStage: { ongoing: 2, other: 0 },
      byLocale: [
        { locale: 'en-GB', users: 1 },
        { locale: 'fr-FR', users: 1 },
      ],
    });
    const docs = await t.http().get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/campaigns',
        '/v1/campaigns/{campaignId}/preview',
        '/v1/campaigns/{campaignId}/estimate',
      ]),
    );
  });

  it.each([
    [{ sample: 101 }, 'sample must not be greater than 100'],
    [{ sample: 1000 }, 'sample must not be greater than 100'],
    [{ sample: null }, 'sample must be an integer number'],
    [{ userId: 'ana', sample: 5 }, 'give userId or sample, not both'],
  ])('refuses the preview %j with a 400 naming sample', async (body, message) => {
    const res = await t.http().post(`/v1/campaigns/${DIGEST}/preview`).set(auth()).send(body).expect(400);
    expect(res.body.errors).toEqual([{ field: 'sample', message }]);
  });

  it('previews and estimates from the CLI', async () => {
    const [user, sample, estimate] = await Promise.all([
      journeycast(['campaigns', 'preview', PUSH, '--user', 'ben'], env),
      journeycast(['campaigns', 'preview', DIGEST, '--sample', '2'], env),
      journeycast(['campaigns', 'estimate', PUSH], env),
    ]);
    expect(user.code).toBe(0);
    expect(user.stdout).toContain('title    Toujours sur Pain Au Levain ?');
    expect(user.stdout).toMatch(/copy\s+template \(fallback: no LLM is configured\)/);
    expect(user.stdout).toContain(
      "arms     not previewed: the campaign's own copy; a run gives ben an arm of its experiment (interest, journey), --variant <id> shows one",
    );
    expect(sample.code).toBe(0);
    expect(sample.stdout).toMatch(/^user\s+variant\s+about/);
    expect(sample.stdout).toContain('2 message(s)');
    expect(estimate.stdout).toContain(`campaign ${PUSH} (push): 2 users`);
  }, 120_000);

  it('previews from the CLI a user with events and no profile yet, and refuses with exit 1 a user never heard of', async () => {
    const occurredAt = new Date(now.getTime() - 3_600_000);
    await t.app.get(EventsService).store([{ id: 'eve-e0', userId: 'eve', type: 'search', query: 'tile', occurredAt }]);
    const [nobody, eventsOnly, ended] = await Promise.all([
      journeycast(['campaigns', 'preview', PUSH, '--user', 'nobody'], env),
      journeycast(['campaigns', 'preview', PUSH, '--user', 'eve'], env),
      journeycast(['campaigns', 'preview', PUSH, '--user', 'dan'], env),
    ]);
    expect(nobody).toMatchObject({ code: 1, stdout: '' });
    expect(nobody.stderr.trim()).toBe('user nobody not found (no profile and no events)');
    expect(eventsOnly.code).toBe(0);
    expect(eventsOnly.stdout.trim()).toBe(`${PUSH}: user eve would be skipped (no-profile): user eve has no profile`);
    expect(ended.code).toBe(0);
    expect(ended.stdout).toContain(`${PUSH}: user dan would be skipped (audience-rule)`);
  }, 120_000);

  it('refuses an unknown --variant naming the option, exit 1 as for a bad option value, as the API answers 400', async () => {
    const variant = 'must name an arm of the campaign\'s experiment (interest, journey), not "nope"';
    const api = await t
      .http()
      .post(`/v1/campaigns/${PUSH}/preview`)
      .set(auth())
      .send({ userId: 'ana', variant: 'nope' })
      .expect(400);
    expect(api.body).toMatchObject({ code: 'campaign.bad-request', message: `variant ${variant}` });
    const [user, sample, noRuns] = await Promise.all([
      journeycast(['campaigns', 'preview', PUSH, '--user', 'ana', '--variant', 'nope'], env),
      journeycast(['campaigns', 'preview', PUSH, '--sample', '2', '--variant', 'nope'], env),
      journeycast(['runs', 'list', '--campaign', DIGEST], env),
    ]);
    for (const refused of [user, sample]) {
      expect(refused).toMatchObject({ code: 1, stdout: '' });
      expect(refused.stderr.trim()).toBe(`--variant ${variant}.`);
    }
    // A campaign that exists and has no runs yet is not an error.
    expect(noRuns).toMatchObject({ code: 0, stdout: '' });
    expect(noRuns.stderr.trim()).toBe('no runs');
  }, 120_000);

  it('skips an unsubscribed user and a suppressed address in CLI previews, as the API does', async () => {
    const preferences = t.app.get(RecipientPreferencesService);
    await preferences.unsubscribe({ userId: 'ana', category: 'journey-nudges', at: new Date(), source: 'page' });
    await preferences.suppress('ana@example.com', 'hard-bounce', new Date());
    const api = await t.http().post(`/v1/campaigns/${PUSH}/preview`).set(auth()).send({ userId: 'ana' }).expect(200);
    expect(api.body).toMatchObject({ status: 'skip', skip: { guard: 'unsubscribed' } });
    const [push, digest] = await Promise.all([
      journeycast(['campaigns', 'preview', PUSH, '--user', 'ana'], env),
      journeycast(['campaigns', 'preview', DIGEST, '--user', 'ana'], env),
    ]);
    expect(push.code).toBe(0);
    expect(push.stdout.trim()).toBe(
      `${PUSH}: user ana would be skipped (guard): the user unsubscribed from journey-nudges`,
    );
    expect(digest.stdout.trim()).toBe(
      `${DIGEST}: user ana would be skipped (guard): the email address is suppressed (hard-bounce)`,
    );
  }, 120_000);
});
