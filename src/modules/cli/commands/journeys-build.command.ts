import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { UserEventStore } from '../../journeys/domain/event-store';
import { JourneysConfig, resolveJourneysConfig } from '../../journeys/domain/journeys-config';
import { PlatformEmbedder } from '../../journeys/domain/platform-embedder';
import { trainPlatformEmbedder } from '../../journeys/domain/platform-training';
import { chooseEmbedder } from '../../journeys/domain/embedder-choice';
import { ExtractedEvent } from '../../journeys/domain/keywords';
import { parseRankingModel, RankingModel } from '../../ranking/domain';
import { ownThreadCpuSeconds } from '../../../lib/concurrency/thread-cpu';
import { BuildThreads, PhaseCpu } from '../journeys-build/build-threads';
import { parseEventLine } from '../journeys-build/event-line';
import { buildUserLines } from '../journeys-build/user-lines';
import { requireReadableFile, requireWritableFile } from '../command-files';
import { instantOption, positiveInteger } from '../option-values';
import { group } from '../program';

export interface JourneysBuildOptions {
  events: string;
  now: string;
  out: string;
  top?: number;
  model?: string;
  saveModel?: string;
  config?: string;
  ranker?: string;
  /** Worker threads for reading and building; 1 builds on the main thread. */
  threads?: number;
}

export interface JourneysBuildSummary {
  lines: number;
  /** Empty or whitespace-only lines: skipped, neither events nor invalid. */
  blank: number;
  events: number;
  invalid: number;
  duplicates: number;
  users: number;
  journeys: number;
  /** Wall time reading and validating the input, and building (embedder training excluded). */
  readSeconds: number;
  buildSeconds: number;
  /** CPU seconds per phase (Linux): the main thread first, then each worker thread. */
  threadCpu?: PhaseCpu;
}

const DETAILED_INVALID_LINES = 50;
const USERS_PER_BATCH = 100;
/** Smaller inputs build faster than worker threads start. */
const AUTO_THREADS_BYTES = 8 << 20;
const MAX_AUTO_THREADS = 8;

