import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bull';
import { INestApplicationContext, Type } from '@nestjs/common';
import { Job, Queue } from 'bull';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { Settings } from '../../../src/config';
import { CampaignsService } from '../../../src/modules/campaigns/campaigns.service';
import { CampaignRunRecord } from '../../../src/modules/campaigns/runs/campaign-run.schema';
import { CampaignRunRepository } from '../../../src/modules/campaigns/runs/campaign-run.repository';
import { CampaignRunsService, RunView } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { CampaignRunsJobsModule } from '../../../src/modules/campaigns/runs/jobs/campaign-runs-jobs.module';
import { CHANNEL_TRANSPORT } from '../../../src/modules/delivery/delivery.module';
import { DELIVERY_QUEUE } from '../../../src/modules/delivery/jobs/delivery.queue';
import { Notification } from '../../../src/modules/delivery/domain/notification';
import { PreferenceGuardsModule } from '../../../src/modules/tracking/preference-guards.module';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { startTestMongo } from '../../setup/mongo';
import { startNestContext } from '../../setup/nest-context';
import { testSettings } from '../../setup/settings';
import { startTestRedis } from '../../setup/redis';
import { SmtpSink } from '../../setup/smtp-sink';
import { FakeApns } from '../../setup/providers/apns-fake';
import { testCertificate } from '../../setup/tls';
import { campaignsDir, seedUser } from '../campaigns/campaigns-harness';

export const TEST_SIGNING_KEYS = 'k1:0123456789abcdef0123456789abcdef';

/** The weekly email digest the batch delivery tests send, and the journey its recipients have. */
export const DIGEST_CAMPAIGN = {
  id: 'digest',
  name: 'Digest',
  owner: 'growth',
  channel: 'email',
  category: 'weekly-digest',
  schedule: { type: 'cron', cron: '0 9 * * 1', timeZone: 'UTC' },
  template: 'email/weekly-digest',
  copy: { variant: 'journey-template' },
};
/** The digest, held back during the user's night. */
export const NIGHTLY_CAMPAIGN = {
  ...DIGEST_CAMPAIGN,
  id: 'nightly',
  name: 'Nightly',
  quietHours: { start: '21:00', end: '08:00', whenQuiet: 'delay' },
};
/** A push nudge about the user's journey, on a weekly schedule the tests never wait for. */
export const NUDGE_CAMPAIGN = {
  id: 'nudge',
  name: 'Nudge',
  owner: 'growth',
  channel: 'push',
  schedule: { type: 'cron', cron: '0 9 * * 1', timeZone: 'UTC' },
  template: 'push/journey-nudge',
  copy: { variant: 'journey-template' },
};
export const KITCHEN_JOURNEY = { name: 'Kitchen Remodel', keywords: ['kitchen remodel', 'backsplash tile'] };

/**
 * Servers, an SMTP sink and a sending context where the digest is active and each of `users` has a profile
 * with an email address (`<user>@example.com`) and the kitchen journey; `env` adds settings, and `campaign`, when
 * given, is the digest as the test defines it.
 */
export async function startDigestSending(
  database: string,
  users: readonly string[],
  env: Record<string, string> = {},
  campaign: typeof DIGEST_CAMPAIGN & Record<string, unknown> = DIGEST_CAMPAIGN,
): Promise<{ app: INestApplicationContext; sink: SmtpSink; stop(): Promise<void> }> {
  const sink = await SmtpSink.start();
  const sending = await startSending(database, {
    CAMPAIGNS_DIR: campaignsDir([campaign]),
    SMTP_URL: sink.url,
    ...env,
  });
  const { app } = sending;
  await activate(app, campaign.id);
  for (const userId of users) {
    await seedUser(app, userId, {
      now: new Date(),
      profile: { email: `${userId}@example.com` },
      journeys: [KITCHEN_JOURNEY],
    });
  }
  const stop = async () => {
    await sending.stop();
    await sink.stop();
  };
  return { app, sink, stop };
}

/** A sending context on servers of its own, with the settings of a sending test and `env`. */
export async function startSending(
  database: string,
  env: Record<string, string>,
): Promise<{ app: INestApplicationContext; stop(): Promise<void> }> {
  const servers = await startServers();
  const app = await startSendingContext(sendingSettings(servers.mongo.uri, servers.redis, database, env));
  const stop = async () => {
    await app.close();
    await servers.stop();
  };
  return { app, stop };
}

