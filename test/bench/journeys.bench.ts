/**
 * Journey inference throughput: the offline build for users with 200 events (embedder training excluded),
 * against a plain keyword-frequency profile of the same users; the `journeys build` command on 1 and 2 worker
 * threads; and platform embedder training on 1M events.
 */
import { execFile } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runJourneysBuild } from '../../src/modules/cli/commands/journeys-build.command';
import { validateEvent } from '../../src/lib/events/validate-event';
import { generateUser } from '../../src/lib/synthetic/population';
import { buildJourneysFromExtracted } from '../../src/modules/journeys/domain/build-journeys';
import { UserEventStore } from '../../src/modules/journeys/domain/event-store';
import { ExtractedEvent } from '../../src/modules/journeys/domain/keywords';
import { trainPlatformEmbedder } from '../../src/modules/journeys/domain/platform-training';
import type { BuildRun } from './support/journeys-build-run';
import { mainThreadCpuSeconds, perThreadCpu } from './support/thread-cpu';

const NOW = new Date('2026-03-01T12:00:00Z');

function storeOf(users: number, eventsPerUser: number, seed: number): UserEventStore {
  const store = new UserEventStore();
  for (let i = 0; i < users; i++) {
    for (const raw of generateUser(seed, i, NOW, eventsPerUser).events) {
      const v = validateEvent(raw, NOW);
      if (v.ok) store.add(v.event);
    }
  }
  return store;
}

/** The baseline: a user's 24 most frequent keywords, no clustering. */
function frequencyProfile(events: readonly ExtractedEvent[]): string[] {
  const counts = new Map<string, number>();
  for (const e of events) for (const m of e.mentions) counts.set(m.key, (counts.get(m.key) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 24)
    .map(([k]) => k);
}

const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;

async function buildThroughput(): Promise<void> {
  const store = storeOf(1000, 200, 1);
  const users = [...store.entries()];
  const embedder = trainPlatformEmbedder(() => store.eventLists());
  for (const [userId, events] of users.slice(0, 50)) buildJourneysFromExtracted(userId, events, { now: NOW, embedder });
  let journeys = 0;
  // Timed in batches of 100 users: on a shared machine the fastest batch is the best estimate of the code's
  // own cost, the total is what this run got.
  const batchSeconds: number[] = [];
  const cpuBefore = mainThreadCpuSeconds();
  for (let b = 0; b < users.length; b += 100) {
    const started = process.hrtime.bigint();
    for (const [userId, events] of users.slice(b, b + 100)) {
      journeys += buildJourneysFromExtracted(userId, events, { now: NOW, embedder }).length;
    }
    batchSeconds.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  const cpuAfter = mainThreadCpuSeconds();
  const seconds = batchSeconds.reduce((a, c) => a + c, 0);
  const fastest = Math.min(...batchSeconds);
  const baselineStarted = process.hrtime.bigint();
  let keywords = 0;
  for (const [, events] of users) keywords += frequencyProfile(events).length;
  const baselineSeconds = Number(process.hrtime.bigint() - baselineStarted) / 1e9;
  console.log(
    `build: ${users.length} users, ${store.events} events (${(store.events / users.length).toFixed(0)} per user), ${journeys} journeys`,
  );
  console.log(
    `  journeys build        ${(users.length / seconds).toFixed(0)} users/s over the run (${((seconds * 1000) / users.length).toFixed(2)} ms per user), ${(100 / fastest).toFixed(0)} users/s in the fastest batch   target >= 500 users/s`,
  );
  if (cpuBefore !== undefined && cpuAfter !== undefined) {
    console.log(
      `  journeys build        ${(users.length / (cpuAfter - cpuBefore)).toFixed(0)} users/s of main-thread CPU time (${(cpuAfter - cpuBefore).toFixed(2)} s)`,
    );
  }
  console.log(`  frequency baseline    ${(users.length / baselineSeconds).toFixed(0)} users/s (${keywords} keywords)`);
  console.log(`  (1-minute load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`);
}

async function trainingTime(): Promise<void> {
  const store = storeOf(12_500, 80, 2);
  global.gc?.();
  const before = process.memoryUsage().rss;
  const started = Date.now();
  const embedder = trainPlatformEmbedder(() => store.eventLists());
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `training: ${store.events} events of ${store.users} users -> ${embedder.vocab.length} keywords x ${embedder.dimension} dims`,
  );
  console.log(
    `  platform embedder     ${seconds.toFixed(1)} s   target < 60 s   (rss ${mb(before)} before, ${mb(process.memoryUsage().rss)} after)`,
  );
}

const phases = ({ read, build }: { read: number[]; build: number[] }) =>
  `reading ${read.map((s) => s.toFixed(1)).join(' / ')}; building ${build.map((s) => s.toFixed(1)).join(' / ')}`;

type BuildCommand = typeof runJourneysBuild;

/** The compiled command users run (`node dist/cli.js`), whose threads load JavaScript, not ts-node. */
async function compiledCommand(): Promise<BuildCommand> {
  return ((await import(compiledEntry())) as { runJourneysBuild: BuildCommand }).runJourneysBuild;
}

/** The compiled command's module, refused when `src/` changed since it was built. */
function compiledEntry(): string {
  const root = join(__dirname, '..', '..');
  const entry = join(root, 'dist', 'modules', 'cli', 'commands', 'journeys-build.command.js');
  const newest = (dir: string): number =>
    Math.max(
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
      ),
    );
  if (!existsSync(entry) || statSync(entry).mtimeMs < newest(join(root, 'src'))) {
    throw new Error('dist/ is missing or older than src/: run `npm run build` first');
  }
  return entry;
}

