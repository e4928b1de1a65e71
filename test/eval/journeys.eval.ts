/** `npm run eval:journeys [-- options]`: journey inference quality; `--help` (journeys/args.ts) lists the options. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { generatePopulation, generateUser, PlantedJourney, RawEvent } from '../../src/lib/synthetic/population';
import { HARD_REALISM } from '../../src/lib/synthetic/realism';
import { resolveJourneyParams } from '../../src/modules/journeys/domain/journey-params';
import { chooseEmbedder } from '../../src/modules/journeys/domain/embedder-choice';
import {
  DEFAULT_TRAINING_OPTIONS,
  PlatformTrainingOptions,
  trainPlatformEmbedder,
} from '../../src/modules/journeys/domain/platform-training';
import { trainingSample } from '../../src/modules/journeys/domain/training-sample';
import { readAol, TaskLabel } from './journeys/aol';
import {
  jsonOption,
  numberOption,
  option as readOption,
  populationNow,
  USAGE,
  UsageError,
  wantsHelp,
} from './journeys/args';
import { DEFAULT_BOOTSTRAP } from './journeys/bootstrap';
import { evaluateCoverage } from './journeys/coverage';
import { convertHetrec, readHetrec } from './journeys/hetrec';
import { evaluateFuture } from './journeys/future';
import { convertMovielens, readMovielens } from './journeys/movielens';
import { printBudgetUse, printByShape, printCoverage, printFuture, printNameFit, printTasks } from './journeys/report';
import { evaluatePlanted } from './journeys/synthetic';
import { evaluateTasks } from './journeys/tasks';
import { DatasetError } from './journeys/text-files';
import { prepareUsers } from './journeys/users';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => readOption(argv, name, fallback);
const num = (name: string, fallback: number): number => numberOption(argv, name, fallback);

/** What `read` throws, as a usage error about `flag`. */
function usage<T>(read: () => T, flag: string): T {
  try {
    return read();
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
}

/** The history cuts: shares strictly between 0 and 1. */
function cuts(): number[] {
  const given = option('cuts', '0.6,0.7,0.8');
  const values = given.split(',').map(Number);
  if (values.some((c) => !(c > 0 && c < 1))) throw new UsageError(`--cuts ${given} must be shares between 0 and 1`);
  return values;
}

const realism = () => (argv.includes('--hard') ? HARD_REALISM : undefined);

interface Dataset {
  events: RawEvent[];
  /** How the output names the set, when more than its --dataset name. */
  label?: string;
  labels?: Map<string, TaskLabel>;
  unaligned?: number;
  planted?: { truth: PlantedJourney[]; now: Date };
}

/** Writes the population user by user, so millions of events never sit in memory at once. */
function writePopulation(seed: number, users: number, now: Date, eventsPerUser: number, file: string): void {
  const events = openSync(file, 'w');
  const truthFile = option('write-truth', '');
  const truth = truthFile ? openSync(truthFile, 'w') : undefined;
  let count = 0;
  for (let i = 0; i < users; i++) {
    const user = generateUser(seed, i, now, eventsPerUser, realism());
    writeSync(events, user.events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    if (truth !== undefined) writeSync(truth, user.truth.map((t) => `${JSON.stringify(t)}\n`).join(''));
    count += user.events.length;
  }
  closeSync(events);
  if (truth !== undefined) closeSync(truth);
  console.log(
    `wrote ${count} events of ${users} users to ${file}, histories ending at ${now.toISOString()} (--now ISO to choose)`,
  );
}

function loadDataset(name: string): Dataset {
  const path = option('path', '');
  if (name !== 'synthetic' && !path) throw new DatasetError(`--path is required for --dataset ${name}`);
  switch (name) {
    case 'hetrec': {
      const files = readHetrec(path);
      return { events: convertHetrec(files), label: `hetrec (${files.kind})` };
    }
    case 'movielens':
      return { events: convertMovielens(readMovielens(path)) };
    case 'aol': {
      const { events, labels, unaligned } = readAol(path);
      return { events, labels, unaligned };
    }
    case 'synthetic': {
      const now = populationNow(argv);
      const population = generatePopulation({
        seed: num('seed', 2026),
        users: num('users', 400),
        now,
        eventsPerUser: num('events-per-user', 80),
        realism: realism(),
      });
      return { events: population.events, planted: { truth: population.truth, now } };
    }
    default:
      throw new DatasetError(`unknown dataset "${name}" (synthetic, hetrec, movielens or aol)`);
  }
}

/** The dataset, or one sentence and exit code 2 when its folder lacks what it needs (no stack trace). */
function readDataset(name: string): Dataset {
  try {
    return loadDataset(name);
  } catch (error) {
    const { code, path } = error as NodeJS.ErrnoException;
    if (error instanceof DatasetError) {
      console.error(error.message);
    } else if (code === 'ENOENT') {
      console.error(`cannot read ${path} of --dataset ${name}: no such file or folder`);
    } else {
      throw error;
    }
    process.exit(2);
  }
}

function main(): void {
  if (wantsHelp(argv)) return console.log(USAGE);
  const name = option('dataset', 'synthetic');
  const eventsFile = option('write-events', '');
  if (eventsFile) {
    const now = populationNow(argv);
    return writePopulation(num('seed', 2026), num('users', 400), now, num('events-per-user', 80), eventsFile);
  }
  const overrides = jsonOption<Record<string, unknown>>(argv, 'params');
  const params = usage(() => resolveJourneyParams(overrides), '--params');
  const cutShares = cuts();
  const training = jsonOption<PlatformTrainingOptions>(argv, 'embedder');
  const bootstrap = { ...DEFAULT_BOOTSTRAP, samples: num('samples', DEFAULT_BOOTSTRAP.samples) };
  const started = Date.now();
  const dataset = readDataset(name);
  const users = prepareUsers(dataset.events);
  console.log(`dataset ${dataset.label ?? name}: ${users.length} users, ${dataset.events.length} events`);
  if (Object.keys(overrides).length > 0) console.log(`parameter overrides: ${JSON.stringify(overrides)}`);
  const results: boolean[] = [];
  // --train-users N: the embedder learns from the sample of N users the service would train on at that bound.
  const trainUsers = num('train-users', 0);
  const sampled = new Set(
    trainingSample(
      users.map((u) => u.userId),
      trainUsers,
    ),
  );
  const trainers = users.filter((u) => sampled.has(u.userId));
  if (trainers.length < users.length) console.log(`embedder trained on a sample of ${trainers.length} users`);
  const model = trainPlatformEmbedder(() => trainers.map((u) => u.events.map((e) => e.extracted)), training);
  const { embedder: whole } = chooseEmbedder(model, { ...DEFAULT_TRAINING_OPTIONS, ...training });
  if (dataset.planted) {
    results.push(evaluatePlanted(users, dataset.planted.truth, whole, dataset.planted.now, params));
  }
  const stages = option('stages', '') ? option('stages', '').split(',') : undefined;
  if (stages) console.log(`later engagement scores only journeys of stages ${stages.join(', ')}`);
  const future = evaluateFuture(users, {
    cuts: cutShares,
    horizonSessions: num('horizon-sessions', 3),
    ks: [1, 3, 5],
    minEvents: num('min-events', 5),
    params,
    training,
    stages,
  });
  results.push(printFuture(future, bootstrap));
  printBudgetUse(future);
  printByShape(future);
  if (dataset.labels) {
    const scores = evaluateTasks(users, dataset.labels, params, training);
    results.push(printTasks(scores, dataset.labels.size, dataset.unaligned ?? 0));
  }
  const coverage = evaluateCoverage(users, whole, params);
  results.push(printCoverage(coverage.buckets));
  printNameFit(coverage.names);
  console.log(
    `${results.every(Boolean) ? 'all targets met' : 'some targets NOT met'} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
}

try {
  main();
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`${error.message}; --help lists the options`);
  process.exit(2);
}