/**
 * {@link startDigestSending} before the tests of the enclosing `describe`, stopped after them; the returned
 * object holds the context and the sink once they are started. Mocks made by a test are restored after it.
 */
export function useDigestSending(
  database: string,
  users: readonly string[],
  env: Record<string, string> = {},
  campaign: typeof DIGEST_CAMPAIGN & Record<string, unknown> = DIGEST_CAMPAIGN,
): { app: INestApplicationContext; sink: SmtpSink } {
  const started = {} as { app: INestApplicationContext; sink: SmtpSink; stop?: () => Promise<void> };
  beforeAll(async () => {
    Object.assign(started, await startDigestSending(database, users, env, campaign));
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });
  afterAll(async () => {
    await started.stop?.();
  });
  return started;
}

/** Settings of a sending test on these servers; `env` adds or overrides variables. */
export function sendingSettings(
  mongoUri: string,
  redis: RedisProcess,
  database: string,
  env: Record<string, string> = {},
): Settings {
  return testSettings(mongoUri, redis.url, database, {
    ...SENDING_ENV,
    CAMPAIGN_RUNS_JOB_BACKOFF_MS: '100',
    ...env,
  });
}

/** What a sending test sets: no schedules firing on their own, test signing keys, no send-rate limit. */
export const SENDING_ENV = {
  JOURNEYS_SCHEDULE_ENABLED: 'false',
  RANKER_SCHEDULE_ENABLED: 'false',
  CAMPAIGN_SCHEDULES_ENABLED: 'false',
  TRACKING_SIGNING_KEYS: TEST_SIGNING_KEYS,
  PUBLIC_BASE_URL: 'https://t.example.com',
  DELIVERY_RATE_SMTP: '0',
};

/** The worker's sending modules (fan-out, delivery, preference guards) on real MongoDB and Redis, without HTTP. */
export async function startSendingContext(
  settings: Settings,
  extra: Type[] = [],
  configure?: Parameters<typeof startNestContext>[2],
): Promise<INestApplicationContext> {
  return startNestContext(settings, [CampaignRunsJobsModule, PreferenceGuardsModule, ...extra], configure);
}

/** The settings that send push through the APNs fake, its key written into `dir`. */
export function apnsEnv(apns: FakeApns, dir: string): Record<string, string> {
  const key = join(dir, 'AuthKey.p8');
  writeFileSync(key, apns.privateKeyPem);
  return {
    DELIVERY_OUTBOX_DIR: join(dir, 'outbox'),
    DELIVERY_PUSH_CHANNEL: 'providers',
    APNS_KEY_FILE: key,
    APNS_KEY_ID: apns.keyId,
    APNS_TEAM_ID: apns.teamId,
    APNS_BUNDLE_ID: apns.bundleId,
    APNS_URL: apns.url,
    DELIVERY_RATE_APNS: '0',
  };
}

/** {@link startSendingContext} trusting the certificate of the loopback push fakes. */
export function startPushSendingContext(settings: Settings): Promise<INestApplicationContext> {
  return startSendingContext(settings, [], (builder) =>
    builder.overrideProvider(CHANNEL_TRANSPORT).useValue({ ca: testCertificate().cert }),
  );
}

/** A user who consents to push only, on one device, interested in the kitchen journey. */
export function seedPushDevice(
  app: INestApplicationContext,
  userId: string,
  platform: 'apns' | 'fcm',
  token: string,
): Promise<void> {
  return seedUser(app, userId, {
    now: new Date(),
    profile: { email: undefined, consent: { email: false, push: true }, pushTokens: [{ platform, token }] },
    journeys: [KITCHEN_JOURNEY],
  });
}

