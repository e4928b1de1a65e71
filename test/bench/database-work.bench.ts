/**
 * The database work of one notification end to end: a campaign run of `BENCH_DATABASE_WORK_SIZE` (default
 * 1000) recipients to the outbox on an embedded server in this process, every command counted by name
 * and collection: round trips, the statements they carried (of a bulk write, or documents inserted), the
 * documents they matched or inserted (the reply's `n`), and the server's time in the command's handler,
 * each divided by the recipients; then Redis's commands per recipient (`INFO commandstats`: scripts count once
 * as `evalsha`, whatever they call). The counts need no quiet machine; the times do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { mongo } from 'mongoose';
import { join } from 'node:path';
import { CampaignRunsService } from '../../src/modules/campaigns/runs/campaign-runs.service';
import {
  db,
  sendingSettings,
  startSendingContext,
  startServers,
  waitForRun,
} from '../integration/sending/sending-harness';
import { countCommands, redisCommandCalls, totalWork, Work } from '../setup/command-tally';
import { benchCampaign, benchCampaignsDir, seedBenchAudience } from './support/delivery-campaign';

const SIZE = Number(process.env.BENCH_DATABASE_WORK_SIZE ?? 1000);

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
  let tally = new Map<string, Work>();
  let redisCalls = new Map<string, number>();
  let counting: ReturnType<typeof countCommands> | undefined;
  try {
    await seedBenchAudience(app, SIZE);
    const redisBefore = await redisCommandCalls(servers.redis.url);
    counting = countCommands();
    const run = await app.get(CampaignRunsService).startManual(benchCampaign.id, 'bench');
    const finished = await waitForRun(app, run.runId, 3_600_000);
    tally = counting.take();
    counting.stop();
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
    counting?.stop();
    await app.close();
    await servers.stop();
    rmSync(outbox, { recursive: true, force: true });
  }
  const rows = [...tally].sort((a, b) => b[1].ns - a[1].ns);
  const total = totalWork(tally.values());
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
