/**
 * The experiments service on the embedded MongoDB-compatible server (client and server in one process):
 * - assignments/s through `ExperimentAssignments.assign` for new users (record + arm count) and for
 *   users with a sticky record (one exposure write), against one bare indexed insert (resp. findOne)
 *   of the same record on the same server, measured in the same run;
 * - report latency (statistics read, report built, four renderings) through `ExperimentReportsService`
 *   at 10k and at 1M exposures, against one $group over the 1M assignment records, what a report
 *   that scanned users would pay at least. The report reads arms × days rows, so it must stay flat.
 * BENCH_ASSIGNMENTS (default 2000) and BENCH_EXPOSURES (default 1000000) change the sizes.
 */
import { Connection } from 'mongoose';
import { REPORT_FORMATS } from '../../src/modules/experiments/domain';
import { ExperimentAssignments } from '../../src/modules/experiments/experiment-ports';
import { ExperimentReportsService } from '../../src/modules/experiments/experiment-reports.service';
import { buildCampaign } from '../factories/campaign.factory';
import { startExperimentsContext } from '../integration/experiments/experiments-harness';

const ASSIGNMENTS = Number(process.env.BENCH_ASSIGNMENTS ?? 2000);
const EXPOSURES = Number(process.env.BENCH_EXPOSURES ?? 1_000_000);
const DAYS = 14;
const ARMS = ['interest', 'journey', 'holdout'];
const NOW = new Date('2026-03-02T18:00:00Z');
const SIZE = EXPOSURES >= 1e6 ? `${EXPOSURES / 1e6}M` : `${EXPOSURES / 1e3}k`;

async function timed(label: string, count: number, run: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i++) await run(i);
  const ms = performance.now() - started;
  console.log(
    `${label.padEnd(56)} ${((count / ms) * 1000).toFixed(0).padStart(7)} /s  (${(ms / count).toFixed(2)} ms each)`,
  );
  return ms;
}

async function assignments(service: ExperimentAssignments, db: Connection): Promise<void> {
  const campaign = buildCampaign({ id: 'bench-assign' });
  const raw = db.collection('bench_raw_assignments');
  await raw.createIndex({ experimentId: 1, userId: 1 }, { unique: true });
  await service.assign({ campaign, runId: 'warm', userId: 'warm-up', now: NOW });
  const record = (i: number) => ({
    experimentId: 'raw.v1',
    userId: `u${i}`,
    arm: 'interest',
    day: '2026-03-02',
    exposures: [NOW],
  });
  const bare = await timed('baseline: bare indexed insertOne of one record', ASSIGNMENTS, (i) =>
    raw.insertOne(record(i)),
  );
  const first = await timed('assign, first decision (record + arm count)', ASSIGNMENTS, (i) =>
    service.assign({ campaign, runId: 'r1', userId: `u${i}`, now: NOW }),
  );
  const find = await timed('baseline: bare indexed findOne of one record', ASSIGNMENTS, (i) =>
    raw.findOne({ experimentId: 'raw.v1', userId: `u${i}` }),
  );
  const sticky = await timed('assign, sticky record (exposure added)', ASSIGNMENTS, (i) =>
    service.assign({ campaign, runId: 'r2', userId: `u${i}`, now: NOW }),
  );
  console.log(
    `first decision x${(first / bare).toFixed(2)} a bare insert; sticky x${(sticky / find).toFixed(2)} a bare findOne`,
  );
}