/** Users in id order, in batches of output lines. */
function* batchesOf(store: UserEventStore): IterableIterator<Array<[string, ExtractedEvent[]]>> {
  let batch: Array<[string, ExtractedEvent[]]> = [];
  for (const entry of store.entries()) {
    batch.push(entry);
    if (batch.length === USERS_PER_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export function progressBar(label: string, total: number): SingleBar | undefined {
  if (!process.stderr.isTTY) return undefined;
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total}`,
    stream: process.stderr,
    clearOnComplete: true,
  });
  bar.start(total, 0);
  return bar;
}

/** Reads and validates the JSONL input into the compact store (or the threads' shards); invalid lines go to stderr by line number. */
async function readEvents(
  file: string,
  now: Date,
  summary: JourneysBuildSummary,
  threads: BuildThreads | undefined,
): Promise<UserEventStore | undefined> {
  const bar = progressBar('reading', statSync(file).size);
  const detail = (line: number, reason: string) => console.error(`${file} line ${line}: ${reason}`);
  const report = (line: number, reason: string) => {
    if (++summary.invalid <= DETAILED_INVALID_LINES) detail(line, reason);
  };
  let store: UserEventStore | undefined;
  if (threads) {
    const progress = (bytes: number) => bar?.update(bytes);
    Object.assign(summary, await threads.readEvents(file, DETAILED_INVALID_LINES, detail, progress));
  } else {
    store = new UserEventStore();
    await readLines(file, now, store, summary, report, bar);
    Object.assign(summary, { events: store.events, users: store.users });
  }
  bar?.stop();
  return store;
}

/** The single-threaded reader: one line at a time into the store. */
async function readLines(
  file: string,
  now: Date,
  store: UserEventStore,
  summary: JourneysBuildSummary,
  report: (line: number, reason: string) => void,
  bar: SingleBar | undefined,
): Promise<void> {
  const input = createReadStream(file, 'utf8');
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    summary.lines++;
    if (summary.lines % 10_000 === 0) bar?.update(input.bytesRead);
    const parsed = parseEventLine(text, now);
    if ('blank' in parsed) summary.blank++;
    else if ('invalid' in parsed) report(summary.lines, parsed.invalid);
    else if ('event' in parsed && !store.add(parsed.event)) summary.duplicates++;
  }
}

/** The offline build: no database, no Redis, the same inference code as the service. */
export async function runJourneysBuild(options: JourneysBuildOptions): Promise<JourneysBuildSummary> {
  const now = instantOption('--now')(options.now);
  const config = resolveJourneysConfig(options.config ? JSON.parse(await readFile(options.config, 'utf8')) : {});
  const summary: JourneysBuildSummary = {
    lines: 0,
    blank: 0,
    events: 0,
    invalid: 0,
    duplicates: 0,
    users: 0,
    journeys: 0,
    readSeconds: 0,
    buildSeconds: 0,
  };
  const threadCount = threadsFor(options.threads, statSync(options.events).size);
  const threads = threadCount > 1 ? new BuildThreads(threadCount, now) : undefined;
  try {
    await buildWith(options, now, config, summary, threads);
    if (threads) summary.threadCpu = threads.phaseCpu;
    return summary;
  } finally {
    await threads?.close();
  }
}

/** `--threads`, or by default one per core for inputs large enough to repay starting the threads. */
function threadsFor(requested: number | undefined, bytes: number): number {
  if (requested !== undefined) return requested;
  return bytes >= AUTO_THREADS_BYTES ? Math.min(availableParallelism(), MAX_AUTO_THREADS) : 1;
}

async function buildWith(
  options: JourneysBuildOptions,
  now: Date,
  config: JourneysConfig,
  summary: JourneysBuildSummary,
  threads: BuildThreads | undefined,
): Promise<JourneysBuildSummary> {
  const readStarted = Date.now();
  const cpuStarted = ownThreadCpuSeconds();
  const store = await readEvents(options.events, now, summary, threads);
  summary.readSeconds = (Date.now() - readStarted) / 1000;
  const cpuRead = ownThreadCpuSeconds();
  if (summary.invalid > DETAILED_INVALID_LINES) {
    console.error(`... and ${summary.invalid - DETAILED_INVALID_LINES} more invalid lines`);
  }
  const lists = store ? store.eventLists() : options.model ? [] : await threads!.trainingLists();
  const model = options.model
    ? PlatformEmbedder.fromJSON(JSON.parse(await readFile(options.model, 'utf8')))
    : trainPlatformEmbedder(() => lists, config.training);
  if (options.saveModel) await writeFile(options.saveModel, JSON.stringify(model));
  const { embedder, reason } = chooseEmbedder(model, config.training);
  if (reason) {
    console.error(`platform embedder ${reason}: clustering uses character n-grams and word overlap instead`);
  }
  const ranker: RankingModel | undefined = options.ranker
    ? parseRankingModel(JSON.parse(await readFile(options.ranker, 'utf8')))
    : undefined;
  const buildStarted = Date.now();
  const out = createWriteStream(options.out, 'utf8');
  const bar = progressBar('building', summary.users);
  let done = 0;
  const write = async (text: string, journeys: number, users: number) => {
    summary.journeys += journeys;
    if (!out.write(text)) await once(out, 'drain');
    bar?.update((done += users));
  };
  const context = { now, embedder, params: config.params, ranker, top: options.top };
  if (!store) {
    const minimums = {
      minTrainingEvents: config.training.minTrainingEvents,
      minVocabulary: config.training.minVocabulary,
      minSharedVocabulary: config.training.minSharedVocabulary,
    };
    // Each thread makes the same embedder choice from the same model as a single-threaded build.
    const setup = { model: JSON.stringify(model), training: minimums, params: config.params, ranker, top: options.top };
    await threads!.build(setup, write);
  } else {
    for (const batch of batchesOf(store)) {
      const { lines, journeys } = buildUserLines(batch, context);
      await write(lines.map((line) => `${line}\n`).join(''), journeys, lines.length);
    }
  }
  bar?.stop();
  out.end();
  await once(out, 'finish');
  summary.buildSeconds = (Date.now() - buildStarted) / 1000;
  const cpuBuilt = ownThreadCpuSeconds();
  if (cpuStarted !== undefined && cpuRead !== undefined && cpuBuilt !== undefined) {
    summary.threadCpu = { read: [cpuRead - cpuStarted], build: [cpuBuilt - cpuRead] };
  }
  return summary;
}

/**
 * `journeycast journeys build --events <events.jsonl> --now <ISO> --out <journeys.jsonl>`: trains the platform
 * embedder on the input (or loads --model), ranks with the journey ranker and writes one line per user. Invalid lines are reported on stderr
 * and skipped; the exit code is then 2.
 */
export function registerBuildJourneysCommand(program: Command): void {
  group(program, 'journeys')
    .command('build')
    .description("Build every user's journeys from a JSONL file of events, offline (no database, no Redis)")
    .requiredOption('--events <events.jsonl>', 'input: one event per line, as accepted by POST /v1/events')
    .requiredOption(
      '--now <ISO-8601>',
      'the build time, with its time zone: recency, stage and the future-timestamp check use it',
    )
    .requiredOption('--out <journeys.jsonl>', 'output: one line per user, journeys in rank order')
    .option('--top <n>', 'keep only the top N journeys per user', positiveInteger)
    .option('--model <model.json>', 'use this platform embedder instead of training one on the input')
    .option('--save-model <model.json>', 'write the platform embedder used for this build')
    .option('--config <params.json>', 'parameter overrides, shaped like config/journeys.json')
    .option('--ranker <model.json>', 'a trained journey ranker (from `ranker train`); default: the documented prior')
    .option(
      '--threads <n>',
      'worker threads reading and building (same output for any number); default: one per core for inputs over 8 MB',
      positiveInteger,
    )
    .action(async (options: JourneysBuildOptions) => {
      requireReadableFile(options.events, '--events');
      requireReadableFile(options.config, '--config');
      requireReadableFile(options.model, '--model');
      requireReadableFile(options.ranker, '--ranker');
      requireWritableFile(options.out, '--out');
      requireWritableFile(options.saveModel, '--save-model');
      const started = Date.now();
      const s = await runJourneysBuild(options);
      console.error(
        `${options.events}: ${s.lines} lines, ${s.events} events, ${s.invalid} invalid, ${s.blank} blank (skipped), ${s.duplicates} duplicate ids; ` +
          `${s.users} users, ${s.journeys} journeys written to ${options.out} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      if (s.invalid > 0) process.exitCode = 2;
    });
}
