/**
 * `npm run eval:journeys [-- options]`: journey inference quality.
 *   --dataset synthetic|hetrec|movielens|aol (synthetic)  --path DIR  the dataset folder (see data/dev); hetrec
 *       reads any of the three HetRec 2011 tagging sets (MovieLens movies, Last.fm artists, Delicious bookmarks),
 *       movielens the tags.csv and movies.csv of a current MovieLens release
 *   --cuts F,F,... (0.6,0.7,0.8)  where each user's history is cut (shares of their events): the early part
 *       builds, the later part is the truth; every cut is one build, averaged per user
 *   --horizon-sessions S (3)  the truth is the activity of the next S sessions after the cut (0: all of it)
 *   --min-events N (5)  users with fewer events are left out of the later-engagement comparison
 *   --samples N (2000)  bootstrap resamples
 *   --params JSON  inference parameter overrides (the "inference" section of config/journeys.json)
 *   --embedder JSON  embedder training overrides (the "embedder" section)
 *   --stages S,S,... (all)  score only journeys of these stages (ongoing: what a campaign about what the user is
 *       working towards sends); the interest baseline gets the same budget, empty for a user with none
 *   --train-users N (0: all)  the embedder used for the planted-journey and coverage scores trains on the
 *       sample of N users the service picks at JOURNEYS_EMBEDDER_MAX_USERS=N
 * Synthetic only:
 *   --users N (400)  --seed S (2026)  --events-per-user E (80)  --now ISO (2026-03-01T12:00:00Z)
 *   --hard  the harder population (heavy-tailed activity around a dozen events, search-only and tag-only
 *       users, coarse clocks, interleaved tasks, shared generic categories); --events-per-user is then ignored
 *   --write-events FILE  write the population as JSONL (the `journeys build` input) and stop
 *   --write-truth FILE   also write the planted journeys as JSONL
 * Real datasets are read from the given path and never copied; the output holds aggregates only.
 */
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

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const realism = () => (process.argv.includes('--hard') ? HARD_REALISM : undefined);

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
  console.log(`wrote ${count} events of ${users} users to ${file} (now = ${now.toISOString()})`);
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
      const now = new Date(option('now', '2026-03-01T12:00:00Z'));
      const population = generatePopulation({
        seed: Number(option('seed', '2026')),
        users: Number(option('users', '400')),
        now,
        eventsPerUser: Number(option('events-per-user', '80')),
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
  const name = option('dataset', 'synthetic');
  const eventsFile = option('write-events', '');
  if (eventsFile) {
    const now = new Date(option('now', '2026-03-01T12:00:00Z'));
    return writePopulation(
      Number(option('seed', '2026')),
      Number(option('users', '400')),
      now,
      Number(option('events-per-user', '80')),
      eventsFile,
    );
  }
  const overrides = JSON.parse(option('params', '{}')) as Record<string, unknown>;
  const params = resolveJourneyParams(overrides);
  const training = JSON.parse(option('embedder', '{}')) as Partial<PlatformTrainingOptions>;
  const bootstrap = { ...DEFAULT_BOOTSTRAP, samples: Number(option('samples', String(DEFAULT_BOOTSTRAP.samples))) };
  const started = Date.now();
  const dataset = readDataset(name);
  const users = prepareUsers(dataset.events);
  console.log(`dataset ${dataset.label ?? name}: ${users.length} users, ${dataset.events.length} events`);
  if (Object.keys(overrides).length > 0) console.log(`parameter overrides: ${JSON.stringify(overrides)}`);
  const results: boolean[] = [];
  // --train-users N: the embedder learns from the sample of N users the service would train on at that bound.
  const trainUsers = Number(option('train-users', '0'));
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
    cuts: option('cuts', '0.6,0.7,0.8').split(',').map(Number),
    horizonSessions: Number(option('horizon-sessions', '3')),
    ks: [1, 3, 5],
    minEvents: Number(option('min-events', '5')),
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

main();
