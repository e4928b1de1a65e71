import { INestApplicationContext, Type } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { Settings } from '../../../src/config';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { validateEvent } from '../../../src/lib/events/validate-event';
import { generatePopulation, RawEvent } from '../../../src/lib/synthetic/population';
import { EventRepository } from '../../../src/modules/ingest/event.repository';
import { JourneysJobsModule } from '../../../src/modules/journeys/jobs/journeys-jobs.module';
import { JourneysModule } from '../../../src/modules/journeys/journeys.module';
import { JourneyBuildRunRecord } from '../../../src/modules/journeys/journey-build-run.schema';
import { JourneyRunsService } from '../../../src/modules/journeys/journey-runs.service';
import { startTestMongo } from '../../setup/mongo';
import { startNestContext } from '../../setup/nest-context';
import { startTestRedis } from '../../setup/redis';
import { testSettings } from '../../setup/settings';

/** Test settings on the given servers; `env` adds or overrides configuration variables. */
export function journeySettings(
  mongoUri: string,
  redis: RedisProcess,
  database: string,
  env: Record<string, string> = {},
): Settings {
  return testSettings(mongoUri, redis.url, database, {
    JOURNEYS_SCHEDULE_ENABLED: 'false',
    JOURNEYS_SHARD_SIZE: '10',
    JOURNEYS_BACKOFF_MS: '100',
    ...env,
  });
}

/** The journeys module (and, for a worker, its processor) on real MongoDB and Redis, without HTTP. */
export async function startJourneysContext(
  settings: Settings,
  extra: Type[] = [JourneysJobsModule],
): Promise<INestApplicationContext> {
  return startNestContext(settings, [JourneysModule, ...extra]);
}

/**
 * {@link startJourneysContext} on servers of its own for the enclosing describe block: `context()` is the app once
 * the block's tests run.
 */
export function useJourneysContext(database: string): { context(): INestApplicationContext } {
  const { contexts } = useJourneysContexts(database, 1);
  return { context: () => contexts()[0] };
}

/** `count` apps (as processes sharing one database and Redis) on servers of their own for the describe block. */
export function useJourneysContexts(
  database: string,
  count: number,
  extra?: Type[],
): { contexts(): INestApplicationContext[] } {
  let mongo: EmbeddedMongo | undefined;
  let redis: RedisProcess | undefined;
  const apps: INestApplicationContext[] = [];
  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    for (let i = 0; i < count; i++) {
      apps.push(await startJourneysContext(journeySettings(mongo.uri, redis, database), extra));
    }
  }, 60_000);
  afterAll(async () => {
    for (const app of apps) await app.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  }, 30_000);
  return { contexts: () => apps };
}

/** Stores raw events as ingest would, all received at `receivedAt`. */
export async function ingest(
  app: INestApplicationContext,
  raw: readonly RawEvent[],
  receivedAt = new Date(),
): Promise<void> {
  const events = raw.map((r) => {
    const v = validateEvent(r, new Date(Date.now() + 60_000));
    if (!v.ok) throw new Error(`invalid test event ${r.id}: ${JSON.stringify(v.errors)}`);
    return v.event;
  });
  await app.get(EventRepository).insertMany(events, receivedAt);
}

/** A seeded synthetic population whose history ends now, with ids prefixed so test files do not collide. */
export function population(users: number, seed = 7, eventsPerUser = 40): { events: RawEvent[]; userIds: string[] } {
  const { events } = generatePopulation({ seed, users, now: new Date(Date.now() - 60_000), eventsPerUser });
  return { events, userIds: [...new Set(events.map((e) => e.userId))].sort() };
}

/** Polls a run until it completes (or fails), failing the test after `timeoutMs`. */
export async function waitForRun(
  app: INestApplicationContext,
  runId: string,
  timeoutMs = 30_000,
): Promise<JourneyBuildRunRecord> {
  const runs = app.get(JourneyRunsService);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await runs.findRun(runId);
    if (run && (run.status === 'completed' || run.status === 'failed')) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish: ${JSON.stringify(run)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function db(app: INestApplicationContext): Connection {
  return app.get<Connection>(getConnectionToken());
}
