import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { validateEvent } from '../../../lib/events/validate-event';
import { UserEventStore } from '../../journeys/domain/event-store';
import { resolveJourneysConfig } from '../../journeys/domain/journeys-config';
import { PlatformEmbedder } from '../../journeys/domain/platform-embedder';
import { trainPlatformEmbedder } from '../../journeys/domain/platform-training';
import { ExtractedEvent } from '../../journeys/domain/keywords';
import { parseRankingModel, RankingModel } from '../../ranking/domain';
import { buildUserLines, UserLines } from '../journeys-build/user-lines';
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
}

export interface JourneysBuildSummary {
  lines: number;
  events: number;
  invalid: number;
  duplicates: number;
  users: number;
  journeys: number;
  /** Wall time reading and validating the input, and building (embedder training excluded). */
  readSeconds: number;
  buildSeconds: number;
}

const DETAILED_INVALID_LINES = 50;
const USERS_PER_BATCH = 100;

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

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
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

/** Reads and validates the JSONL input into the compact store; invalid lines go to stderr by line number. */
async function readEvents(file: string, now: Date, summary: JourneysBuildSummary): Promise<UserEventStore> {
  const store = new UserEventStore();
  const input = createReadStream(file, 'utf8');
  const bar = progressBar('reading', statSync(file).size);
  const report = (line: number, reason: string) => {
    summary.invalid++;
    if (summary.invalid <= DETAILED_INVALID_LINES) console.error(`${file} line ${line}: ${reason}`);
  };
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    summary.lines++;
    if (summary.lines % 10_000 === 0) bar?.update(input.bytesRead);
    if (text.trim().length === 0) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      report(summary.lines, 'not valid JSON');
      continue;
    }
    const result = validateEvent(raw, now);
    if (!result.ok) {
      report(summary.lines, result.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; '));
    } else if (!store.add(result.event)) summary.duplicates++;
  }
  bar?.stop();
  summary.events = store.events;
  summary.users = store.users;
  return store;
}

/** The offline build: no database, no Redis, the same inference code as the service. */
export async function runJourneysBuild(options: JourneysBuildOptions): Promise<JourneysBuildSummary> {
  const now = new Date(options.now);
  if (Number.isNaN(now.getTime())) throw new Error('--now must be an ISO-8601 date');
  const config = resolveJourneysConfig(options.config ? JSON.parse(await readFile(options.config, 'utf8')) : {});
  const summary: JourneysBuildSummary = {
    lines: 0,
    events: 0,
    invalid: 0,
    duplicates: 0,
    users: 0,
    journeys: 0,
    readSeconds: 0,
    buildSeconds: 0,
  };
  const readStarted = Date.now();
  const store = await readEvents(options.events, now, summary);
  summary.readSeconds = (Date.now() - readStarted) / 1000;
  if (summary.invalid > DETAILED_INVALID_LINES) {
    console.error(`... and ${summary.invalid - DETAILED_INVALID_LINES} more invalid lines`);
  }
  const embedder = options.model
    ? PlatformEmbedder.fromJSON(JSON.parse(await readFile(options.model, 'utf8')))
    : trainPlatformEmbedder(() => store.eventLists(), config.training);
  if (options.saveModel) await writeFile(options.saveModel, JSON.stringify(embedder));
  const ranker: RankingModel | undefined = options.ranker
    ? parseRankingModel(JSON.parse(await readFile(options.ranker, 'utf8')))
    : undefined;
  const buildStarted = Date.now();
  const out = createWriteStream(options.out, 'utf8');
  const bar = progressBar('building', store.users);
  let done = 0;
  const write = async ({ lines, journeys }: UserLines) => {
    summary.journeys += journeys;
    if (!out.write(lines.map((line) => `${line}\n`).join(''))) await once(out, 'drain');
    bar?.update((done += lines.length));
  };
  const context = { now, embedder, params: config.params, ranker, top: options.top };
  for (const batch of batchesOf(store)) await write(buildUserLines(batch, context));
  bar?.stop();
  out.end();
  await once(out, 'finish');
  summary.buildSeconds = (Date.now() - buildStarted) / 1000;
  return summary;
}

/**
 * `journeycast journeys build --events <events.jsonl> --now <ISO> --out <journeys.jsonl>`: trains the platform
 * embedder on the input (or loads --model), ranks with the journey ranker and writes one line per user. Invalid lines are reported on stderr
 * and skipped; the exit code is then 2.
 */
export function registerBuildJourneysCommand(program: Command): void {
  group(program, 'journeys', 'Infer and inspect user journeys.')
    .command('build')
    .description("Build every user's journeys from a JSONL file of events, offline (no database, no Redis).")
    .requiredOption('--events <events.jsonl>', 'input: one event per line, as accepted by POST /v1/events')
    .requiredOption('--now <ISO-8601>', 'the build time: recency, stage and the future-timestamp check use it')
    .requiredOption('--out <journeys.jsonl>', 'output: one line per user, journeys in rank order')
    .option('--top <n>', 'keep only the top N journeys per user', positiveInteger)
    .option('--model <model.json>', 'use this platform embedder instead of training one on the input')
    .option('--save-model <model.json>', 'write the platform embedder used for this build')
    .option('--config <params.json>', 'parameter overrides, shaped like config/journeys.json')
    .option('--ranker <model.json>', 'a trained journey ranker (from `ranker train`); default: the documented prior')
    .action(async (options: JourneysBuildOptions) => {
      const started = Date.now();
      const s = await runJourneysBuild(options);
      console.error(
        `${options.events}: ${s.lines} lines, ${s.events} events, ${s.invalid} invalid, ${s.duplicates} duplicate ids; ` +
          `${s.users} users, ${s.journeys} journeys written to ${options.out} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      if (s.invalid > 0) process.exitCode = 2;
    });
}
