/**
 * The tracking endpoints over HTTP: the composed app listening on loopback (the embedded MongoDB-compatible
 * server in this process, a private redis-server), driven by one client of `BENCH_TRACKING_CLIENTS` (default 32)
 * concurrent requests over keep-alive connections. On `BENCH_TRACKING_NOTIFICATIONS` (default 4000) sent email
 * notifications and as many push ones: requests/s and p50/p99 latency of first opens (the pixel), repeat opens,
 * first clicks (the redirect, on opened messages), first push opens (`POST /v1/track/push-open`) and forged
 * pixel and click tokens; `GET /health` (a `ping` to the database and a PING to Redis).
 * Each phase is preceded by a slice of the baseline, measured with the same client: a GET that touches neither
 * database nor Redis (the console's stylesheet), so a busy neighbour moves a phase and its baseline alike.
 * Then each phase's work per request: the embedded server's commands by name and collection, how many came
 * back empty (the `exists` read that takes back the events of a user erased meanwhile is `find notifications
 * (exists)`, a find projecting only `_id`), and Redis's commands (`INFO commandstats`). The CPU per request is
 * this process's (client, app and database together), and of its main thread, which runs all three. The counts
 * need no quiet machine; the rates and times do.
 */
import { INestApplication } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { Agent, request } from 'node:http';
import { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config';
import { startTestMongo } from '../setup/mongo';
import { startTestRedis } from '../setup/redis';
import { LINKS_BASE, pathOf, sendTracked, tampered, tokenOf } from '../e2e/support/tracking';
import { byNameAndCollection, countCommands, redisCommandCalls, totalWork, Work } from '../setup/command-tally';
import { LoadResult, percentile, runLoad } from './support/latency';
import { mainThreadCpuSeconds } from './support/thread-cpu';

const NOTIFICATIONS = Number(process.env.BENCH_TRACKING_NOTIFICATIONS ?? 4000);
const CLIENTS = Number(process.env.BENCH_TRACKING_CLIENTS ?? 32);
const WARM_UP = 200;
const BASELINE_SLICE = 1000;
const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko)';
const STYLESHEET = '/console/assets/console.css';

/** One request of a phase: method, path, JSON body, and the status it must get. */
interface Call {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  status: number;
}

interface Phase {
  label: string;
  /** The baseline's slice measured just before the phase. */
  baseline: LoadResult;
  load: LoadResult;
  cpuMs: number;
  /** Of the main thread alone (Linux only). */
  mainCpuMs?: number;
  commands: Map<string, Work>;
  redis: number;
}

/** Seeded notifications' tracking: the pixel path, the first link's path, the push-open token. */
interface Seeded {
  pixels: string[];
  clicks: string[];
  pushTokens: string[];
}

/** `find`s that project only `_id` (mongoose's `exists`) get a row of their own. */
const keyOf = (body: Record<string, unknown>) => {
  const key = byNameAndCollection(body);
  const projection = body.projection as Record<string, unknown> | undefined;
  return 'find' in body && projection && Object.keys(projection).join() === '_id' ? `${key} (exists)` : key;
};

