/**
 * Experiments: assignments per second against a bare FNV-1a hash of the same ids, and report latency
 * (build + every renderer) at 10k and at 1M exposures against one raw scan of 1M exposure records,
 * which is what a report that read events would pay at least once. The report reads sufficient
 * statistics, so its latency must not grow with exposures.
 */
import { createAssigner } from '../../src/modules/experiments/domain/assignment/assign';
import { fnv1a32 } from '../../src/modules/experiments/domain/assignment/fnv1a';
import { assignmentDesign } from '../../src/modules/experiments/domain/experiment-definition';
import { buildExperimentReport } from '../../src/modules/experiments/domain/report/build-report';
import { ReportInput } from '../../src/modules/experiments/domain/report/report-model';
import { renderCsv } from '../../src/modules/experiments/domain/render/csv';
import { renderHtml } from '../../src/modules/experiments/domain/render/html';
import { renderJson } from '../../src/modules/experiments/domain/render/json';
import { renderMarkdown } from '../../src/modules/experiments/domain/render/markdown';
import { pushExperiment, simulateReportInput } from '../../src/modules/experiments/domain/testing/report.fixture';

const DAYS = 14;
const ROUNDS = 15;

/**
 * Median milliseconds of each function over interleaved rounds (after a warm-up), so a busy
 * neighbour on the machine slows every variant alike.
 */
function medianMs(fns: Array<() => unknown>, rounds = ROUNDS): number[] {
  for (const fn of fns) for (let i = 0; i < 3; i++) fn();
  const times = fns.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    fns.forEach((fn, i) => {
      const t0 = process.hrtime.bigint();
      fn();
      times[i].push(Number(process.hrtime.bigint() - t0) / 1e6);
    });
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]);
}

function assignments(): void {
  const ids = Array.from({ length: 1_000_000 }, (_, i) => `user-${i.toString(36)}-${(i * 2654435761) >>> 0}`);
  const assigner = createAssigner(assignmentDesign(pushExperiment()));
  let sink = 0;
  const stored = { seed: 'push-journeys-vs-interests', arm: 'journey-llm' };
  const [bare, assign, sticky] = medianMs(
    [
      () => ids.forEach((id) => (sink += fnv1a32(id) & 1)),
      () => ids.forEach((id) => (sink += assigner(id).status.length)),
      () => ids.forEach((id) => (sink += assigner(id, { stored }).status.length)),
    ],
    7,
  );
  const rate = (ms: number) => `${(((ids.length / ms) * 1000) / 1e6).toFixed(2)} M/s`;
  console.log(`baseline: bare FNV-1a of 1M ids           ${bare.toFixed(0).padStart(5)} ms  ${rate(bare)}`);
  console.log(
    `assign (hash v2 + holdout hash + ranges)  ${assign.toFixed(0).padStart(5)} ms  ${rate(assign)}  (x${(assign / bare).toFixed(1)} the bare hash)`,
  );
  console.log(`assign with a stored (sticky) record       ${sticky.toFixed(0).padStart(5)} ms  ${rate(sticky)}`);
  if (sink === 0) console.log('(no output)');
}

function inputWith(exposures: number): ReportInput {
  return simulateReportInput({ usersPerDay: Math.round(exposures / DAYS), days: DAYS, seed: 11 });
}

function reportLatency(): void {
  const small = inputWith(10_000);
  const t0 = Date.now();
  const large = inputWith(1_000_000);
  console.log(
    `(simulated 1M exposures into sufficient statistics in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${large.metrics.length} statistic rows)`,
  );
  const full = (input: ReportInput) => () => {
    const report = buildExperimentReport(input);
    return (
      renderMarkdown(report).length + renderHtml(report).length + renderCsv(report).length + renderJson(report).length
    );
  };
  const buildOnly = (input: ReportInput) => () => buildExperimentReport(input);
  // Baseline: one pass over raw exposure records (arm, clicked), as an event-scanning report would do.
  const raw = Array.from({ length: 1_000_000 }, (_, i) => ({ arm: i % 3, clicked: (i * 2654435761) % 97 < 4 }));
  const rawScan = () => {
    const clicks = [0, 0, 0];
    const users = [0, 0, 0];
    for (const r of raw) {
      users[r.arm]++;
      if (r.clicked) clicks[r.arm]++;
    }
    return clicks[0] / users[0];
  };
  const [scan, ...times] = medianMs([rawScan, buildOnly(small), buildOnly(large), full(small), full(large)]);
  const labels = [
    'report model at 10k exposures',
    'report model at 1M exposures',
    'report + md/html/csv/json at 10k exposures',
    'report + md/html/csv/json at 1M exposures',
  ];
  const rows: Array<[string, number]> = [
    ['baseline: raw scan of 1M exposure records', scan],
    ...labels.map((l, i): [string, number] => [l, times[i]]),
  ];
  for (const [label, ms] of rows) console.log(`${label.padEnd(46)} ${ms.toFixed(2).padStart(8)} ms`);
  console.log(
    `1M vs 10k exposures: x${(rows[4][1] / rows[3][1]).toFixed(2)} (flat: the report reads ${large.metrics.length} rows either way); full report at 1M is x${(rows[4][1] / scan).toFixed(2)} one raw scan`,
  );
}

export async function run(): Promise<void> {
  assignments();
  reportLatency();
  await Promise.resolve();
}
