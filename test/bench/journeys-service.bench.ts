/**
 * Journeys as a service: incremental build throughput through Bull (the standalone embedded MongoDB in its
 * own process, as a database runs in production; a real redis-server; an in-process worker), against the bare
 * inference loop over the same users in memory, with the CPU of the service process and of the database apart;
 * and LLM naming calls per 1,000 users (a local OpenAI-compatible server) against one call per journey.
 * BENCH_USERS (default 10000) and BENCH_LLM_USERS (default 1000) scale the two parts (0 skips one);
 * BENCH_BASELINE_USERS (default 10000) bounds the in-memory baseline to an evenly spaced sample of the users;
 * JOURNEYS_INFERENCE_THREADS sets the service's inference threads (0: on its main thread), JOURNEYS_CONCURRENCY
 * its shard jobs at once and JOURNEYS_SHARD_SIZE their size.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { INestApplicationContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { startRedisProcess } from '../../src/common/redis/redis-process';
import { Settings } from '../../src/config';
import { databaseHeapMegabytes } from '../../src/embedded-mongo/heap-size';
import { validateEvent } from '../../src/lib/events/validate-event';
import { ActivityEvent } from '../../src/lib/events/activity-event';
import { generateUser } from '../../src/lib/synthetic/population';
import { EventRepository } from '../../src/modules/ingest/event.repository';
import { buildUserJourneys } from '../../src/modules/journeys/domain/build-journeys';
import { JourneyKeyword } from '../../src/modules/journeys/domain/journey';
import { DEFAULT_NAMING_RULES, namingSignature } from '../../src/modules/journeys/domain/llm-naming';
import { JourneyBuildRunRecord } from '../../src/modules/journeys/journey-build-run.schema';
import { JourneyRunsService } from '../../src/modules/journeys/journey-runs.service';
import { PlatformEmbedderService } from '../../src/modules/journeys/platform-embedder.service';
import { startJourneysContext } from '../integration/journeys/journeys-harness';
import { startEmbeddedMongoProcess } from '../e2e/support/app-process';
import { FakeOpenAiServer } from '../setup/openai-server';
import { testSettings } from '../setup/settings';

const EVENTS_PER_USER = 40;

/** One synthetic user's valid events: regenerated on demand, so 100k users need not sit in memory at once. */
function userEvents(seed: number, index: number, now: Date): ActivityEvent[] {
  return generateUser(seed, index, now, EVENTS_PER_USER).events.flatMap((raw) => {
    const v = validateEvent(raw, new Date());
    return v.ok ? [v.event] : [];
  });
}

/** A population of `count` users; `events(i)` gives user i's events (the same ones each time). */
interface Population {
  count: number;
  events(index: number): ActivityEvent[];
}

function populationOf(count: number, seed: number): Population {
  const now = new Date(Date.now() - 60_000);
  return { count, events: (index) => userEvents(seed, index, now) };
}

async function startContext(
  mongoUri: string,
  redisUrl: string,
  database: string,
  env: Record<string, string> = {},
): Promise<INestApplicationContext> {
  const settings = testSettings(mongoUri, redisUrl, database, {
    JOURNEYS_SCHEDULE_ENABLED: 'false',
    LOG_LEVEL: 'error',
    ...env,
  });
  // The same composition as the integration tests: the journeys module and its worker, without HTTP.
  return startJourneysContext(settings);
}

/** CPU seconds a child process has used so far (Linux /proc; clock ticks of 1/100 s). */
function childCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const db = (app: INestApplicationContext) => app.get<Connection>(getConnectionToken());

interface TimedRun {
  run: JourneyBuildRunRecord;
  seconds: number;
  /** This process: the service and its worker. */
  cpuSeconds: number;
  /** The database process. */
  dbCpuSeconds: number;
  /** The redis-server process. */
  redisCpuSeconds: number;
}

