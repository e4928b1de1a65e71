/**
 * Stalls of the embedded defaults on a large store (app and embedded server in one process, a data
 * directory, a private redis-server): a store is filled with BENCH_EVENTS events (default 1.1M), then
 * - the longest pause a `ping` from another connection sees while a snapshot of the store is written,
 * - the longest ping pause during a `$group` over every event,
 * - HTTP ingest with 20 concurrent clients on that store: throughput, p50/p99/max request latency
 *   and the longest `/health` stall, while the journal reaches its threshold and is compacted.
 * Each pause is printed beside the baseline ping round trip measured on the idle server in the same run, with
 * the longest GC pause and the longest CPU slice (CPU time between two timer turns, robust to a busy machine).
 */
import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { PerformanceObserver } from 'node:perf_hooks';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { createApp } from '../../src/app.factory';
import { startRedisProcess } from '../../src/common/redis/redis-process';
import { loadConfig } from '../../src/config';
import { EmbeddedMongo } from '../../src/embedded-mongo';
import { AccessService } from '../../src/modules/access/access.service';
import { RawEvent, generatePopulation } from '../../src/lib/synthetic/population';

const CLIENTS = 20;
const BATCH = 100;

/**
 * Pings over its own connection every millisecond and keeps the longest gap between two answers
 * (a stall shows whether it caught a ping in flight or the timer between two pings).
 */
class Pinger {
  private longest = 0;
  private last = performance.now();
  private running = true;
  private readonly done: Promise<void>;

  constructor(private readonly probe: () => Promise<unknown>) {
    this.done = this.loop();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      // A failed probe (a keep-alive socket closed during a stall) counts with its duration.
      await this.probe().catch(() => undefined);
      const now = performance.now();
      this.longest = Math.max(this.longest, now - this.last);
      this.last = now;
      this.settled?.();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  private settled: (() => void) | undefined;

  /** Resolves once the probe in flight has come back, so a stall it is caught in is counted. */
  settle(): Promise<void> {
    return new Promise((resolve) => (this.settled = resolve));
  }

  /** Resets the maximum (the next reading covers only what follows). */
  reset(): void {
    this.longest = 0;
    this.last = performance.now();
  }

  get max(): number {
    return this.longest;
  }

  async stop(): Promise<number> {
    this.running = false;
    await this.done;
    return this.longest;
  }
}

function storedEvent(i: number, receivedAt: Date): Record<string, unknown> {
  return {
    id: `fill-${i}`,
    userId: `u${i % 20_000}`,
    type: i % 3 === 0 ? 'search' : 'view',
    occurredAt: new Date(receivedAt.getTime() - (i % 86_400) * 1000),
    ...(i % 3 === 0
      ? { query: `winter garden ideas ${i % 997}` }
      : { item: { id: `pin-${i % 50_000}`, title: `Cozy reading nook ${i % 311}`, categories: ['home', 'decor'] } }),
    properties: { source: 'bench', session: `s${i % 5000}` },
    receivedAt,
  };
}

/** The longest garbage-collection pause since the last reading: stalls no slicing can remove. */
class GcPauses {
  private longest = 0;
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) this.longest = Math.max(this.longest, entry.duration);
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  take(): number {
    const value = this.longest;
    this.longest = 0;
    return value;
  }

  stop(): void {
    this.observer.disconnect();
  }
}

/**
 * The most CPU time the process spent between two turns of a 1 ms timer: how long the event loop was
 * held, in CPU time, so that it reads the same on an idle machine and on one shared with other work
 * (wall-clock pauses there also count the time the process waited for a core). GC threads count too.
 */
class CpuSlices {
  private longest = 0;
  private last = process.cpuUsage();
  private readonly timer = setInterval(() => {
    const used = process.cpuUsage(this.last);
    this.last = process.cpuUsage();
    this.longest = Math.max(this.longest, (used.user + used.system) / 1000);
  }, 1);

