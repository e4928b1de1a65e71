import { INestApplicationContext, Type } from '@nestjs/common';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { ActivityEvent } from '../../../src/lib/events/activity-event';
import { AudienceFactsRepository } from '../../../src/modules/audience/audience-facts.repository';
import { journeyFactsOf } from '../../../src/modules/audience/domain/audience-facts';
import { CampaignMessageComposer } from '../../../src/modules/campaigns/campaign-message-composer.service';
import { CampaignMessagesModule } from '../../../src/modules/campaigns/campaign-messages.module';
import { CampaignsService } from '../../../src/modules/campaigns/campaigns.service';
import { ComposedMessage } from '../../../src/modules/campaigns/domain/compose-result';
import { EventsService } from '../../../src/modules/ingest/events.service';
import { UsersService } from '../../../src/modules/ingest/users.service';
import { PutUserDto } from '../../../src/modules/ingest/dto/put-user.dto';
import { UserJourneysRepository } from '../../../src/modules/journeys/user-journeys.repository';
import { CopyBudget } from '../../../src/modules/personalization/domain/copy-budget';
import { buildStoredJourney, StoredJourneySpec } from '../../factories/journey.factory';
import { buildUserProfile } from '../../factories/user.factory';
import { FakeChatRequest } from '../../setup/openai-server';
import { startNestContext } from '../../setup/nest-context';
import { testSettings } from '../../setup/settings';

/** A folder of campaign files written from plain objects (YAML), for CAMPAIGNS_DIR. */
export function campaignsDir(campaigns: Array<Record<string, unknown>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'jc-campaigns-'));
  for (const campaign of campaigns) writeFileSync(join(dir, `${String(campaign.id)}.yaml`), stringify(campaign));
  return dir;
}

/** A weekly digest email campaign (journey copy) with the given audience, as a plain object for `campaignsDir`. */
export function digestCampaign(id: string, audience: Record<string, unknown>): Record<string, unknown> {
  return {
    id,
    name: id,
    owner: 'growth',
    channel: 'email',
    schedule: { type: 'cron', cron: '0 9 * * 1', timeZone: 'Europe/Paris' },
    audience,
    template: 'email/weekly-digest',
    copy: { variant: 'journey-template' },
  };
}

/** A push campaign (journey copy, 18:00 local) to users with an ongoing journey, as a plain object for `campaignsDir`. */
export function pushCampaign(id: string, template: string): Record<string, unknown> {
  return {
    id,
    name: id,
    owner: 'growth',
    channel: 'push',
    schedule: { type: 'local-hour', hour: 18 },
    audience: { journeys: { stages: ['ongoing'] } },
    template,
    copy: { variant: 'journey-template' },
  };
}

/**
 * A copy of the product's templates folder, for TEMPLATES_DIR, with `extra` templates added: their files'
 * contents by template ref (`push/visit-count`) and file name (`title.hbs`).
 */
export function templatesDirWith(extra: Record<string, Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'jc-templates-'));
  cpSync(join(__dirname, '../../../templates'), dir, { recursive: true });
  for (const [ref, files] of Object.entries(extra)) {
    mkdirSync(join(dir, ref));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, ref, name), content);
  }
  return dir;
}

/** Settings of an LLM (`test-model`) served at `baseUrl`, not retried by the SDK. */
export const llmEnv = (baseUrl: string): Record<string, string> => ({
  OPENAI_API_KEY: 'test-key',
  OPENAI_BASE_URL: baseUrl,
  OPENAI_MODEL: 'test-model',
  OPENAI_MAX_RETRIES: '0',
});

/** Settings of an LLM served at `baseUrl` whose model rests after two failed calls in a row, not retried by the SDK. */
export const restingLlmEnv = (baseUrl: string): Record<string, string> => ({
  ...llmEnv(baseUrl),
  OPENAI_REST_AFTER_FAILURES: '2',
});

/** The journey name a copy prompt delimited. */
export const journeyOf = (request: FakeChatRequest): string =>
  JSON.parse(/<journey>\n(.*)\n<\/journey>/.exec(request.messages[1].content)![1]) as string;

/** A journey-naming call, as a caller of the model other than copy makes it. */
export const namingCall = {
  purpose: 'journey-naming',
  messages: [{ role: 'user' as const, content: 'name it' }],
  jsonSchema: { name: 'journey_name', schema: { type: 'object' } },
};

/** Campaign messages (composer, previews, estimates) and `extra` modules on real MongoDB and Redis, without HTTP. */
export async function startCampaignsContext(
  mongoUri: string,
  redis: RedisProcess,
  database: string,
  env: Record<string, string>,
  extra: Type[] = [],
): Promise<INestApplicationContext> {
  const settings = testSettings(mongoUri, redis.url, database, env);
  return startNestContext(settings, [CampaignMessagesModule, ...extra]);
}

/** Seeds one user: profile (through the users service), events, and committed journeys with their audience facts. */
export async function seedUser(
  app: INestApplicationContext,
  userId: string,
  options: {
    now: Date;
    profile?: Record<string, unknown>;
    journeys?: StoredJourneySpec[];
    events?: Array<Partial<ActivityEvent>>;
  },
): Promise<void> {
  await app
    .get(UsersService)
    .putUser(userId, buildUserProfile({ consent: { email: true, push: true }, ...options.profile }) as PutUserDto);
  const events = (options.events ?? [{ type: 'search', query: 'kitchen remodel' }]).map((e, i) => ({
    id: `${userId}-e${i}`,
    userId,
    type: 'search',
    occurredAt: new Date(options.now.getTime() - (i + 1) * 3_600_000),
    ...e,
  })) as ActivityEvent[];
  await app.get(EventsService).store(events);
  const journeys = (options.journeys ?? []).map((spec, i) => buildStoredJourney(options.now, spec, i + 1));
  if (journeys.length === 0) return;
  const build = { userId, journeys, generatedAt: options.now, modelVersion: 'test', buildRunId: `seed-${userId}` };
  await app.get(UserJourneysRepository).commitBuild(build, await app.get(UserJourneysRepository).findByUserId(userId));
  await app.get(AudienceFactsRepository).recordJourneys(userId, journeyFactsOf(journeys), options.now);
}

/** The message a dry run of the synced campaign `campaignId` composes for a user at `now`; a skip fails the test. */
export async function composeDryRun(
  app: INestApplicationContext,
  campaignId: string,
  userId: string,
  now: Date,
  budget: CopyBudget,
): Promise<ComposedMessage> {
  const campaign = await app.get(CampaignsService).getUsable(campaignId);
  const result = await app.get(CampaignMessageComposer).compose(campaign, userId, { now, dryRun: true, budget });
  if (result.status !== 'message') throw new Error(`skipped: ${result.skip.message}`);
  return result.message;
}
