import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { journeyFactsOf, localeTags } from '../../src/modules/audience/domain/audience-facts';
import { CampaignsService } from '../../src/modules/campaigns/campaigns.service';
import { ConsoleCampaignsService } from '../../src/modules/console/pages/console-campaigns.service';
import { ConsoleViews } from '../../src/modules/console/views/console-views';
import { seededRandom } from '../../src/modules/ranking/domain/testing/journeys.fixture';
import { journeycast } from './support/cli';
import { createTestApp, TestApp, TestServers, startTestServers } from './support/test-app';

const DB = 'campaign_estimates_e2e';
const PUSH = 'ongoing-journey-push';
const USERS = 1500;
const DAY_MS = 86_400_000;
const LOCALES = ['en-US', 'fr-FR', 'de-DE', undefined];
/** Far below USERS, so every estimate samples unless asked to be exact. */
const SAMPLING = { CAMPAIGN_ESTIMATE_EXACT_UP_TO: '100', CAMPAIGN_ESTIMATE_SAMPLE_SIZE: '600' };

interface SeededJourney {
  stage: 'ongoing' | 'ended';
  type: 'situational' | 'evergreen';
  confidence: number;
  sensitive: boolean;
}

/** Users with random consent, addresses, activity and journeys; `sampleKey` seeded too, so the sample is fixed. */
function population(now: number) {
  const random = seededRandom(42);
  return Array.from({ length: USERS }, (_, i) => {
    const locale = LOCALES[Math.floor(random() * LOCALES.length)];
    const journeys: SeededJourney[] = Array.from({ length: Math.floor(random() * 3) }, () => ({
      stage: random() < 0.6 ? 'ongoing' : 'ended',
      type: random() < 0.5 ? 'situational' : 'evergreen',
      confidence: Math.round(random() * 100) / 100,
      sensitive: random() < 0.05,
    }));
    // Whole days plus half a day: never on the 30-day boundary, whenever the test runs.
    const lastActiveAt = new Date(now - (Math.floor(random() * 60) + 0.5) * DAY_MS);
    const facts = journeyFactsOf(
      journeys.map((j, k) => ({
        id: `j${k}`,
        name: `topic ${k}`,
        keywords: [],
        stage: j.stage,
        type: j.type,
        confidence: j.confidence,
        sensitiveCategories: j.sensitive ? ['health'] : [],
      })),
    );
    const user = {
      userId: `u${String(i).padStart(5, '0')}`,
      consent: { email: random() < 0.7, push: random() < 0.6 },
      reachable: { email: random() < 0.9, push: random() < 0.8 },
      locale: locale ?? null,
      localeTags: localeTags(locale),
      attributes: {},
      lastActiveAt,
      ...facts,
      sampleKey: random(),
    };
    return { user, journeys };
  });
}

/** The push campaign's figures counted user by user, straight from its YAML rules (the oracle). */
function expectedPush(users: ReturnType<typeof population>, now: number) {
  const inAudience = users.filter(
    ({ user, journeys }) =>
      user.lastActiveAt.getTime() >= now - 30 * DAY_MS &&
      journeys.some((j) => j.stage === 'ongoing' && j.type === 'situational' && j.confidence >= 0.3 && !j.sensitive),
  );
  const consented = inAudience.filter(({ user }) => user.consent.push && user.reachable.push);
  return { total: consented.length, withoutConsent: inAudience.length - consented.length };
}