  take(): number {
    const value = this.longest;
    this.longest = 0;
    return value;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function fillStore(uri: string, total: number): Promise<number> {
  const client = await MongoClient.connect(uri);
  const events = client.db('bench').collection('events');
  const started = performance.now();
  const receivedAt = new Date();
  for (let from = 0; from < total; from += 5000) {
    const docs = Array.from({ length: Math.min(5000, total - from) }, (_, j) => storedEvent(from + j, receivedAt));
    await events.insertMany(docs, { ordered: false });
  }
  await client.close();
  return (performance.now() - started) / 1000;
}

/** Writes a snapshot of the whole store now (the same work compaction does when the journal is full). */
async function snapshotNow(mongo: EmbeddedMongo): Promise<void> {
  await mongo.snapshot();
}

async function ingest(baseUrl: string, token: string, events: RawEvent[], health: Pinger) {
  const batches: RawEvent[][] = [];
  for (let i = 0; i < events.length; i += BATCH) {
    batches.push(events.slice(i, i + BATCH).map((e) => ({ ...e, id: `ingest-${e.id}` })));
  }
  const latencies: number[] = [];
  let next = 0;
  health.reset();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        const t0 = performance.now();
        const res = await fetch(`${baseUrl}/v1/events`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ events: batch }),
        });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`batch failed: ${res.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    throughput: events.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1],
    healthStall: health.max,
  };
}

export async function run(): Promise<void> {
  const total = Number(process.env.BENCH_EVENTS ?? 1_100_000);
  const dir = mkdtempSync(join(tmpdir(), 'jc-bench-stalls-'));
  const [mongo, redis] = await Promise.all([EmbeddedMongo.start({ dir }), startRedisProcess()]);
  let app: INestApplication | undefined;
  const client = await MongoClient.connect(mongo.uri, { maxPoolSize: 1 });
  try {
    const settings = loadConfig({
      NODE_ENV: 'test',
      MONGODB_URI: `${mongo.uri}bench`,
      REDIS_URL: redis.url,
      RATE_LIMIT_REQUESTS: '10000000',
    });
    app = await createApp(settings, false);
    await app.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const token = (await app.get(AccessService).createKey({ name: 'bench', scopes: ['ingest'] })).token;
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    console.log(`${total} stored events, ${cpus().length} cores (load average ${load}), app and server in one process`);

    const db = client.db('bench');
    const cpu = new CpuSlices();
    const idle: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      await db.command({ ping: 1 });
      idle.push(performance.now() - t0);
    }
    idle.sort((a, b) => a - b);
    console.log(
      `baseline: idle ping p50 ${ms(percentile(idle, 50))}, max ${ms(idle[idle.length - 1])}, longest CPU slice ${ms(cpu.take())}`,
    );

    const gc = new GcPauses();
    const pinger = new Pinger(() => db.command({ ping: 1 }));
    const fillSeconds = await fillStore(mongo.uri, total);
    await pinger.settle();
    console.log(
      `fill: ${total} events in ${fillSeconds.toFixed(1)} s, longest ping ${ms(pinger.max)} (longest GC pause ${ms(gc.take())}, longest CPU slice ${ms(cpu.take())})`,
    );

    pinger.reset();
    gc.take();
    cpu.take();
    const snapStart = performance.now();
    await snapshotNow(mongo);
    await pinger.settle();
    console.log(
      `snapshot of the store: ${((performance.now() - snapStart) / 1000).toFixed(1)} s, longest ping ${ms(pinger.max)} (longest GC pause ${ms(gc.take())}, longest CPU slice ${ms(cpu.take())})`,
    );

    pinger.reset();
    gc.take();
    cpu.take();
    const aggStart = performance.now();
    const groups = await db
      .collection('events')
      .aggregate([{ $match: { type: 'view' } }, { $group: { _id: '$userId', n: { $sum: 1 } } }])
      .toArray();
    await pinger.settle();
    console.log(
      `$group over the events (${groups.length} groups): ${((performance.now() - aggStart) / 1000).toFixed(1)} s, longest ping ${ms(pinger.max)} (longest GC pause ${ms(gc.take())}, longest CPU slice ${ms(cpu.take())})`,
    );
    await pinger.stop();

    const health = new Pinger(() => fetch(`${baseUrl}/health`).then((r) => r.arrayBuffer()));
    const events = generatePopulation({ seed: 5, users: 3000, now: new Date() }).events.slice(0, 150_000);
    gc.take();
    cpu.take();
    const result = await ingest(baseUrl, token, events, health);
    await health.settle();
    await health.stop();
    console.log(
      `ingest, ${CLIENTS} clients x batches of ${BATCH}: ${Math.round(result.throughput)} events/s, p50 ${ms(result.p50)}, p99 ${ms(result.p99)}, max ${ms(result.max)}, longest /health ${ms(result.healthStall)} (longest GC pause ${ms(gc.take())}, longest CPU slice ${ms(cpu.take())})`,
    );
    gc.stop();
    cpu.stop();
  } finally {
    await client.close();
    await app?.close();
    const stopStart = performance.now();
    await mongo.stop();
    console.log(`stop: ${((performance.now() - stopStart) / 1000).toFixed(1)} s`);
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