export async function run(): Promise<void> {
  const [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  let app: INestApplication | undefined;
  const counting = countCommands(keyOf);
  try {
    const settings = loadConfig({
      NODE_ENV: 'test',
      MONGODB_URI: `${mongo.uri}bench_tracking`,
      REDIS_URL: redis.url,
      REDIS_PREFIX: 'bench_tracking',
      PUBLIC_BASE_URL: LINKS_BASE,
      RATE_LIMIT_REQUESTS: '1000000',
    });
    app = await createApp(settings, false);
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const send = (call: Call) => sendOver(agent, port, call);

    const seedStarted = performance.now();
    const warm = await seed(app, 'warm', WARM_UP);
    const bench = await seed(app, 'bench', NOTIFICATIONS);
    // As a campaign's fan-out stores them for users with journeys: the ranker's label goes on the notification.
    await app
      .get<Connection>(getConnectionToken())
      .collection('notifications')
      .updateMany({}, { $set: { ranking: { journeyId: 'j1', journeyName: 'Kitchen', features: { recency: 1 } } } });
    console.log(
      `${NOTIFICATIONS} sent email and ${NOTIFICATIONS} push notifications seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s;` +
        ` ${CLIENTS} concurrent requests over keep-alive connections; ${cpus().length} cores, load ${loadavg()[0].toFixed(2)}`,
    );
    // Untimed: every route once per warm-up notification, so the timed phases run warm code.
    for (const calls of phaseCalls(warm)) await runLoad(calls.slice(0, WARM_UP), CLIENTS, send);
    const repeat = (call: Call) => Array.from({ length: NOTIFICATIONS }, () => call);
    await runLoad(repeat(stylesheet()).slice(0, WARM_UP), CLIENTS, send);

    const phases: Phase[] = [];
    const measure = async (label: string, calls: Call[]) => {
      const baseline = await runLoad(repeat(stylesheet()).slice(0, BASELINE_SLICE), CLIENTS, send);
      counting.take();
      const redisBefore = await redisCommandCalls(redis.url);
      const cpu = process.cpuUsage();
      const mainCpu = mainThreadCpuSeconds();
      const load = await runLoad(calls, CLIENTS, send);
      const used = process.cpuUsage(cpu);
      const mainUsed = mainCpu === undefined ? undefined : mainThreadCpuSeconds()! - mainCpu;
      const commands = counting.take();
      const redisAfter = await redisCommandCalls(redis.url);
      // The two INFO calls themselves are left out.
      const redisCalls = [...redisAfter].reduce((sum, [name, n]) => sum + n - (redisBefore.get(name) ?? 0), 0) - 2;
      phases.push({
        label,
        baseline,
        load,
        cpuMs: (used.user + used.system) / 1000 / calls.length,
        ...(mainUsed !== undefined && { mainCpuMs: (mainUsed * 1000) / calls.length }),
        commands,
        redis: redisCalls,
      });
    };
    const [firstOpens, repeatOpens, firstClicks, pushOpens, forgedPixels, forgedClicks] = phaseCalls(bench);
    await measure('baseline itself: GET console.css', repeat(stylesheet()));
    await measure('GET /health', repeat({ method: 'GET', path: '/health', status: 200 }));
    await measure('first opens: GET /t/o', firstOpens);
    await measure('repeat opens: GET /t/o', repeatOpens);
    await measure('first clicks (opened): GET /t/c', firstClicks);
    await measure('first push opens: POST push-open', pushOpens);
    await measure('forged pixel tokens: GET /t/o', forgedPixels);
    await measure('forged click tokens: GET /t/c', forgedClicks);
    console.log(
      `baseline: GET ${STYLESHEET}, served from memory, no database or Redis; /health sends the database a ping and` +
        ' Redis a PING; forged tokens are a pixel (200) and a 404 page.' +
        ` Each row's ratios are to ${BASELINE_SLICE} baseline requests measured just before it (base req/s, base p50)`,
    );
    report(phases);
    console.log(
      `load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} on ${cpus().length} cores`,
    );
  } finally {
    counting.stop();
    agent.destroy();
    await app?.close();
    await Promise.all([mongo.stop(), redis.stop()]);
  }
}

const stylesheet = (): Call => ({ method: 'GET', path: STYLESHEET, status: 200 });

/** The tracking phases' requests, one per notification each, in the order they are measured. */
function phaseCalls({ pixels, clicks, pushTokens }: Seeded): Call[][] {
  const get = (status: number) => (path: string) => ({ method: 'GET' as const, path, status });
  const pushOpen = (token: string) => ({
    method: 'POST' as const,
    path: '/v1/track/push-open',
    body: JSON.stringify({ token }),
    status: 204,
  });
  return [
    pixels.map(get(200)),
    pixels.map(get(200)),
    clicks.map(get(302)),
    pushTokens.map(pushOpen),
    pixels.map((p) => `/t/o/${tampered(tokenOf(p))}`).map(get(200)),
    clicks.map((p) => `/t/c/${tampered(tokenOf(p))}`).map(get(404)),
  ];
}

/** `count` sent email notifications and as many push ones, sent two hours ago (outside the machine-open window). */
async function seed(app: INestApplication, tag: string, count: number): Promise<Seeded> {
  const sentAt = new Date(Date.now() - 2 * 3_600_000);
  const seeded: Seeded = { pixels: [], clicks: [], pushTokens: [] };
  const indexes = Array.from({ length: count }, (_, i) => i);
  await runLoad(indexes, 16, async (i) => {
    const email = await sendTracked(app, { notificationId: `${tag}-e${i}`, userId: `${tag}-u${i}` }, sentAt);
    const push = await sendTracked(
      app,
      { notificationId: `${tag}-p${i}`, userId: `${tag}-u${i}`, channel: 'push' },
      sentAt,
    );
    seeded.pixels[i] = pathOf(email.issued.openPixelUrl!);
    seeded.clicks[i] = pathOf(email.issued.resolveLink(email.notification.links[0]));
    seeded.pushTokens[i] = push.issued.pushOpenToken!;
  });
  return seeded;
}

/** One request on the keep-alive agent; fails unless it gets the call's status. The body is read and dropped. */
function sendOver(agent: Agent, port: number, call: Call): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: call.method,
        path: call.path,
        headers: {
          'User-Agent': BROWSER,
          ...(call.body !== undefined && {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(call.body),
          }),
        },
      },
      (res) => {
        res.resume();
        res.on('error', reject);
        res.on('end', () =>
          res.statusCode === call.status
            ? resolve()
            : reject(new Error(`${call.method} ${call.path}: ${res.statusCode}, expected ${call.status}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(call.body);
  });
}

/** Rates and latencies against the baseline measured just before each phase, then each phase's database work. */
function report(phases: Phase[]): void {
  const rate = (load: LoadResult) => load.latencies.length / load.seconds;
  const p50 = (load: LoadResult) => percentile(load.latencies, 0.5);
  const ms = (v: number) => `${v.toFixed(2).padStart(6)} ms`;
  console.log(
    `${'request kind'.padEnd(34)} ${'req/s'.padStart(6)} ${'x base'.padStart(6)}  ${'p50'.padStart(9)} ${'x base'.padStart(6)}` +
      `  ${'p99'.padStart(9)}  ${'CPU/req'.padStart(9)} ${'main'.padStart(9)}  ${'loop stall'.padStart(10)}  ${'base req/s'.padStart(10)} ${'base p50'.padStart(9)}`,
  );
  for (const { label, load, baseline, cpuMs, mainCpuMs } of phases) {
    console.log(
      `${label.padEnd(34)} ${Math.round(rate(load)).toString().padStart(6)} ${(rate(load) / rate(baseline)).toFixed(2).padStart(6)}` +
        `  ${ms(p50(load))} ${(p50(load) / p50(baseline)).toFixed(2).padStart(6)}  ${ms(percentile(load.latencies, 0.99))}` +
        `  ${ms(cpuMs)} ${mainCpuMs === undefined ? '        -' : ms(mainCpuMs)}  ${ms(load.maxLoopDelayMs).padStart(10)}  ${Math.round(rate(baseline)).toString().padStart(10)} ${ms(p50(baseline))}`,
    );
  }
  console.log(
    "database work per request: round trips by command and collection, how many came back empty, the handlers' time;" +
      ' (exists): a find projecting only _id',
  );
  for (const p of phases) {
    const n = p.load.latencies.length;
    const total = totalWork(p.commands.values());
    const check = totalWork([...p.commands].filter(([key]) => ERASURE_CHECK.test(key)).map(([, w]) => w));
    const share =
      check.calls > 0
        ? `; the erasure check ${((100 * check.calls) / total.calls).toFixed(0)}% of the round trips,` +
          ` ${((100 * check.ns) / total.ns).toFixed(0)}% of the server time`
        : '';
    console.log(
      `${p.label}: ${(total.calls / n).toFixed(2)} round trips (${(total.empty / n).toFixed(2)} empty),` +
        ` server ${(total.ns / n / 1000).toFixed(1)} µs${share}; Redis ${(p.redis / n).toFixed(2)} commands`,
    );
    for (const [key, w] of [...p.commands].sort((a, b) => b[1].calls - a[1].calls)) {
      if (w.calls / n < 0.005) continue;
      console.log(
        `  ${key.padEnd(40)} ${(w.calls / n).toFixed(2).padStart(5)}  empty ${(w.empty / n).toFixed(2).padStart(4)}` +
          `  server ${(w.ns / n / 1000).toFixed(1).padStart(5)} µs`,
      );
    }
  }
}

/** forgetEventsIfErased's read: whether the notification is still stored, wherever its tracking lives. */
const ERASURE_CHECK = /^find (notifications|tracked_notifications) \(exists\)$/;
