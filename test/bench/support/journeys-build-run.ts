/**
 * One `journeys build` in a process of its own, started cold as users start the command: the journeys
 * bench runs this script as a child and reads its numbers, one JSON object on stdout.
 * Arguments: <command module> <events.jsonl> <model.json> <out.jsonl> <threads> <now>.
 */
import type { JourneysBuildSummary, runJourneysBuild } from '../../../src/modules/cli/commands/journeys-build.command';

export interface BuildRun {
  threads: number;
  users: number;
  events: number;
  /** Wall seconds of the whole command, of reading, of building. */
  seconds: number;
  readSeconds: number;
  buildSeconds: number;
  /** CPU seconds of the whole process, and of each JavaScript thread (this one first) while reading and building. */
  cpu: number;
  threadCpu: number[];
}

async function main(): Promise<void> {
  const [entry, events, model, out, threads, now] = process.argv.slice(2);
  const command = ((await import(entry)) as { runJourneysBuild: typeof runJourneysBuild }).runJourneysBuild;
  console.error = () => undefined;
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const summary: JourneysBuildSummary = await command({
    events,
    model,
    out,
    now,
    threads: Number(threads),
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const phases = summary.threadCpu ?? { read: [], build: [] };
  const run: BuildRun = {
    threads: Number(threads),
    users: summary.users,
    events: summary.events,
    seconds,
    readSeconds: summary.readSeconds,
    buildSeconds: summary.buildSeconds,
    cpu: (used.user + used.system) / 1e6,
    threadCpu: phases.read.map((s, i) => s + (phases.build[i] ?? 0)),
  };
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
    process.exit(1);
  },
);
