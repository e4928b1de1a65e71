import { CampaignsService } from '../../src/modules/campaigns/campaigns.service';
import { campaignsDir, seedUser } from '../integration/campaigns/campaigns-harness';
import { DIGEST_CAMPAIGN, TEST_SIGNING_KEYS } from '../integration/sending/sending-harness';
import { buildEvents } from '../factories/event.factory';
import { buildTrackedLink } from '../factories/tracked-notification.factory';
import { sample, total } from '../setup/prometheus';
import { SmtpSink } from '../setup/smtp-sink';
import { LINKS_BASE, pathOf, sendTracked, tampered, tokenOf } from './support/tracking';
import { createTestApp, TestApp, TestServers, startTestServers } from './support/test-app';

const DB = 'metrics_labels';

interface Series {
  metric: string;
  labels: Record<string, string>;
}

/** Every sample line of a Prometheus text page, with its labels. */
function series(page: string): Series[] {
  return page
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const open = line.indexOf('{');
      const space = line.lastIndexOf(' ');
      if (open < 0 || open > space) return { metric: line.slice(0, space), labels: {} };
      const body = line.slice(open + 1, line.lastIndexOf('}'));
      const labels = Object.fromEntries(
        [...body.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, name, value]) => [name, value]),
      );
      return { metric: line.slice(0, open), labels };
    });
}

/** `# HELP` and `# TYPE` of each metric family on a page. */
function families(page: string): Map<string, { help?: string; type?: string }> {
  const found = new Map<string, { help?: string; type?: string }>();
  for (const line of page.split('\n')) {
    const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (!match) continue;
    const family = found.get(match[2]) ?? {};
    if (match[1] === 'HELP') family.help = match[3];
    else family.type = match[3];
    found.set(match[2], family);
  }
  return found;
}

const CAMPAIGN = 'labels-digest';

/**
 * Each label name with the bounded set its values come from. A label not listed here fails the test: a new
 * one must say where its values come from, and must not be an id of a user, message, run or request.
 */
const BOUNDED: Record<string, (value: string, context: { routes: Set<string> }) => boolean> = {
  // HTTP: the matched route pattern, never the raw path.
  method: (v) => /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/.test(v),
  route: (v, { routes }) => v === 'unmatched' || routes.has(v),
  // An HTTP status code, or a journey build run's status.
  status: (v) => /^[1-5]\d\d$/.test(v) || /^(pending|selecting|running|completed|failed)$/.test(v),
  // Ingest, queues, sending: enumerations and codes in the source.
  result: (v) => /^(accepted|duplicate|erased|selected|built|failed|skipped)$/.test(v),
  queue: (v) => /^[a-z][a-z-]*$/.test(v),
  state: (v) => /^(waiting|active|delayed|completed|failed|paused)$/.test(v),
  job: (v) => /^([a-z][a-z-]*(\.[a-z-]+)?|__default__)$/.test(v),
  outcome: (v) => /^(accepted|completed|failed|ok|error|rested|invalid|delivery\.[a-z-]+)$/.test(v),
  event: (v) => /^(sent|failed|suppressed|retried|recovered|redelivered)$/.test(v),
  campaign: (v) => v === CAMPAIGN,
  channel: (v) => /^(email|push|webhook|file)$/.test(v),
  provider: (v) => /^[a-z-]+$/.test(v),
  reason: (v) => v === '' || /^[a-z][a-z-]*(\.[a-z-]+)?$/.test(v),
  // Journey builds, judge, LLM: enumerations, and the versions of the one model in use.
  kind: (v) => /^[a-z-]+$/.test(v),
  grade: (v) => /^[1-5]$/.test(v),
  purpose: (v) => /^[a-z-]+$/.test(v),
  version: (v) => /^[\w.-]+$/.test(v),
  model: (v) => /^[\w.:/-]+$/.test(v),
  // prom-client's process metrics.
  le: (v) => v === '+Inf' || Number.isFinite(Number(v)),
  space: (v) => /^[a-z_]+$/.test(v),
  type: (v) => /^[A-Za-z]+$/.test(v),
  major: (v) => /^\d+$/.test(v),
  minor: (v) => /^\d+$/.test(v),
  patch: (v) => /^\d+$/.test(v),
};