describe('audience estimates on a population above the sampling threshold', () => {
  let servers: TestServers;
  let t: TestApp;
  let admin: string;
  let env: Record<string, string>;
  let expected: { total: number; withoutConsent: number };
  const auth = () => ({ Authorization: `Bearer ${admin}` });

  beforeAll(async () => {
    servers = await startTestServers();
    const dir = mkdtempSync(join(tmpdir(), 'jc-e2e-estimates-'));
    copyFileSync(join('campaigns', `${PUSH}.yaml`), join(dir, `${PUSH}.yaml`));
    env = {
      MONGODB_URI: `${servers.mongoUri}${DB}`,
      REDIS_URL: servers.redis.url,
      REDIS_PREFIX: DB,
      CAMPAIGNS_DIR: dir,
      ...SAMPLING,
    };
    t = await createTestApp(servers, { database: DB, env: { CAMPAIGNS_DIR: dir, ...SAMPLING } });
    admin = await t.createKey('admin');
    await t.app.get(CampaignsService).sync('test:estimates');
    const now = Date.now();
    const users = population(now);
    await t
      .db()
      .collection('audience_facts')
      .insertMany(users.map((u) => u.user));
    expected = expectedPush(users, now);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await servers?.stop();
  }, 30_000);

  it('samples, with 95% intervals that hold the exact counts, and counts exactly on request', async () => {
    expect(expected.total).toBeGreaterThan(50);
    const exact = await t.http().get(`/v1/campaigns/${PUSH}/estimate?exact=true`).set(auth()).expect(200);
    expect(exact.body).toMatchObject({
      sampled: false,
      total: expected.total,
      byConsent: { consented: expected.total, withoutConsent: expected.withoutConsent },
      byStage: { ongoing: expected.total, other: 0 },
    });
    expect(exact.body.sample).toBeUndefined();
    const lowered = expect.any(Number);
    const sampled = await t.http().get(`/v1/campaigns/${PUSH}/estimate`).set(auth()).expect(200);
    expect(sampled.body).toMatchObject({
      sampled: true,
      sample: { size: lowered, population: USERS, confidence: 0.95 },
    });
    // About 600 of 1500 users, by their random sampleKey.
    expect(sampled.body.sample.size).toBeGreaterThan(500);
    expect(sampled.body.sample.size).toBeLessThan(700);
    const { intervals } = sampled.body;
    const within = (figure: string, value: number) => {
      expect(intervals[figure].low).toBeLessThanOrEqual(value);
      expect(intervals[figure].high).toBeGreaterThanOrEqual(value);
      expect(intervals[figure].high - intervals[figure].low).toBeLessThan(USERS / 4);
    };
    within('total', expected.total);
    within('consented', expected.total);
    within('withoutConsent', expected.withoutConsent);
    within('ongoing', expected.total);
    const exactLocales = new Map(
      exact.body.byLocale.map((l: { locale: string; users: number }) => [l.locale, l.users]),
    );
    for (const row of sampled.body.byLocale) {
      expect(row.interval.low).toBeLessThanOrEqual(exactLocales.get(row.locale) as number);
      expect(row.interval.high).toBeGreaterThanOrEqual(exactLocales.get(row.locale) as number);
    }
    const bad = await t.http().get(`/v1/campaigns/${PUSH}/estimate?exact=maybe`).set(auth()).expect(400);
    expect(bad.body.errors[0].field).toBe('exact');
  });

  it('says "about N (± M)" in the CLI and the console, and counts exactly with --exact', async () => {
    const [sampled, exact] = await Promise.all([
      journeycast(['campaigns', 'estimate', PUSH], env),
      journeycast(['campaigns', 'estimate', PUSH, '--exact'], env),
    ]);
    expect(sampled.code).toBe(0);
    expect(sampled.stdout).toMatch(new RegExp(`campaign ${PUSH} \\(push\\): about \\d+ \\(± \\d+\\) users`));
    expect(sampled.stdout).toMatch(/sampled \d+ of 1500 users \(95% intervals/);
    expect(exact.code).toBe(0);
    expect(exact.stdout).toContain(`campaign ${PUSH} (push): ${expected.total} users`);
    const view = await t.app.get(ConsoleCampaignsService).detail(PUSH, {});
    const html = t.app
      .get(ConsoleViews)
      .render('campaign', { title: PUSH, section: 'campaigns', session: undefined as never }, { ...view });
    expect(html).toMatch(/<dt>Users<\/dt><dd>about \d+ \(± \d+\)<\/dd>/);
    expect(html).toMatch(/<dt>Sampled<\/dt><dd>\d+ of 1500 users, 95% intervals/);
  }, 120_000);
});
