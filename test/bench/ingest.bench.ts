/**
 * Ingest throughput: events/s through POST /v1/events in batches of 500 on the embedded defaults
 * (in-process embedded MongoDB-compatible server with a data directory, private redis-server), against a direct
 * insertMany of the same documents into the same server as the baseline. Then many clients at once
 * (BENCH_INGEST_CLIENTS, default 20) posting batches of 100: events/s, p50/p99 request latency, the
 * longest event-loop stall and the slowest /health ping, against the same clients inserting through the driver.
 *
 * BENCH_INGEST_PREFILL (default 0) first fills the store to that many events (e.g. 1200000), and
 * BENCH_INGEST_DIR keeps the data directory (e.g. ./data/bench-ingest) so a filled store is reused.
 */
import { INestApplication } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.factory';
import { startRedisProcess } from '../../src/common/redis/redis-process';
import { loadConfig } from '../../src/config';
import { EmbeddedMongo } from '../../src/embedded-mongo';
import { validateEventBatch } from '../../src/modules/ingest/domain/event-batch';
import { AccessService } from '../../src/modules/access/access.service';
import { RawEvent, generatePopulation } from '../../src/lib/synthetic/population';
import { loadLine, percentile, runLoad } from './support/latency';
import { loadOverHttp, loadThroughDriver, postBatch, prefillEvents } from './support/ingest-load';

const BATCH = 500;
const CONCURRENT_BATCH = 100;

// Ids are new in every run, so a kept data directory never turns a run's events into duplicates.
const RUN = Date.now().toString(36);

function batchesOf(events: RawEvent[], tag: string, size = BATCH): RawEvent[][] {
  const out: RawEvent[][] = [];
  for (let i = 0; i < events.length; i += size) {
    out.push(events.slice(i, i + size).map((e) => ({ ...e, id: `${RUN}-${tag}-${e.id}` })));
  }
  return out;
}

async function postAll(baseUrl: string, token: string, batches: RawEvent[][], concurrency: number): Promise<number> {
  return (await runLoad(batches, concurrency, (events) => postBatch(baseUrl, token, events))).seconds;
}

function line(label: string, events: number, seconds: number): void {
  console.log(
    `${label.padEnd(44)} ${String(events).padStart(7)} events  ${seconds.toFixed(3).padStart(7)} s  ${Math.round(
      events / seconds,
    )
      .toString()
      .padStart(7)} events/s`,
  );
}

export async function run(): Promise<void> {
  // A data directory, as with the embedded defaults: every write is journaled.
  const kept = process.env.BENCH_INGEST_DIR;
  const dir = kept ?? mkdtempSync(join(tmpdir(), 'jc-bench-ingest-'));
  if (kept) mkdirSync(kept, { recursive: true });
  const prefill = Number(process.env.BENCH_INGEST_PREFILL ?? 0);
  const clients = Number(process.env.BENCH_INGEST_CLIENTS ?? 20);
  const bootStarted = process.hrtime.bigint();
  const [mongo, redis] = await Promise.all([EmbeddedMongo.start({ dir }), startRedisProcess()]);
  const bootSeconds = Number(process.hrtime.bigint() - bootStarted) / 1e9;
  let app: INestApplication | undefined;
  try {
    const settings = loadConfig({
      NODE_ENV: 'test',
      MONGODB_URI: `${mongo.uri}bench`,
      REDIS_URL: redis.url,
      RATE_LIMIT_REQUESTS: '1000000',
    });
    app = await createApp(settings, false);
    await app.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const token = (await app.get(AccessService).createKey({ name: 'bench', scopes: ['ingest'] })).token;
    const events = generatePopulation({ seed: 11, users: 800, now: new Date() }).events.slice(0, 40_000);
    const n = events.length;
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    console.log(
      `${n} synthetic events, batches of ${BATCH}, ${cpus().length} cores (load average ${load}), app and embedded server in one process`,
    );
    const db = app.get<Connection>(getConnectionToken());
    const stored = await prefillEvents(db, prefill, (text) => console.log(text));
    console.log(`store: ${stored} events before the run (data directory loaded in ${bootSeconds.toFixed(1)} s)`);

    await postAll(baseUrl, token, batchesOf(events.slice(0, 2000), 'warm'), 2);
    const validateStart = process.hrtime.bigint();
    for (const batch of batchesOf(events, 'v')) validateEventBatch({ events: batch }, new Date());
    line('validate only (validateEventBatch)', n, Number(process.hrtime.bigint() - validateStart) / 1e9);

    const baseline = db.collection('events_baseline');
    await baseline.createIndex({ id: 1 }, { unique: true });
    await baseline.createIndex({ userId: 1, occurredAt: 1 });
    const docs = batchesOf(events, 'b').map((b) =>
      b.map((e) => ({ ...e, occurredAt: new Date(e.occurredAt), receivedAt: new Date() })),
    );
    const baseStart = process.hrtime.bigint();
    for (const batch of docs) await baseline.insertMany(batch, { ordered: false });
    line('baseline: driver insertMany, same indexes', n, Number(process.hrtime.bigint() - baseStart) / 1e9);

    line('HTTP POST /v1/events, 1 request at a time', n, await postAll(baseUrl, token, batchesOf(events, 'c1'), 1));
    line('HTTP POST /v1/events, 4 concurrent requests', n, await postAll(baseUrl, token, batchesOf(events, 'c4'), 4));
    line(
      'HTTP replay of stored events (all duplicates)',
      n,
      (await runLoad(batchesOf(events, 'c4'), 1, (batch) => postBatch(baseUrl, token, batch, false))).seconds,
    );

    const driver = await loadThroughDriver(db, batchesOf(events, `d${clients}`, CONCURRENT_BATCH), clients);
    console.log(loadLine(`baseline: driver insertMany, ${clients} clients`, n, driver));
    const http = await loadOverHttp(baseUrl, token, batchesOf(events, `h${clients}`, CONCURRENT_BATCH), clients);
    console.log(loadLine(`HTTP POST /v1/events, ${clients} clients`, n, http));
    console.log(
      `ratio HTTP / driver: throughput ${(driver.seconds / http.seconds).toFixed(2)}, p99 ${(
        percentile(http.latencies, 0.99) / percentile(driver.latencies, 0.99)
      ).toFixed(2)}`,
    );
  } finally {
    await app?.close();
    await Promise.all([mongo.stop(), redis.stop()]);
    if (!kept) rmSync(dir, { recursive: true, force: true });
  }
}