/**
 * Users in the command's input (BENCH_COMMAND_USERS, default 2,000). Each thread has fixed costs of its own
 * (start, compiling the build's code, warming it up), which weigh less on a larger input.
 */
function commandUsers(): number {
  const users = Number(process.env.BENCH_COMMAND_USERS ?? 2000);
  if (!Number.isInteger(users) || users < 1) throw new Error('BENCH_COMMAND_USERS must be a positive integer');
  return users;
}

/** The command's input (`commandUsers()` users of 200 events) and a saved embedder, so that runs time no training. */
async function commandInput(dir: string, runJourneysBuild: BuildCommand): Promise<{ events: string; model: string }> {
  const users = commandUsers();
  const events = join(dir, 'events.jsonl');
  // User by user: the lines of a large input do not fit in one string.
  const fd = openSync(events, 'w');
  try {
    for (let i = 0; i < users; i++) {
      const lines = generateUser(3, i, NOW, 200).events.map((e) => JSON.stringify(e));
      writeSync(fd, `${i > 0 ? '\n' : ''}${lines.join('\n')}`);
    }
  } finally {
    closeSync(fd);
  }
  const model = join(dir, 'model.json');
  const quiet = console.error;
  console.error = () => undefined;
  try {
    await runJourneysBuild({ events, now: NOW.toISOString(), out: join(dir, 'warm.jsonl'), saveModel: model });
  } finally {
    console.error = quiet;
  }
  return { events, model };
}

const execFileAsync = promisify(execFile);

/** Median and range of `values`, as "median (min-max)". */
function spread(values: number[], digits: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2;
  const f = (x: number) => x.toFixed(digits);
  return `${f(median)} (${f(sorted[0])}-${f(sorted[sorted.length - 1])})`;
}

/**
 * Seconds a run would take on idle cores, from its CPU time: at least its busiest JavaScript thread's, and at
 * least the whole process's shared over the cores (V8's compiler and collector helpers included). On a busy
 * machine this is steadier than the wall clock, which counts the time other processes held the cores.
 */
const idleSeconds = (r: BuildRun) => Math.max(...r.threadCpu, r.cpu / cpus().length);

/**
 * The command on 1 and on 2 threads, each run in a fresh process started cold as users start it, in turns
 * (BENCH_RUNS rounds, default 4) so that the machine's changing load falls on both alike. Ratios are of the
 * two runs of each round: median and range over the rounds. Each round also runs two independent 1-thread
 * builds at once: what they reach together over one alone is the most this machine gives this work from its
 * cores (shared caches, memory bandwidth and the collector's helper threads, which a lone 1-thread build
 * runs on the idle core, all count), and the 2-thread ratio is also given as a share of it.
 */
