/**
 * End-to-end sending: a campaign run from its start to its completion (selection, fan-out, assignment,
 * compose, eligibility, caps, notification records, delivery jobs, the channel, after-send records), in
 * notifications per second, to the outbox and to a loopback SMTP server, next to the raw Bull rate of
 * empty jobs on the same Redis in the same run (target: at least half of it for the outbox). Peak RSS
 * is sampled during the largest run; the embedded MongoDB-compatible server shares the process, unless
 * `BENCH_DELIVERY_MONGO=process` starts it in its own process (as MongoDB is in production; the RSS
 * is then this process's only). `BENCH_DELIVERY_SIZES` (default "10000,100000") sets the recipient counts,
 * `BENCH_DELIVERY_TARGETS` (default "outbox,smtp") the channels;
 * `BENCH_DELIVERY_BATCH_SIZE` and `BENCH_DELIVERY_ACCEPTED_WRITE_DELAY_MS` set the delivery settings of the same
 * names; `BENCH_CPU_PROFILE_DIR` writes a CPU profile of each run (the run only, not the seeding) there. Next to the rate,
 * the CPU per notification of this process, of the database process (when it has its own) and of Redis, which other
 * processes on the machine disturb less.
 */
import Bull from 'bull';
import Redis from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignRunsService } from '../../src/modules/campaigns/runs/campaign-runs.service';
import { sendingSettings, startSendingContext, startServers, waitForRun } from '../integration/sending/sending-harness';
import { RedisProcess } from '../../src/common/redis/redis-process';
import { startEmbeddedMongoProcess } from '../e2e/support/app-process';
import { startTestRedis } from '../setup/redis';
import { SmtpSink } from '../setup/smtp-sink';
import { profiled } from './support/cpu-profile';
import { processCpuSeconds } from './support/thread-cpu';
import { benchCampaign, benchCampaignsDir, seedBenchAudience } from './support/delivery-campaign';

const SIZES = (process.env.BENCH_DELIVERY_SIZES ?? '10000,100000').split(',').map(Number);
const TARGETS = (process.env.BENCH_DELIVERY_TARGETS ?? 'outbox,smtp').split(',') as Array<'outbox' | 'smtp'>;
const MONGO_IN_PROCESS = process.env.BENCH_DELIVERY_MONGO !== 'process';
const JOB_CONCURRENCY = 20;
const DELIVERY_ENV = {
  ...(process.env.BENCH_DELIVERY_BATCH_SIZE && { DELIVERY_BATCH_SIZE: process.env.BENCH_DELIVERY_BATCH_SIZE }),
  ...(process.env.BENCH_DELIVERY_ACCEPTED_WRITE_DELAY_MS && {
    DELIVERY_ACCEPTED_WRITE_DELAY_MS: process.env.BENCH_DELIVERY_ACCEPTED_WRITE_DELAY_MS,
  }),
};

/** Empty jobs through one Bull queue: added in bulk, processed with the delivery job's concurrency. */
async function rawBull(redisUrl: string, count: number): Promise<number> {
  const queue = new Bull(`raw-${count}`, redisUrl, { prefix: 'bench-raw' });
  let done = 0;
  const finished = new Promise<void>((resolve) => {
    void queue.process(JOB_CONCURRENCY, async () => {
      if (++done === count) resolve();
    });
  });
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1000) {
    const size = Math.min(1000, count - i);
    await queue.addBulk(Array.from({ length: size }, () => ({ data: {}, opts: { removeOnComplete: true } })));
  }
  await finished;
  const rate = count / (Number(process.hrtime.bigint() - started) / 1e9);
  await queue.close();
  return rate;
}

/** Redis and the embedded database, in this process or in its own (BENCH_DELIVERY_MONGO, with its pid). */
async function databases(): Promise<{
  mongoUri: string;
  mongoPid?: number;
  redis: RedisProcess;
  stop(): Promise<void>;
}> {
  if (MONGO_IN_PROCESS) {
    const servers = await startServers();
    return { mongoUri: servers.mongo.uri, redis: servers.redis, stop: () => servers.stop() };
  }
  const mongo = startEmbeddedMongoProcess();
  const [url, redis] = await Promise.all([mongo.url, startTestRedis()]);
  const mongoUri = `${url}/`;
  const stop = async () => void (await Promise.all([mongo.stop(), redis.stop()]));
  return { mongoUri, mongoPid: mongo.child.pid, redis, stop };
}