describe('/metrics labels and names', () => {
  let servers: TestServers;
  let sink: SmtpSink;
  let t: TestApp;
  let page: string;
  const unbounded: string[] = [];

  beforeAll(async () => {
    [servers, sink] = await Promise.all([startTestServers(), SmtpSink.start()]);
    const campaign = { ...DIGEST_CAMPAIGN, id: CAMPAIGN, name: CAMPAIGN };
    t = await createTestApp(servers, {
      database: DB,
      env: {
        CAMPAIGNS_DIR: campaignsDir([campaign]),
        SMTP_URL: sink.url,
        DELIVERY_RATE_SMTP: '0',
        DELIVERY_JOB_ATTEMPTS: '1',
        TRACKING_SIGNING_KEYS: TEST_SIGNING_KEYS,
        PUBLIC_BASE_URL: LINKS_BASE,
        CAMPAIGN_SCHEDULES_ENABLED: 'false',
        JOURNEYS_SCHEDULE_ENABLED: 'false',
        RANKER_SCHEDULE_ENABLED: 'false',
      },
    });
    const [ingest, admin] = await Promise.all([t.createKey('ingest'), t.createKey('admin')]);
    const now = new Date();
    const kitchen = { name: 'Kitchen Remodel', keywords: ['kitchen remodel', 'backsplash tile'] };
    for (const userId of ['u-7f3a-ana', 'u-91c2-ben']) {
      await seedUser(t.app, userId, { now, profile: { email: `${userId}@example.com` }, journeys: [kitchen] });
      unbounded.push(userId, `${userId}@example.com`);
    }
    // One delivery the mail server refuses for good.
    sink.replyToRecipient('u-91c2-ben@example.com', 550, '5.1.1 mailbox u-91c2-ben does not exist');
    unbounded.push('mailbox u-91c2-ben does not exist');
    const campaigns = t.app.get(CampaignsService);
    await campaigns.sync('test');
    await campaigns.activate(CAMPAIGN, 'test');

    // An ingest batch, and one rejected for an event without a user.
    const events = buildEvents(3);
    unbounded.push(...events.map((e) => e.id));
    const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
    await t.http().post('/v1/events').set(auth(ingest)).send({ events }).expect(200);
    await t
      .http()
      .post('/v1/events')
      .set(auth(ingest))
      .send({ events: [{ ...buildEvents(1)[0], userId: undefined }] })
      .expect(400);
    await t.http().get('/v1/users/u-7f3a-ana').set(auth(admin)).expect(200);
    await t.http().get('/no/such/page-u-7f3a-ana').expect(404);

    // A small campaign run: one email sent, one refused.
    const started = await t.http().post('/v1/campaign-runs').set(auth(admin)).send({ campaignId: CAMPAIGN });
    expect(started.status).toBe(201);
    const runId: string = started.body.runId;
    unbounded.push(runId);
    for (let i = 0; i < 300; i++) {
      const run = await t.http().get(`/v1/campaign-runs/${runId}`).set(auth(admin)).expect(200);
      if (run.body.state === 'completed') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const notifications = await t.db().collection('notifications').find({ runId }).toArray();
    unbounded.push(...notifications.map((n) => String(n.notificationId)));

    // A tracking click, and a forged one.
    const { notification, issued } = await sendTracked(
      t.app,
      { notificationId: 'n-5d1e-click', links: [buildTrackedLink('c1', 'https://shop.example.com/tiles')] },
      new Date(),
    );
    const url = issued.resolveLink(notification.links[0]);
    unbounded.push(notification.notificationId, tokenOf(url), 'https://shop.example.com/tiles');
    await t.http().get(pathOf(url)).expect(302);
    await t
      .http()
      .get(pathOf(url).replace(tokenOf(url), tampered(tokenOf(url))))
      .expect(404);

    // Workers add their notification counts to Redis within a second; wait for the failure to be there.
    for (let i = 0; i < 100; i++) {
      page = (await t.http().get('/metrics').expect(200)).text;
      if (total(page, 'journeycast_notifications_total', /event="failed"/) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 90_000);

  afterAll(async () => {
    await t?.close();
    await Promise.all([servers?.stop(), sink?.stop()]);
  });

  it('drove every kind of series the check is about', () => {
    expect(total(page, 'journeycast_notifications_total', /event="sent"/)).toBe(1);
    expect(total(page, 'journeycast_notifications_total', /event="failed",.*reason="delivery.hard-bounce"/)).toBe(1);
    expect(total(page, 'journeycast_delivery_sends_total', /outcome="delivery.hard-bounce"/)).toBe(1);
    expect(sample(page, 'journeycast_ingest_batches_rejected_total')).toBe(1);
    expect(page).toMatch(/journeycast_http_requests_total\{method="GET",route="\/t\/c\/:token",status="302"\} 1/);
    expect(page).toMatch(/journeycast_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    expect(total(page, 'journeycast_queue_jobs', /queue="deliveries"/)).toBeGreaterThanOrEqual(0);
  });

  it('takes every label value from a bounded set, never an id, address, token, URL or message', () => {
    const express = t.app.getHttpAdapter().getInstance() as {
      router: { stack: Array<{ route?: { path?: unknown } }> };
    };
    const routes = new Set(
      express.router.stack.flatMap(({ route }) => (typeof route?.path === 'string' ? [route.path] : [])),
    );
    const offending: string[] = [];
    for (const { metric, labels } of series(page)) {
      for (const [name, value] of Object.entries(labels)) {
        const bounded = BOUNDED[name];
        const leaked = unbounded.find((id) => value.includes(id));
        if (!bounded) offending.push(`${metric}: label "${name}" has no bounded set (value "${value}")`);
        else if (!bounded(value, { routes }) || leaked) offending.push(`${metric}{${name}="${value}"}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('follows the Prometheus naming conventions, with HELP on every metric', () => {
    const found = families(page);
    const problems: string[] = [];
    for (const [name, { help, type }] of found) {
      if (!help?.trim()) problems.push(`${name}: no HELP`);
      if (!name.startsWith('journeycast_')) problems.push(`${name}: not under journeycast_`);
      if (type === 'counter' && !name.endsWith('_total')) problems.push(`${name}: a counter not ending in _total`);
      // prom-client's own process gauges are named so by the library.
      if (type !== 'counter' && name.endsWith('_total') && !name.startsWith('journeycast_nodejs_')) {
        problems.push(`${name}: a ${type} ending in _total`);
      }
      if (/duration|latency|_time_|_age/.test(name) && !/_seconds(_total)?$/.test(name)) {
        problems.push(`${name}: a time not in seconds`);
      }
      if (type === 'histogram' && !/_(seconds|bytes)$/.test(name)) problems.push(`${name}: a histogram without unit`);
    }
    expect(problems).toEqual([]);
  });

  it('gives each histogram buckets that fit its unit', () => {
    for (const [name, { type }] of families(page)) {
      if (type !== 'histogram') continue;
      const bounds = [
        ...new Set(
          series(page)
            .filter((s) => s.metric === `${name}_bucket` && s.labels.le !== '+Inf')
            .map((s) => Number(s.labels.le)),
        ),
      ].sort((a, b) => a - b);
      if (name.endsWith('_seconds')) {
        // From milliseconds to at least seconds: quick answers and slow ones are both told apart.
        expect({ name, smallest: bounds[0] <= 0.01, largest: bounds.at(-1)! >= 5 }).toEqual({
          name,
          smallest: true,
          largest: true,
        });
      }
    }
  });
});
