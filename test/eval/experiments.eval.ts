/**
 * `npm run eval:experiments [-- options]`: the statistics on seeded simulations, larger than the unit
 * tier's. A/A false-positive rates with daily peeking (fixed horizon vs sequential at several tunings),
 * interval coverage and power on planted effects, and SRM false alarms and detection on real assignment.
 *   --experiments N (2000)  --days D (20)  --users U (1000, per arm per day)  --seed S (2026)
 */
import { HOLDOUT_ARM, createAssigner } from '../../src/modules/experiments/domain/assignment/assign';
import { expectedCounts, sampleRatioMismatch } from '../../src/modules/experiments/domain/statistics/srm';
import { SimulationSpec, simulatePeeking } from '../../src/modules/experiments/domain/testing/simulate';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
}

const EXPERIMENTS = option('experiments', 2000);
const DAYS = option('days', 20);
const USERS = option('users', 1000);
const SEED = option('seed', 2026);
const ALPHA = 0.05;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
const se = (p: number, n: number) => Math.sqrt((p * (1 - p)) / n);

function falsePositives(): void {
  console.log(
    `\n## A/A: ${EXPERIMENTS} experiments, ${DAYS} daily looks, ${USERS} users per arm per day (alpha ${ALPHA}, MC s.e. ${pct(se(ALPHA, EXPERIMENTS))})`,
  );
  console.log('metric                      test                         any look   last look');
  const specs: Array<[string, SimulationSpec]> = [
    ['click rate 5%', { kind: 'rate', days: DAYS, usersPerArmPerDay: USERS, truth: [0.05, 0.05] }],
    ['click rate 0.5%', { kind: 'rate', days: DAYS, usersPerArmPerDay: USERS, truth: [0.005, 0.005] }],
    ['conversions/user (skewed)', { kind: 'mean', days: DAYS, usersPerArmPerDay: Math.min(USERS, 300), truth: [2, 2] }],
  ];
  for (const [label, spec] of specs) {
    const n = 2 * spec.days * spec.usersPerArmPerDay;
    const runs: Array<[string, { tuning: number } | null]> = [
      ['fixed horizon', null],
      [`sequential N*=${n / 10}`, { tuning: n / 10 }],
      [`sequential N*=${n} (tuned)`, { tuning: n }],
      [`sequential N*=${n * 10}`, { tuning: n * 10 }],
    ];
    for (const [name, sequential] of runs) {
      const r = simulatePeeking(
        spec,
        { alpha: ALPHA, sequential },
        spec.kind === 'mean' ? EXPERIMENTS / 4 : EXPERIMENTS,
        SEED,
      );
      console.log(`${label.padEnd(27)} ${name.padEnd(28)} ${pct(r.rejectedAtAnyLook)}    ${pct(r.rejectedAtEnd)}`);
    }
  }
}

function coverageAndPower(): void {
  console.log(
    `\n## Planted effects: coverage of the last look's intervals and power (${EXPERIMENTS} experiments each)`,
  );
  console.log('truth                           test                 power*  abs coverage   lift coverage');
  for (const [label, truth] of [
    ['click 5% -> 5.5% (+10%)', [0.05, 0.055]],
    ['click 5% -> 6% (+20%)', [0.05, 0.06]],
    ['click 2% -> 2.6% (+30%)', [0.02, 0.026]],
  ] as Array<[string, [number, number]]>) {
    const spec: SimulationSpec = { kind: 'rate', days: DAYS, usersPerArmPerDay: USERS, truth };
    for (const [name, sequential] of [
      ['fixed horizon', null],
      ['sequential (tuned)', { tuning: 2 * DAYS * USERS }],
    ] as Array<[string, { tuning: number } | null]>) {
      const r = simulatePeeking(spec, { alpha: ALPHA, sequential }, EXPERIMENTS, SEED + 1);
      console.log(
        `${label.padEnd(31)} ${name.padEnd(20)} ${pct(r.rejectedAtEnd)}   ${pct(r.coveredAtEnd)}        ${pct(r.relativeCoveredAtEnd)}`,
      );
    }
  }
  console.log(
    '* power: significant at the last look (fixed horizon) or at any daily look (sequential, valid at every look)',
  );
}

function srm(): void {
  const runs = Math.min(EXPERIMENTS, 1000);
  const users = 20_000;
  const shares = [0.1, 0.45, 0.45];
  console.log(
    `\n## SRM on real assignment: ${runs} experiments x ${users} users, holdout 10%, 50/50 (threshold p < 0.001)`,
  );
  for (const loss of [0, 0.01, 0.02, 0.05]) {
    let alarms = 0;
    for (let e = 0; e < runs; e++) {
      const assigner = createAssigner({
        key: `eval-${SEED}-${e}`,
        holdoutShare: 0.1,
        variants: [
          { key: 'a', weight: 1 },
          { key: 'b', weight: 1 },
        ],
      });
      const counts = new Map([
        [HOLDOUT_ARM, 0],
        ['a', 0],
        ['b', 0],
      ]);
      for (let i = 0; i < users; i++) {
        const a = assigner(`u${e}-${i}`);
        if (a.status !== 'variant' && a.status !== 'holdout') continue;
        // A lost assignment: the treatment drops users deterministically, like a bug that fails for some ids.
        if (a.arm === 'b' && loss > 0 && (a.bucket * 7919) % 1 < loss) continue;
        counts.set(a.arm, counts.get(a.arm)! + 1);
      }
      const observed = [...counts.values()];
      const result = sampleRatioMismatch(
        observed,
        expectedCounts(
          observed.reduce((x, y) => x + y, 0),
          shares,
        ),
      );
      if (result.status === 'warning') alarms++;
    }
    console.log(`treatment loses ${pct(loss)} of its users: SRM flagged in ${pct(alarms / runs)} of experiments`);
  }
}

falsePositives();
coverageAndPower();
srm();