async function runToCompletion(
  app: INestApplicationContext,
  kind: 'incremental' | 'full',
  { pid: dbPid, redisPid }: Database,
): Promise<TimedRun> {
  const runs = app.get(JourneyRunsService);
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const dbCpu = childCpuSeconds(dbPid);
  const redisCpu = childCpuSeconds(redisPid);
  const { runId } = await runs.requestRun(kind, 'manual');
  for (;;) {
    const run = await runs.findRun(runId);
    if (run?.status === 'completed' || run?.status === 'failed') {
      const used = process.cpuUsage(cpu);
      return {
        run,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
        cpuSeconds: (used.user + used.system) / 1e6,
        dbCpuSeconds: childCpuSeconds(dbPid) - dbCpu,
        redisCpuSeconds: childCpuSeconds(redisPid) - redisCpu,
      };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Stores the events of `count` users (`eventsOf(i)` each) in batches of about 5,000; returns how many. */
async function ingestUsers(
  app: INestApplicationContext,
  count: number,
  eventsOf: (index: number) => ActivityEvent[],
): Promise<number> {
  let batch: ActivityEvent[] = [];
  let stored = 0;
  for (let i = 0; i <= count; i++) {
    if (i < count) batch.push(...eventsOf(i));
    if (batch.length >= 5000 || (i === count && batch.length > 0)) {
      await app.get(EventRepository).insertMany(batch, new Date());
      stored += batch.length;
      batch = [];
    }
  }
  return stored;
}

/** The database process: its URI (databases are appended) and pid; and the redis-server's pid. */
interface Database {
  uri: string;
  pid: number;
  redisPid: number;
}

async function throughput(database: Database, redisUrl: string): Promise<void> {
  const count = Number(process.env.BENCH_USERS ?? 10_000);
  const users = populationOf(count, 31);
  // The layout settings pass through, to compare layouts (inference threads 0 infer on the main thread).
  const layout = ['JOURNEYS_INFERENCE_THREADS', 'JOURNEYS_CONCURRENCY', 'JOURNEYS_SHARD_SIZE'].flatMap((name) =>
    process.env[name] === undefined ? [] : [[name, process.env[name]!]],
  );
  const app = await startContext(database.uri, redisUrl, 'bench_throughput', Object.fromEntries(layout));
  const { shardSize, concurrency, inferenceThreads } = app
    .get<ConfigService<Settings, true>>(ConfigService)
    .get('journeys', {
      infer: true,
    });
  try {
    const ingestStarted = Date.now();
    const stored = await ingestUsers(app, count, users.events);
    const ingestSeconds = (Date.now() - ingestStarted) / 1000;
    const trainStarted = Date.now();
    const { version, embedder } = await app.get(PlatformEmbedderService).current();
    console.log(
      `service: ${count} users, ${stored} events stored in ${ingestSeconds.toFixed(0)} s; embedder ${version} trained in ${Date.now() - trainStarted} ms` +
        `   (1-minute load average ${loadavg()[0].toFixed(1)})`,
    );
    const firstRun = await runToCompletion(app, 'incremental', database);
    const { run, seconds } = firstRun;
    const first = run.counts.built / seconds;
    console.log(
      `first run through Bull (every user's first build; shards of ${shardSize}, concurrency ${concurrency}, inference threads ${inferenceThreads}): ${run.counts.built} built, ${run.counts.failed} failed ` +
        `in ${seconds.toFixed(1)} s = ${first.toFixed(0)} users/s (${cpuOf(firstRun)})`,
    );
    // A full run rebuilds every user on top of the stored build (conditional updates, previous journeys kept).
    const full = await runToCompletion(app, 'full', database);
    const rebuilt = full.run.counts.built / full.seconds;
    console.log(
      `full run (every user rebuilt): ${full.run.counts.built} built, ${full.run.counts.failed} failed in ${full.seconds.toFixed(1)} s = ` +
        `${rebuilt.toFixed(0)} users/s (${cpuOf(full)})`,
    );
    // A day later: a tenth of the users send new events; the next incremental run selects only them.
    const activeCount = Math.ceil(count / 10);
    await ingestUsers(app, activeCount, (i) =>
      users
        .events(i * 10)
        .slice(-4)
        .map((e) => ({ ...e, id: `${e.id}-next` })),
    );
    const next = await runToCompletion(app, 'incremental', database);
    console.log(
      `incremental run after ${activeCount} users sent new events: selected ${next.run.counts.selected}, built ${next.run.counts.built} ` +
        `in ${next.seconds.toFixed(1)} s = ${(next.run.counts.built / next.seconds).toFixed(0)} users/s (selection included)`,
    );
    // Baseline: the same users' inference alone, events already in memory, no storage or queue. Past
    // BENCH_BASELINE_USERS (default 10,000) an evenly spaced sample of them, so a 100k run ends in time.
    // Users are regenerated 1,000 at a time outside the timed part.
    const now = new Date();
    const sampled = Math.min(count, Number(process.env.BENCH_BASELINE_USERS ?? 10_000));
    const spacing = count / sampled;
    let bare = 0;
    const bareCpu = { user: 0, system: 0 };
    for (let from = 0; from < sampled; from += 1000) {
      const chunk = Array.from({ length: Math.min(1000, sampled - from) }, (_, i) =>
        users.events(Math.floor((from + i) * spacing)),
      );
      const started = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      for (const events of chunk) buildUserJourneys(events, { now, embedder });
      bare += Number(process.hrtime.bigint() - started) / 1e9;
      const used = process.cpuUsage(cpu);
      bareCpu.user += used.user;
      bareCpu.system += used.system;
    }
    const baseline = sampled / bare;
    const baselinePerCpu = sampled / ((bareCpu.user + bareCpu.system) / 1e6);
    const perCpu = (r: TimedRun, cpu: number) => `${((r.run.counts.built / cpu / baselinePerCpu) * 100).toFixed(0)}%`;
    console.log(
      `baseline: inference only, in memory (${sampled} users): ${baseline.toFixed(0)} users/s (CPU ${((bareCpu.user + bareCpu.system) / 1e6).toFixed(1)} s); ` +
        `wall-clock ratio: first run ${((first / baseline) * 100).toFixed(0)}%, full run ${((rebuilt / baseline) * 100).toFixed(0)}%; ` +
        `per CPU second of the service process: first run ${perCpu(firstRun, firstRun.cpuSeconds)}, full run ${perCpu(full, full.cpuSeconds)}; ` +
        `service and database together: first run ${perCpu(firstRun, firstRun.cpuSeconds + firstRun.dbCpuSeconds)}, ` +
        `full run ${perCpu(full, full.cpuSeconds + full.dbCpuSeconds)}`,
    );
    const dbRss =
      Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${database.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    console.log(
      `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (this process: bench and service), ` +
        `database process ${dbRss.toFixed(0)} MB`,
    );
  } finally {
    await app.close();
  }
}

const cpuOf = (r: TimedRun) =>
  `CPU: service process ${r.cpuSeconds.toFixed(1)} s, database process ${r.dbCpuSeconds.toFixed(1)} s, ` +
  `redis-server ${r.redisCpuSeconds.toFixed(1)} s; 1-minute load average ${loadavg()[0].toFixed(1)}`;

async function namingCalls(database: Database, redisUrl: string): Promise<void> {
  const count = Number(process.env.BENCH_LLM_USERS ?? 1000);
  const server = await FakeOpenAiServer.start();
  server.onChat((request) => {
    const user = request.messages.find((m) => m.role === 'user')?.content ?? '';
    if (request.response_format?.json_schema?.name === 'related_journeys') {
      return {
        content: JSON.stringify({
          related: ['Pantry Makeover', 'Garden Shed Build', 'Patio Refresh', 'Paint Colour Plan', 'Tile Backsplash'],
        }),
        delayMs: 20,
      };
    }
    const first = JSON.parse(/<keywords>\n(.*)\n/.exec(user)?.[1] ?? '""') as string;
    return { content: JSON.stringify({ name: first.replace(/(^|\s)(\p{L})/gu, (m) => m.toUpperCase()) }), delayMs: 20 };
  });
  const app = await startContext(database.uri, redisUrl, 'bench_naming', {
    OPENAI_API_KEY: 'bench',
    OPENAI_BASE_URL: server.baseUrl,
    OPENAI_MAX_RETRIES: '0',
  });
  try {
    const population = populationOf(count, 77);
    await ingestUsers(app, count, population.events);
    await app.get(PlatformEmbedderService).current();
    const { run, seconds } = await runToCompletion(app, 'full', database);
    const u = run.llmUsage;
    const named = u.namingCalls + u.namingCacheHits;
    console.log(`naming: ${count} users, ${named} journeys named in ${seconds.toFixed(1)} s`);
    console.log(
      `naming calls per 1,000 users: ${((u.namingCalls / count) * 1000).toFixed(0)} with the signature cache vs ${((named / count) * 1000).toFixed(0)} without (one per journey); ` +
        `cache hit rate ${((u.namingCacheHits / named) * 100).toFixed(1)}%, ${u.namingFallbacks} fallbacks`,
    );
    // What other signature widths would need on the same journeys (one call per distinct signature).
    const stored = await db(app)
      .collection('user_journeys')
      .find({}, { projection: { journeys: 1 } })
      .toArray();
    const clusters = stored.flatMap((d) => d.journeys as Array<{ keywords: JourneyKeyword[] }>);
    const widths = [1, 2, 3, 4, 5].map(
      (k) =>
        `${k}: ${new Set(clusters.map((c) => namingSignature(c, 'en', { ...DEFAULT_NAMING_RULES, groundingKeywords: k }))).size}`,
    );
    console.log(
      `distinct naming signatures by keywords in the key (upper bound of calls): ${widths.join(', ')}; configured 3`,
    );
    console.log(
      `expansion calls: ${u.expansionCalls} (one per distinct journey name); tokens ${u.promptTokens} prompt + ${u.completionTokens} completion; HTTP requests ${server.requests.length}`,
    );
  } finally {
    await app.close();
    await server.stop();
  }
}

export async function run(): Promise<void> {
  // The database runs as `npm run mongo:embedded` runs it, with a 64 MB young generation and an old generation
  // of half the machine's memory (it holds every event in memory); BENCH_DB_HEAP_MB sets another size in MB.
  // BENCH_DB_NODE_OPTIONS adds options (a profiler preload, say; a later option wins).
  const heap = process.env.BENCH_DB_HEAP_MB ?? String(databaseHeapMegabytes());
  const nodeOptions = [
    '--max-semi-space-size=64',
    `--max-old-space-size=${heap}`,
    process.env.BENCH_DB_NODE_OPTIONS ?? '',
  ];
  const mongo = startEmbeddedMongoProcess(undefined, { NODE_OPTIONS: nodeOptions.join(' ').trim() });
  let stopping = false;
  mongo.child.once('exit', (code, signal) => {
    if (!stopping) console.error(`database process exited (${code ?? signal}): ${mongo.output().slice(-1500)}`);
  });
  const redis = await startRedisProcess();
  try {
    const database = { uri: `${await mongo.url}/`, pid: mongo.child.pid!, redisPid: redis.pid };
    if (Number(process.env.BENCH_USERS ?? 1) > 0) await throughput(database, redis.url);
    if (Number(process.env.BENCH_LLM_USERS ?? 1) > 0) await namingCalls(database, redis.url);
  } finally {
    stopping = true;
    await mongo.stop();
    await redis.stop();
  }
}