async function alternatedRuns(entry: string, label: string): Promise<void> {
  const rounds = Number(process.env.BENCH_RUNS ?? 4);
  const threads = Math.min(2, cpus().length);
  const dir = mkdtempSync(join(tmpdir(), 'journeys-bench-'));
  const loadBefore = loadavg()[0];
  try {
    const { events, model } = await commandInput(dir, runJourneysBuild);
    const child = join(__dirname, 'support', 'journeys-build-run.ts');
    const once = async (count: number, round: number | string): Promise<BuildRun> => {
      const out = join(dir, `out-${count}-${round}.jsonl`);
      // The young generation the README recommends for the command, as the bench itself runs with.
      const args = [
        '--max-semi-space-size=64',
        '-r',
        'ts-node/register/transpile-only',
        child,
        entry,
        events,
        model,
        out,
      ];
      const { stdout } = await execFileAsync(process.execPath, [...args, String(count), NOW.toISOString()]);
      return JSON.parse(stdout) as BuildRun;
    };
    const runs: Array<[BuildRun, BuildRun]> = [];
    // The ceiling: two independent 1-thread builds side by side, the same work with nothing shared.
    const pairs: Array<[BuildRun, BuildRun]> = [];
    for (let round = 0; round < rounds; round++) {
      runs.push([await once(1, round), await once(threads, round)]);
      pairs.push(await Promise.all([once(1, `${round}-a`), once(1, `${round}-b`)]));
    }
    const reference = readFileSync(join(dir, 'out-1-0.jsonl'));
    const identical = runs.every((_, round) =>
      [1, threads].every((count) => readFileSync(join(dir, `out-${count}-${round}.jsonl`)).equals(reference)),
    );
    const line = (name: string, list: BuildRun[]) => {
      const users = list[0].users;
      const cpu = (pick: (r: BuildRun) => number) => spread(list.map(pick), 1);
      const threadCpu = list[0].threadCpu.map((_, i) => cpu((r) => r.threadCpu[i])).join(' / ');
      const other = cpu((r) => r.cpu - r.threadCpu.reduce((a, s) => a + s, 0));
      return (
        `  ${name}  whole ${spread(
          list.map((r) => users / r.seconds),
          0,
        )} users/s, build ${spread(
          list.map((r) => users / r.buildSeconds),
          0,
        )} users/s, ` +
        `reading ${spread(
          list.map((r) => r.events / r.readSeconds / 1000),
          0,
        )}k events/s\n` +
        `    CPU s: process ${cpu((r) => r.cpu)}; JavaScript threads (main first) ${threadCpu}; other threads ${other} (V8 compiler and collector helpers, and start-up before reading)`
      );
    };
    const ratio = (pick: (r: BuildRun) => number) =>
      spread(
        runs.map(([one, many]) => pick(one) / pick(many)),
        2,
      );
    console.log(
      `command, alternated (${label}): ${rounds} rounds, each run a fresh process, ${runs[0][0].users} users, ${runs[0][0].events} events, saved embedder`,
    );
    console.log(
      line(
        '1 thread ',
        runs.map(([one]) => one),
      ),
    );
    console.log(
      line(
        `${threads} threads`,
        runs.map(([, many]) => many),
      ),
    );
    console.log(
      `  ${threads} threads / 1 thread, median (range) of ${rounds} rounds: whole ${ratio((r) => r.seconds)}x, build ${ratio((r) => r.buildSeconds)}x, reading ${ratio((r) => r.readSeconds)}x; ` +
        `on idle cores, from CPU time ${ratio(idleSeconds)}x   target >= 1.7x; outputs ${identical ? 'identical' : 'DIFFERENT'}`,
    );
    // Per round: the pair's users/s (both users over the slower one's seconds) over the lone 1-thread run's.
    const ceilings = runs.map(([one], round) => (2 * one.seconds) / Math.max(...pairs[round].map((r) => r.seconds)));
    console.log(
      `  ceiling: two independent 1-thread builds side by side, their users/s over one alone ${spread(ceilings, 2)}x ` +
        `(the most this machine's cores give this work); ${threads} threads reach ${spread(
          runs.map(([one, many], round) => one.seconds / many.seconds / ceilings[round]),
          2,
        )} of it`,
    );
    console.log(
      `  (1-minute load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after, on ${cpus().length} cores)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The `journeys build` command end to end (reading, validation, build, ranking, output) with a saved embedder. */
async function commandThroughput(runJourneysBuild: BuildCommand, label: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'journeys-bench-'));
  try {
    const { events, model } = await commandInput(dir, runJourneysBuild);
    const quiet = console.error;
    console.error = () => undefined;
    const timed = async (threads: number) => {
      const started = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      const out = join(dir, `out-${threads}.jsonl`);
      const { result: summary, seconds: busiest } = await perThreadCpu(() =>
        runJourneysBuild({ events, now: NOW.toISOString(), out, model, threads }),
      );
      const used = process.cpuUsage(cpu);
      return {
        summary,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
        cpu: (used.user + used.system) / 1e6,
        busiest: busiest.slice(0, threads + 1),
        // All but the building threads: V8's compiler and garbage-collector helpers, whose work grows with
        // each isolate (each worker thread compiles and collects its own heap), and the idle main thread.
        rest: busiest.slice(threads).reduce((a, s) => a + s, 0),
      };
    };
    const single = await timed(1);
    const threads = Math.min(2, cpus().length);
    const parallel = await timed(threads);
    console.error = quiet;
    const line = (label: string, r: typeof single) =>
      `  ${label}   build ${(r.summary.users / r.summary.buildSeconds).toFixed(0)} users/s (${r.summary.buildSeconds.toFixed(1)} s, ranking and output included)` +
      `; reading ${(r.summary.events / r.summary.readSeconds / 1000).toFixed(0)}k events/s (${r.summary.readSeconds.toFixed(1)} s); whole command ${(r.summary.users / r.seconds).toFixed(0)} users/s, CPU ${r.cpu.toFixed(1)} s` +
      (r.busiest.length > 0
        ? ` (busiest threads ${r.busiest.map((s) => s.toFixed(1)).join(', ')} s; all but the building threads ${r.rest.toFixed(1)} s)`
        : '') +
      (r.summary.threadCpu ? `\n    CPU s by phase, main thread then workers: ${phases(r.summary.threadCpu)}` : '');
    console.log(
      `command (${label}): ${single.summary.users} users, ${single.summary.events} events, saved embedder (training excluded)`,
    );
    console.log(line('journeys build, 1 thread ', single) + '   target >= 500 users/s (build)');
    console.log(line(`journeys build, ${threads} threads`, parallel));
    const same = readFileSync(join(dir, 'out-1.jsonl')).equals(readFileSync(join(dir, `out-${threads}.jsonl`)));
    console.log(
      `  ${threads} threads / 1 thread: whole command ${(single.seconds / parallel.seconds).toFixed(2)}x, build ${(single.summary.buildSeconds / parallel.summary.buildSeconds).toFixed(2)}x, ` +
        `reading ${(single.summary.readSeconds / parallel.summary.readSeconds).toFixed(2)}x   target >= 1.7x; output ${same ? 'identical' : 'DIFFERENT'}` +
        (parallel.busiest.length > 0
          ? `; CPU of the busiest thread ${(single.busiest[0] / parallel.busiest[0]).toFixed(2)}x (what the wall clock would show on idle cores, at best)`
          : '') +
        `   (1-minute load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  // BENCH_PARTS (default build,command,training; also compiled, alternated) picks the parts to run.
  const parts = (process.env.BENCH_PARTS ?? 'build,command,training').split(',');
  if (parts.includes('build')) await buildThroughput();
  if (parts.includes('command')) await commandThroughput(runJourneysBuild, 'TypeScript through ts-node, as in tests');
  // `npm run build` first: what `node dist/cli.js journeys build` runs.
  if (parts.includes('compiled')) await commandThroughput(await compiledCommand(), 'compiled JavaScript, as installed');
  // Fresh processes in turns (BENCH_RUNS rounds) on the compiled command: the fair 1 against 2 threads comparison.
  if (parts.includes('alternated')) await alternatedRuns(compiledEntry(), 'compiled JavaScript, as installed');
  if (parts.includes('training')) await trainingTime();
}
