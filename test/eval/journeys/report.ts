import { BootstrapOptions, pairedBootstrap } from './bootstrap';
import { CoverageBucket } from './coverage';
import { FUTURE_METRICS, FutureResult } from './future';
import { NameFit } from './names';
import { GroupingScore } from './tasks';

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '  n/a');
const signed = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(3)}` : 'n/a');
const percent = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%` : 'n/a');
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Targets of the later-engagement comparison, checked at k = 3. */
export const FUTURE_TARGETS = { k: 3, minF1Lift: 0.02, minHitGain: 0.05 };

/** Prints where the shared budget went: tokens per build, the share used again and earlier uses, by their source. */
export function printBudgetUse(result: FutureResult): void {
  const { builds, rows } = result.budgetUse;
  console.log(
    `budget use at k=${result.budgetK}: tokens per build, share used in the next sessions, mean earlier uses per token`,
  );
  for (const [kind, row] of [...rows].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const perBuild = builds > 0 ? row.tokens / builds : 0;
    const uses = (row.earlierUses / row.tokens).toFixed(1);
    console.log(
      `  ${kind.padEnd(50)} ${perBuild.toFixed(2).padStart(5)}  ${fmt(row.found / row.tokens)}  ${uses.padStart(5)}`,
    );
  }
}

/**
 * Prints both methods by the shape of the build at k = `budgetK` (no interval: a diagnosis of where the
 * difference comes from, per build rather than per user).
 */
export function printByShape(result: FutureResult): void {
  console.log(
    `by build at k=${result.budgetK}: builds, tokens per build, F1 journeys / interests, hit journeys / interests`,
  );
  const order = (shape: string) =>
    shape.startsWith('a sparse') ? 0 : shape === 'no journey' ? -1 : parseInt(shape, 10);
  for (const [shape, row] of [...result.byShape].sort(([a], [b]) => order(a) - order(b))) {
    const per = (x: number) => fmt(x / row.builds);
    console.log(
      `  ${shape.padEnd(34)} ${String(row.builds).padStart(5)}  ${(row.tokens / row.builds).toFixed(1).padStart(5)}  ` +
        `${per(row.journeys.f1)} / ${per(row.interests.f1)}  ${per(row.journeys.hit)} / ${per(row.interests.hit)}`,
    );
  }
}

/** Prints the journeys-vs-interests table with paired bootstrap intervals; returns whether the targets hold. */
export function printFuture(result: FutureResult, bootstrap: BootstrapOptions): boolean {
  console.log(
    `later engagement: ${result.users} users, ${result.builds} builds (user x cut), ${result.withoutJourneys} of them ` +
      `without a journey; embedder vocabulary ${result.vocabularies.join(', ')}`,
  );
  console.log('  k  metric     journeys  interests  difference [95% CI]          lift [95% CI]');
  let pass = true;
  for (const at of result.atK) {
    console.log(
      `  ${at.k}  budget     ${mean(at.budget).toFixed(1)} tokens per user; F1 of the best choice of the user's own ` +
        `words at that budget, in hindsight: ${fmt(mean(at.hindsightF1))}`,
    );
    for (const metric of FUTURE_METRICS) {
      const c = pairedBootstrap(at.journeys[metric], at.interests[metric], bootstrap);
      console.log(
        `  ${at.k}  ${metric.padEnd(9)}  ${fmt(c.meanA)}     ${fmt(c.meanB)}      ` +
          `${signed(c.diff)} [${signed(c.diffLow)}, ${signed(c.diffHigh)}]`.padEnd(30) +
          `${percent(c.lift)} [${percent(c.liftLow)}, ${percent(c.liftHigh)}]`,
      );
      if (at.k !== FUTURE_TARGETS.k) continue;
      if (metric === 'f1') pass &&= c.lift >= FUTURE_TARGETS.minF1Lift && c.diffLow > 0;
      if (metric === 'hit') pass &&= c.diff >= FUTURE_TARGETS.minHitGain;
    }
  }
  console.log(
    `  targets at k=${FUTURE_TARGETS.k} (F1 lift >= +${100 * FUTURE_TARGETS.minF1Lift}% with its lower bound > 0, ` +
      `hit rate >= interests + ${FUTURE_TARGETS.minHitGain}): ${pass ? 'met' : 'NOT met'}`,
  );
  return pass;
}

/** Prints B-cubed scores of each grouping of the labelled queries; returns whether journeys beat both baselines. */
export function printTasks(scores: readonly GroupingScore[], labelled: number, unaligned: number): boolean {
  console.log(`labelled tasks: ${labelled} queries aligned to events, ${unaligned} unaligned`);
  console.log('  grouping                     B3 precision  recall  F1     groups');
  for (const s of scores) {
    console.log(`  ${s.method.padEnd(27)}  ${fmt(s.precision)}         ${fmt(s.recall)}   ${fmt(s.f1)}  ${s.groups}`);
  }
  const f1 = (method: string) => scores.find((s) => s.method === method)?.f1 ?? 0;
  const baseline = Math.max(f1('one group per session'), f1('groups by shared words'));
  const pass = f1('journeys') > baseline;
  console.log(`  target (journeys' B3 F1 above both baselines): ${pass ? 'met' : 'NOT met'}`);
  // Not a target: the journeys kept at the end leave out those beyond the caps by design (maxJourneys, maxOngoingJourneys).
  const then = f1('journeys after the session') > baseline;
  console.log(`  journeys right after each session above both baselines: ${then ? 'yes' : 'no'}`);
  return pass;
}

/** How journey names read against what their users wrote (no target: what a notification would say). */
export function printNameFit(fit: NameFit): void {
  const share = (n: number) => fmt(fit.journeys ? n / fit.journeys : NaN);
  console.log(`names (whole history): ${fit.journeys} journeys`);
  console.log(`  read as the user wrote them (words in order, none left out)   ${share(fit.asWritten)}`);
  console.log(`  one of the user's whole texts (a query, board name, tag, title) ${share(fit.wholeText)}`);
  console.log(`  a single word the user only wrote inside longer texts           ${share(fit.fragmentWord)}`);
}

/** Prints coverage by history length; returns whether every user with at least 5 events has a journey. */
export function printCoverage(buckets: readonly CoverageBucket[]): boolean {
  console.log('coverage (whole history): events  users  with a journey');
  for (const b of buckets) {
    console.log(`  ${b.label.padEnd(6)}  ${String(b.users).padStart(5)}  ${fmt(b.users ? b.covered / b.users : NaN)}`);
  }
  const pass = buckets.filter((b) => b.min >= 5).every((b) => b.covered === b.users);
  console.log(`  target (every user with >= 5 events has a journey): ${pass ? 'met' : 'NOT met'}`);
  return pass;
}