/** The CPU seconds Redis reports it has used (`INFO cpu`: user and system, its main thread and the others). */
async function redisCpuSeconds(url: string): Promise<number> {
  const client = new Redis(url);
  try {
    const info = await client.info('cpu');
    const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
    return field('used_cpu_user') + field('used_cpu_sys');
  } finally {
    client.disconnect();
  }
}

/** One run of `count` recipients through the real modules in this process; notifications per second. */
async function endToEnd(
  target: 'outbox' | 'smtp',
  count: number,
  peak: { rss: number },
): Promise<{ rate: number; cpuMs: number; databaseCpuMs?: number; redisCpuMs: number }> {
  const servers = await databases();
  const sink = target === 'smtp' ? await SmtpSink.start() : undefined;
  const outbox = mkdtempSync(join(tmpdir(), 'jc-bench-outbox-'));
  const app = await startSendingContext(
    sendingSettings(servers.mongoUri, servers.redis, 'bench', {
      CAMPAIGNS_DIR: benchCampaignsDir(),
      DELIVERY_OUTBOX_DIR: outbox,
      ...(sink && { SMTP_URL: sink.url }),
      CAMPAIGN_RUNS_CONCURRENCY: '4',
      ...DELIVERY_ENV,
    }),
  );
  try {
    await seedBenchAudience(app, count);
    const sampler = setInterval(() => (peak.rss = Math.max(peak.rss, process.memoryUsage.rss())), 200);
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const databaseCpu = processCpuSeconds(servers.mongoPid);
    const redisCpu = await redisCpuSeconds(servers.redis.url);
    const finished = await profiled(`delivery-${target}-${count}`, async () => {
      const run = await app.get(CampaignRunsService).startManual(benchCampaign.id, 'bench');
      return waitForRun(app, run.runId, 24 * 3_600_000);
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    const databaseUsed = databaseCpu === undefined ? undefined : processCpuSeconds(servers.mongoPid)! - databaseCpu;
    const redisUsed = (await redisCpuSeconds(servers.redis.url)) - redisCpu;
    clearInterval(sampler);
    if (finished.counts.sent !== count) throw new Error(`sent ${finished.counts.sent} of ${count}`);
    if (sink && sink.messages.length !== count) throw new Error(`the SMTP server got ${sink.messages.length}`);
    return {
      rate: count / seconds,
      cpuMs: (used.user + used.system) / 1000 / count,
      ...(databaseUsed !== undefined && { databaseCpuMs: (databaseUsed * 1000) / count }),
      redisCpuMs: (redisUsed * 1000) / count,
    };
  } finally {
    await app.close();
    await Promise.all([servers.stop(), sink?.stop()]);
    rmSync(outbox, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  console.log(`database: the embedded server ${MONGO_IN_PROCESS ? 'in this process' : 'in its own process'}`);
  if (Object.keys(DELIVERY_ENV).length > 0) console.log(`settings: ${JSON.stringify(DELIVERY_ENV)}`);
  for (const count of SIZES) {
    const servers = await startServers();
    const raw = await rawBull(servers.redis.url, count).finally(() => servers.stop());
    console.log(
      `${count} recipients: raw Bull, empty jobs, concurrency ${JOB_CONCURRENCY}: ${Math.round(raw)} jobs/s` +
        `   load ${loadavg()[0].toFixed(2)}`,
    );
    for (const target of TARGETS) {
      const peak = { rss: 0 };
      const { rate, cpuMs, databaseCpuMs, redisCpuMs } = await endToEnd(target, count, peak);
      const database = databaseCpuMs === undefined ? '' : ` + database ${databaseCpuMs.toFixed(2)}`;
      console.log(
        `${count} recipients: end to end to the ${target.padEnd(6)} ${Math.round(rate).toString().padStart(6)} notifications/s` +
          `   ratio to raw Bull ${(rate / raw).toFixed(3)}   ${cpuMs.toFixed(2)} ms CPU each` +
          `${database} + Redis ${redisCpuMs.toFixed(2)}` +
          `   peak RSS ${Math.round(peak.rss / 1048576)} MB   load ${loadavg()[0].toFixed(2)}`,
      );
    }
  }
}
