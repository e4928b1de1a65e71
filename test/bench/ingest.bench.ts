/**
 * Ingest throughput: events/s through POST /v1/events in batches of 500 on the embedded defaults
 * (in-process embedded MongoDB-compatible server with a data directory, private redis-server), against a direct
 * insertMany of the same documents into the same server as the baseline.
 */
import { INestApplication } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { mkdtempSync, rmSync } from 'node:fs';
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

const BATCH = 500;

function batchesOf(events: RawEvent[], tag: string): RawEvent[][] {
  const out: RawEvent[][] = [];
  for (let i = 0; i < events.length; i += BATCH) {
    out.push(events.slice(i, i + BATCH).map((e) => ({ ...e, id: `${tag}-${e.id}` })));
  }
  return out;
}

async function postAll(baseUrl: string, token: string, batches: RawEvent[][], concurrency: number): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        const events = batches[next++];
        const res = await fetch(`${baseUrl}/v1/events`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ events }),
        });
        const body = (await res.json()) as { accepted: number };
        if (res.status !== 200 || body.accepted !== events.length) throw new Error(`batch failed: ${res.status}`);
      }
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
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
  const dir = mkdtempSync(join(tmpdir(), 'jc-bench-ingest-'));
  const [mongo, redis] = await Promise.all([EmbeddedMongo.start({ dir }), startRedisProcess()]);
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

    await postAll(baseUrl, token, batchesOf(events.slice(0, 2000), 'warm'), 2);
    const validateStart = process.hrtime.bigint();
    for (const batch of batchesOf(events, 'v')) validateEventBatch({ events: batch }, new Date());
    line('validate only (validateEventBatch)', n, Number(process.hrtime.bigint() - validateStart) / 1e9);

    const db = app.get<Connection>(getConnectionToken());
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
      await (async () => {
        const started = process.hrtime.bigint();
        const batches = batchesOf(events, 'c4');
        for (const events of batches) {
          await fetch(`${baseUrl}/v1/events`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ events }),
          });
        }
        return Number(process.hrtime.bigint() - started) / 1e9;
      })(),
    );
  } finally {
    await app?.close();
    await Promise.all([mongo.stop(), redis.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