/** Writes `users` assignment records and their statistics rows (as the service's increments would leave them). */
async function seedExperiment(db: Connection, experimentId: string, users: number): Promise<void> {
  const days = Array.from({ length: DAYS }, (_, d) =>
    new Date(NOW.getTime() + d * 86_400_000).toISOString().slice(0, 10),
  );
  const rows = new Map<string, { assigned: number; delivered: number; clicks: number; opens: number }>();
  for (let from = 0; from < users; from += 20_000) {
    const batch = Array.from({ length: Math.min(20_000, users - from) }, (_, j) => {
      const i = from + j;
      const arm = ARMS[i % 20 === 0 ? 2 : i % 2];
      const day = days[i % DAYS];
      const row = rows.get(`${arm}|${day}`) ?? { assigned: 0, delivered: 0, clicks: 0, opens: 0 };
      const opened = arm !== 'holdout' && (i * 2654435761) % 100 < (arm === 'journey' ? 12 : 10);
      const clicked = opened && i % 3 === 0;
      row.assigned++;
      row.delivered += arm === 'holdout' ? 0 : 1;
      row.opens += opened ? 1 : 0;
      row.clicks += clicked ? 1 : 0;
      rows.set(`${arm}|${day}`, row);
      const values = { ...(opened && { 'push-open-rate': 1 }), ...(clicked && { 'click-rate': 1 }) };
      return { experimentId, userId: `user-${i}`, campaignId: experimentId, channel: 'push', arm, day, values };
    });
    await db.collection('experiment_assignments').insertMany(batch, { ordered: false });
  }
  // As the service's increments leave them (the row of the registering user is already there).
  await db.collection('experiment_statistics').bulkWrite(
    [...rows].map(([key, r]) => {
      const [arm, day] = key.split('|');
      const inc = {
        assigned: r.assigned,
        delivered: r.delivered,
        'sums.push-open-rate.sum': r.opens,
        'sums.push-open-rate.sumSquares': r.opens,
        'sums.click-rate.sum': r.clicks,
        'sums.click-rate.sumSquares': r.clicks,
      };
      return { updateOne: { filter: { experimentId, arm, day }, update: { $inc: inc }, upsert: true } };
    }),
  );
}

async function reportLatency(service: ExperimentAssignments, reports: ExperimentReportsService, db: Connection) {
  // Registers both experiments through the service (its definition record), then fills them.
  for (const id of ['small', 'large']) {
    await service.assign({ campaign: buildCampaign({ id }), runId: 'r', userId: 'registrar', now: NOW });
  }
  const started = performance.now();
  await seedExperiment(db, 'small.v1', 10_000);
  await seedExperiment(db, 'large.v1', EXPOSURES);
  console.log(
    `(wrote ${EXPOSURES + 10_000} assignment records in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  const full = (id: string) => async () => {
    const report = await reports.report(id);
    return REPORT_FORMATS.reduce((n, f) => n + reports.render(report, f).body.length, 0);
  };
  const scan = () =>
    db
      .collection('experiment_assignments')
      .aggregate([{ $match: { experimentId: 'large.v1' } }, { $group: { _id: '$arm', n: { $sum: 1 } } }])
      .toArray();
  const median = async (fn: () => Promise<unknown>, rounds: number) => {
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      await fn();
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[Math.floor(rounds / 2)];
  };
  await full('small.v1')();
  await full('large.v1')();
  const baseline = await median(scan, 3);
  const small = await median(full('small.v1'), 9);
  const large = await median(full('large.v1'), 9);
  console.log(`baseline: $group over ${EXPOSURES} assignment records  ${baseline.toFixed(1).padStart(9)} ms`);
  console.log(`report + md/html/csv/json at 10k exposures         ${small.toFixed(1).padStart(9)} ms`);
  console.log(`report + md/html/csv/json at ${SIZE} exposures`.padEnd(52) + `${large.toFixed(1).padStart(9)} ms`);
  console.log(
    `${SIZE} vs 10k: x${(large / small).toFixed(2)} (flat: ${ARMS.length * DAYS} statistics rows either way); the scan is x${(baseline / large).toFixed(0)} the report`,
  );
}

export async function run(): Promise<void> {
  const ctx = await startExperimentsContext('bench_experiments');
  try {
    const service = ctx.app.get(ExperimentAssignments);
    await assignments(service, ctx.db());
    await reportLatency(service, ctx.app.get(ExperimentReportsService), ctx.db());
  } finally {
    await ctx.close();
  }
}
