/** The command line of `npm run eval:journeys`: its usage, its options, and the population's `now`. */

/** The evaluation's fixed end of history, so its metrics are the same on any day. */
export const EVALUATION_NOW = '2026-03-01T12:00:00Z';

export const USAGE = `npm run eval:journeys [-- options]: journey inference quality.
  --dataset synthetic|hetrec|movielens|aol (synthetic)  --path DIR  the dataset folder (see data/dev); hetrec
      reads any of the three HetRec 2011 tagging sets (MovieLens movies, Last.fm artists, Delicious bookmarks),
      movielens the tags.csv and movies.csv of a current MovieLens release
  --cuts F,F,... (0.6,0.7,0.8)  where each user's history is cut (shares of their events): the early part
      builds, the later part is the truth; every cut is one build, averaged per user
  --horizon-sessions S (3)  the truth is the activity of the next S sessions after the cut (0: all of it)
  --min-events N (5)  users with fewer events are left out of the later-engagement comparison
  --samples N (2000)  bootstrap resamples
  --params JSON  inference parameter overrides (the "inference" section of config/journeys.json)
  --embedder JSON  embedder training overrides (the "embedder" section)
  --stages S,S,... (all)  score only journeys of these stages (ongoing: what a campaign about what the user is
      working towards sends); the interest baseline gets the same budget, empty for a user with none
  --train-users N (0: all)  the embedder used for the planted-journey and coverage scores trains on the
      sample of N users the service picks at JOURNEYS_EMBEDDER_MAX_USERS=N
Synthetic only:
  --users N (400)  --seed S (2026)  --events-per-user E (80)
  --now ISO  when the population's histories end: ${EVALUATION_NOW} for the evaluation (so its scores
      are reproducible), the current time with --write-events (so the file's users are active today)
  --hard  the harder population (heavy-tailed activity around a dozen events, search-only and tag-only
      users, coarse clocks, interleaved tasks, shared generic categories); --events-per-user is then ignored
  --write-events FILE  write the population as JSONL (the \`journeys build\` input and \`events import\` file) and stop
  --write-truth FILE   also write the planted journeys as JSONL
  --help  print this and stop
Real datasets are read from the given path and never copied; the output holds aggregates only.`;

/** A command line the evaluation cannot run: printed as one sentence, exit code 2, no stack trace. */
export class UsageError extends Error {}

/** The value after `--name`, or the fallback when it is absent or last. */
export function option(argv: readonly string[], name: string, fallback: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
}

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/**
 * When the synthetic histories end: `--now` when given; else the current time for a written events file
 * (a file stamped months ago would make every user inactive to an audience rule), else the fixed evaluation time.
 */
export function populationNow(argv: readonly string[], clock: () => Date = () => new Date()): Date {
  const given = option(argv, 'now', '');
  const now = given ? new Date(given) : option(argv, 'write-events', '') ? clock() : new Date(EVALUATION_NOW);
  if (Number.isNaN(now.getTime())) {
    throw new UsageError(`--now ${given} is not a date (an ISO time such as ${EVALUATION_NOW})`);
  }
  return now;
}

/** The number after `--name` (or the fallback); a value that is not a finite number is a usage error. */
export function numberOption(argv: readonly string[], name: string, fallback: number): number {
  const given = option(argv, name, '');
  if (!given) return fallback;
  const value = Number(given);
  if (!Number.isFinite(value)) throw new UsageError(`--${name} ${given} is not a number`);
  return value;
}

/** The JSON object after `--name` (or `{}`); anything else is a usage error. */
export function jsonOption<T extends object>(argv: readonly string[], name: string): Partial<T> {
  const given = option(argv, name, '');
  if (!given) return {};
  let value: unknown;
  try {
    value = JSON.parse(given);
  } catch (error) {
    throw new UsageError(`--${name} is not JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`--${name} must be a JSON object such as '{"minJourneyEvents": 3}'`);
  }
  return value as Partial<T>;
}
