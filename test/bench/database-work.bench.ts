/**
 * The database work of one notification end to end: a campaign run of `BENCH_DATABASE_WORK_SIZE` (default
 * 1000) recipients to the outbox on an embedded server in this process, every command counted by name
 * and collection (round trips) with the documents it carried (statements of a bulk write, documents
 * inserted), each divided by the recipients. Counts, not timings: it needs no quiet machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { mongo } from 'mongoose';
import { join } from 'node:path';
import { ServerStats } from '../../src/embedded-mongo/server-state';
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
  const tally = new Map<string, { calls: number; docs: number }>();
  const original = ServerStats.prototype.countCommand;
  try {
    await seedBenchAudience(app, SIZE);
    ServerStats.prototype.countCommand = function (name: string, body: Record<string, unknown>) {
      const collection = typeof body[name] === 'string' ? (body[name] as string) : '';
      const field = STATEMENT_FIELDS[name];
      const docs = field && Array.isArray(body[field]) ? (body[field] as unknown[]).length : 0;
      const key = `${name} ${collection}`;
      const row = tally.get(key) ?? { calls: 0, docs: 0 };
      tally.set(key, { calls: row.calls + 1, docs: row.docs + docs });
      original.call(this, name, body);
    };
    const started = await app.get(CampaignRunsService).startManual(benchCampaign.id, 'bench');
    const finished = await waitForRun(app, started.runId, 3_600_000);
    ServerStats.prototype.countCommand = original;
    if (finished.counts.sent !== SIZE) throw new Error(`sent ${finished.counts.sent} of ${SIZE}`);
    for (const name of ['notifications', 'tracked_notifications', 'ranking_examples', 'campaign_run_ledger']) {
      const docs = await db(app).collection(name).find({}).toArray();
      const bytes = docs.reduce((sum, doc) => sum + mongo.BSON.calculateObjectSize(doc), 0);
      stored.push(`${name}: ${docs.length} documents, ${Math.round(bytes / Math.max(1, docs.length))} bytes each`);
    }
  } finally {
    ServerStats.prototype.countCommand = original;
    await app.close();
    await servers.stop();
    rmSync(outbox, { recursive: true, force: true });
  }
  const rows = [...tally].sort((a, b) => b[1].calls - a[1].calls);
  console.log(`${SIZE} recipients to the outbox; per notification:`);
  console.log(`${'command collection'.padEnd(44)} ${'calls'.padStart(8)} ${'statements'.padStart(11)}`);
  for (const [key, { calls, docs }] of rows) {
    console.log(`${key.padEnd(44)} ${(calls / SIZE).toFixed(3).padStart(8)} ${(docs / SIZE).toFixed(3).padStart(11)}`);
  }
  const total = rows.reduce((sum, [, r]) => ({ calls: sum.calls + r.calls, docs: sum.docs + r.docs }), {
    calls: 0,
    docs: 0,
  });
  console.log(
    `${'total'.padEnd(44)} ${(total.calls / SIZE).toFixed(3).padStart(8)} ${(total.docs / SIZE).toFixed(3).padStart(11)}`,
  );
  for (const line of stored) console.log(line);
}
