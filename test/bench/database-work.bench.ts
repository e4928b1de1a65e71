/**
 * The database work of one notification end to end: a campaign run of `BENCH_DATABASE_WORK_SIZE` (default
 * 1000) recipients to the outbox on an embedded server in this process, every command counted by name
 * and collection: round trips, the statements they carried (of a bulk write, or documents inserted), the
 * documents they matched or inserted (the reply's `n`), and the server's time in the command's handler,
 * each divided by the recipients; then Redis's commands per recipient (`INFO commandstats`: scripts count once
 * as `evalsha`, whatever they call). The counts need no quiet machine; the times do.
 */
import Redis from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { mongo } from 'mongoose';
import { join } from 'node:path';
import * as commands from '../../src/embedded-mongo/commands/dispatch';
import { CampaignRunsService } from '../../src/modules/campaigns/runs/campaign-runs.service';
import {
  db,
  sendingSettings,
  startSendingContext,
  startServers,
  waitForRun,
} from '../integration/sending/sending-harness';
import { benchCampaign, benchCampaignsDir, seedBenchAudience } from './support/delivery-campaign';

const SIZE = Number(process.env.BENCH_DATABASE_WORK_SIZE ?? 1000);
interface Work {
  calls: number;
  docs: number;
  written: number;
  ns: number;
}

const STATEMENT_FIELDS: Record<string, string> = { insert: 'documents', update: 'updates', delete: 'deletes' };

export async function run(): Promise<void> {
  const servers = await startServers();
  const outbox = mkdtempSync(join(tmpdir(), 'jc-bench-outbox-'));
  const app = await startSendingContext(
    sendingSettings(servers.mongo.uri, servers.redis, 'bench', {
      CAMPAIGNS_DIR: benchCampaignsDir(),
      DELIVERY_OUTBOX_DIR: outbox,
      CAMPAIGN_RUNS_CONCURRENCY: '4',
    }),
  );
  const stored: string[] = [];
  const tally = new Map<string, Work>();
  let redisCalls = new Map<string, number>();
  const original = commands.dispatch;
  try {
    await seedBenchAudience(app, SIZE);
    const redisBefore = await redisCommandCalls(servers.redis.url);
    // The embedded server calls the module's export on every command: wrapping it sees them all.
    (commands as { dispatch: typeof original }).dispatch = (body, ctx) => {
      const started = process.hrtime.bigint();
      const reply = original(body, ctx);
      const add = (r: Record<string, unknown>) => count(tally, body, r, Number(process.hrtime.bigint() - started));
      if (reply instanceof Promise) void reply.then(add);
      else add(reply);
      return reply;
    };
    const run = await app.get(CampaignRunsService).startManual(benchCampaign.id, 'bench');
    const finished = await waitForRun(app, run.runId, 3_600_000);
    (commands as { dispatch: typeof original }).dispatch = original;
    const redisAfter = await redisCommandCalls(servers.redis.url);
    redisCalls = new Map([...redisAfter].map(([name, n]) => [name, n - (redisBefore.get(name) ?? 0)]));
    if (finished.counts.sent !== SIZE) throw new Error(`sent ${finished.counts.sent} of ${SIZE}`);
    for (const name of [
      'notifications',
      'tracked_notifications',
      'ranking_examples',
      'campaign_run_ledger',
      'campaign_run_shards',
    ]) {
      const docs = await db(app).collection(name).find({}).toArray();
      const bytes = docs.reduce((sum, doc) => sum + mongo.BSON.calculateObjectSize(doc), 0);
      stored.push(`${name}: ${docs.length} documents, ${Math.round(bytes / Math.max(1, docs.length))} bytes each`);
    }
  } finally {
    (commands as { dispatch: typeof original }).dispatch = original;
    await app.close();
    await servers.stop();
    rmSync(outbox, { recursive: true, force: true });
  }
  const rows = [...tally].sort((a, b) => b[1].ns - a[1].ns);
  const total = rows.reduce(
    (sum, [, r]) => ({
      calls: sum.calls + r.calls,
      docs: sum.docs + r.docs,
      written: sum.written + r.written,
      ns: sum.ns + r.ns,
    }),
    { calls: 0, docs: 0, written: 0, ns: 0 },
  );
  console.log(`${SIZE} recipients to the outbox; per notification (server time: the command's handler alone):`);
  console.log(
    `${'command collection'.padEnd(40)} ${'calls'.padStart(7)} ${'statements'.padStart(11)} ${'written'.padStart(8)} ${'server µs'.padStart(10)}`,
  );
  for (const [key, row] of [...rows, ['total', total] as const]) {
    console.log(
      `${key.padEnd(40)} ${(row.calls / SIZE).toFixed(3).padStart(7)} ${(row.docs / SIZE).toFixed(3).padStart(11)}` +
        ` ${(row.written / SIZE).toFixed(3).padStart(8)} ${(row.ns / SIZE / 1000).toFixed(1).padStart(10)}`,
    );
  }
  for (const line of stored) console.log(line);
  const redisRows = [...redisCalls].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const redisTotal = redisRows.reduce((sum, [, n]) => sum + n, 0);
  console.log(`Redis commands per notification: ${(redisTotal / SIZE).toFixed(2)}`);
  for (const [name, n] of redisRows) console.log(`${name.padEnd(40)} ${(n / SIZE).toFixed(3).padStart(7)}`);
}

/** Calls of each Redis command so far (`INFO commandstats`). */
async function redisCommandCalls(url: string): Promise<Map<string, number>> {
  const client = new Redis(url);
  try {
    const info = await client.info('commandstats');
    return new Map([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [m[1], Number(m[2])]));
  } finally {
    client.disconnect();
  }
}

/** Adds one command to its (name, collection) row: statements sent, documents written (the reply's n), time. */
function count(tally: Map<string, Work>, body: Record<string, unknown>, reply: Record<string, unknown>, ns: number) {
  const name = Object.keys(body)[0];
  const field = STATEMENT_FIELDS[name];
  const docs = field && Array.isArray(body[field]) ? (body[field] as unknown[]).length : 0;
  const written = field && typeof reply.n === 'number' ? reply.n : 0;
  const key = `${name} ${typeof body[name] === 'string' ? (body[name] as string) : ''}`;
  const row = tally.get(key) ?? { calls: 0, docs: 0, written: 0, ns: 0 };
  tally.set(key, { calls: row.calls + 1, docs: row.docs + docs, written: row.written + written, ns: row.ns + ns });
}
