/**
 * Embedded MongoDB-compatible server through the official driver (client and server share one
 * process and event loop): single inserts/s, insertMany docs/s, indexed findOne latency, a $group
 * over 100k documents, distinct over 1M next to the same $group, the same indexed find at 10k and 1M
 * documents, and a deleteMany of 200k next to counting them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collection, MongoClient } from 'mongodb';
import { EmbeddedMongo } from '../../src/embedded-mongo';

const doc = (i: number) => ({
  k: `key-${i}`,
  n: i,
  group: `g${i % 100}`,
  at: new Date(1_700_000_000_000 + i * 1000),
  tags: ['a', 'b'],
});

/** CPU time of this process (client and server together) in ms: steadier than wall time on a busy machine. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function fill(collection: Collection, count: number): Promise<{ wall: number; cpu: number }> {
  const started = performance.now();
  const cpu0 = cpuMs();
  for (let from = 0; from < count; from += 10_000) {
    await collection.insertMany(
      Array.from({ length: Math.min(10_000, count - from) }, (_, j) => doc(from + j)),
      { ordered: false },
    );
  }
  return { wall: performance.now() - started, cpu: cpuMs() - cpu0 };
}

async function findLatency(
  collection: Collection,
  size: number,
  samples = 3000,
): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const k = `key-${(i * 7919) % size}`;
    const t0 = performance.now();
    const found = await collection.findOne({ k });
    times.push(performance.now() - t0);
    if (!found) throw new Error(`missing ${k}`);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function singleInserts(uri: string, label: string): Promise<void> {
  const client = await MongoClient.connect(uri);
  const c = client.db('bench').collection(`single_${label}`);
  await c.createIndex({ k: 1 }, { unique: true });
  const count = 5000;
  const t0 = performance.now();
  const cpu0 = cpuMs();
  for (let i = 0; i < count; i++) await c.insertOne(doc(i));
  const ms = performance.now() - t0;
  const cpu = cpuMs() - cpu0;
  console.log(
    `single insertOne (${label}, unique index): ${Math.round((count / ms) * 1000)} inserts/s wall, ${Math.round((count / cpu) * 1000)} inserts/s per CPU-second`,
  );
  await client.close();
}

export async function run(): Promise<void> {
  const server = await EmbeddedMongo.start();
  const client = await MongoClient.connect(server.uri);
  const db = client.db('bench');
  try {
    await singleInserts(server.uri, 'memory');
    const dir = mkdtempSync(join(tmpdir(), 'embedded-mongo-bench-'));
    const durable = await EmbeddedMongo.start({ dir });
    await singleInserts(durable.uri, 'journaled');
    await durable.stop();
    rmSync(dir, { recursive: true, force: true });

    const many = db.collection('many');
    await many.createIndex({ k: 1 }, { unique: true });
    const manyTime = await fill(many, 100_000);
    console.log(
      `insertMany (10k per call, unique index): ${Math.round((100_000 / manyTime.wall) * 1000)} docs/s wall, ${Math.round((100_000 / manyTime.cpu) * 1000)} docs/s per CPU-second`,
    );

    const t0 = performance.now();
    const cpu0 = cpuMs();
    const groups = await many
      .aggregate([{ $group: { _id: '$group', total: { $sum: '$n' }, n: { $sum: 1 } } }])
      .toArray();
    console.log(
      `$group over 100k docs (${groups.length} groups): ${(performance.now() - t0).toFixed(1)} ms wall, ${(cpuMs() - cpu0).toFixed(1)} ms CPU`,
    );

    const small = db.collection('small');
    await small.createIndex({ k: 1 });
    await fill(small, 10_000);
    const big = db.collection('big');
    await big.createIndex({ k: 1 });
    const bigTime = await fill(big, 1_000_000);
    console.log(
      `loaded 1M docs with insertMany in ${(bigTime.wall / 1000).toFixed(1)} s (${Math.round((1_000_000 / bigTime.wall) * 1000)} docs/s wall)`,
    );

    // distinct reads only the key's field and the query's; a $group of the same key is its baseline.
    const distinctCpu0 = cpuMs();
    const distinctValues = await big.distinct('group', { n: { $gte: 0 } });
    const distinctCpu = cpuMs() - distinctCpu0;
    const groupCpu0 = cpuMs();
    await big.aggregate([{ $match: { n: { $gte: 0 } } }, { $group: { _id: '$group' } }]).toArray();
    const groupCpu = cpuMs() - groupCpu0;
    console.log(
      `distinct over 1M docs (${distinctValues.length} values): ${distinctCpu.toFixed(0)} ms CPU; ` +
        `the same $match and $group: ${groupCpu.toFixed(0)} ms CPU (ratio ${(distinctCpu / groupCpu).toFixed(2)})`,
    );

    const at100k = await findLatency(many, 100_000);
    console.log(
      `indexed findOne p50 / p99 (100k docs, unique index): ${at100k.p50.toFixed(3)} / ${at100k.p99.toFixed(3)} ms`,
    );
    const at10k = await findLatency(small, 10_000);
    const at1m = await findLatency(big, 1_000_000);
    console.log(`indexed findOne at 10k docs p50 / p99: ${at10k.p50.toFixed(3)} / ${at10k.p99.toFixed(3)} ms`);
    console.log(`indexed findOne at 1M docs  p50 / p99: ${at1m.p50.toFixed(3)} / ${at1m.p99.toFixed(3)} ms`);
    console.log(`1M / 10k p50 ratio: ${(at1m.p50 / at10k.p50).toFixed(2)}x`);
    const lookupCpu0 = cpuMs();
    await findLatency(big, 1_000_000, 2000);
    console.log(
      `indexed findOne at 1M docs: ${(((cpuMs() - lookupCpu0) / 2000) * 1000).toFixed(0)} µs CPU per lookup (client + server)`,
    );
    // A delete reads what its filter and the indexes read; counting the same documents is its baseline.
    const countCpu0 = cpuMs();
    const toDelete = await big.countDocuments({ n: { $lt: 200_000 } });
    const countCpu = cpuMs() - countCpu0;
    const deleteCpu0 = cpuMs();
    const { deletedCount } = await big.deleteMany({ n: { $lt: 200_000 } });
    const deleteCpu = cpuMs() - deleteCpu0;
    if (deletedCount !== toDelete) throw new Error(`deleted ${deletedCount} of ${toDelete}`);
    console.log(
      `deleteMany of ${deletedCount} docs (one secondary index): ${deleteCpu.toFixed(0)} ms CPU; ` +
        `counting them: ${countCpu.toFixed(0)} ms CPU (ratio ${(deleteCpu / countCpu).toFixed(2)})`,
    );
    console.log(
      `process RSS: ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`,
    );
  } finally {
    await client.close();
    await server.stop();
  }
}