/** A test file's MongoDB and Redis. */
export async function startServers(): Promise<{ mongo: EmbeddedMongo; redis: RedisProcess; stop(): Promise<void> }> {
  const [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
  return { mongo, redis, stop: async () => void (await Promise.all([mongo.stop(), redis.stop()])) };
}

/** Syncs the campaigns folder and activates `campaignIds`. */
export async function activate(app: INestApplicationContext, ...campaignIds: string[]): Promise<void> {
  const campaigns = app.get(CampaignsService);
  await campaigns.sync('test');
  for (const id of campaignIds) await campaigns.activate(id, 'test');
}

/**
 * A manual run of the digest (or of `campaignId`) whose notifications wait queued: this worker's delivery is paused, and the
 * queue emptied first. Returns once waiting delivery jobs carry `count` notifications (or after 20 s), with
 * the run's notification ids by user.
 */
export async function queuedDigestRun(
  app: INestApplicationContext,
  count: number,
  campaignId = DIGEST_CAMPAIGN.id,
): Promise<{ runId: string; ids: Map<string, string> }> {
  const deliveries = app.get<Queue>(getQueueToken(DELIVERY_QUEUE));
  await deliveries.pause(true);
  await deliveries.empty();
  const { runId } = await app.get(CampaignRunsService).startManual(campaignId, 'test');
  const deadline = Date.now() + 20_000;
  for (;;) {
    const jobs: Job[] = await deliveries.getWaiting();
    const carried = jobs.flatMap((job) => (job.data as { notificationIds?: string[] }).notificationIds ?? ['one']);
    if (carried.length >= count || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const byUser = await notificationsOf(app, runId);
  return { runId, ids: new Map([...byUser].map(([u, n]) => [u, n.notificationId])) };
}

/** Polls `holds` every 10 ms, failing after `timeoutMs`. */
export async function until(holds: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await holds())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Polls a run until it is finished (completed, cancelled, failed), failing after `timeoutMs`. */
export async function waitForRun(app: INestApplicationContext, runId: string, timeoutMs = 30_000): Promise<RunView> {
  const runs = app.get(CampaignRunsService);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await runs.get(runId);
    if (run.state === 'completed' || run.state === 'cancelled' || run.state === 'failed') return run;
    if (Date.now() > deadline) {
      throw new Error(`run ${runId} did not finish: ${JSON.stringify(run.counts)} ${run.state}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function db(app: INestApplicationContext): Connection {
  return app.get<Connection>(getConnectionToken());
}

/** The run's notifications by user id. */
export async function notificationsOf(app: INestApplicationContext, runId: string): Promise<Map<string, Notification>> {
  const docs = await db(app).collection<Notification>('notifications').find({ runId }).toArray();
  return new Map(docs.map((d) => [d.userId, d]));
}

/**
 * Copies one seeded user's profile, journeys and audience facts to `userIds` in bulk (a crash test or a
 * benchmark needs thousands of users; seeding each through the services would take minutes).
 */
export async function cloneSeededUser(
  connection: Connection,
  templateUserId: string,
  userIds: readonly string[],
  email: (userId: string) => string,
): Promise<void> {
  const copies: Array<[string, (doc: Record<string, unknown>, userId: string) => Record<string, unknown>]> = [
    ['users', (doc, userId) => ({ ...doc, userId, email: email(userId) })],
    ['user_journeys', (doc, userId) => ({ ...doc, userId })],
    ['audience_facts', (doc, userId) => ({ ...doc, userId })],
  ];
  for (const [name, copy] of copies) {
    const collection = connection.collection(name);
    const template = await collection.findOne({ userId: templateUserId }, { projection: { _id: 0 } });
    if (!template) throw new Error(`${templateUserId} has no document in ${name}`);
    for (let i = 0; i < userIds.length; i += 1000) {
      await collection.insertMany(userIds.slice(i, i + 1000).map((userId) => copy(template, userId)));
    }
  }
}

/**
 * A `running` run of `campaignId` written directly, its selection done (`fields` overrides any of it), for a
 * test that stages what a run's workers left behind.
 */
export async function insertRunningRun(
  app: INestApplicationContext,
  campaignId: string,
  runId: string,
  fields: Partial<CampaignRunRecord> = {},
): Promise<void> {
  const campaign = await app.get(CampaignsService).getUsable(campaignId);
  const at = new Date();
  await app.get(CampaignRunRepository).createOnce({
    runId,
    campaignId,
    contentHash: campaign.contentHash ?? '',
    definition: campaign.definition,
    trigger: 'manual',
    state: 'running',
    scheduledFor: at,
    selectionDone: true,
    shardCount: 0,
    generation: 0,
    copyBudget: { calls: 0, tokens: 0 },
    createdAt: at,
    stateChangedAt: at,
    stateChangedBy: 'test',
    ...fields,
  });
}
