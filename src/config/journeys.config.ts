import { boolean, ConfigError, cron, decimal, integer, Parser, text } from './parsers';
import { withDefault } from './llm.config';
import { defineNamespace, setting } from './setting';

/** A comma-separated list of lower-case terms. */
function termList(): Parser<string[]> {
  return (raw, variable) => {
    if (Array.isArray(raw)) return raw.map((term) => text()(term, variable).trim().toLowerCase()).filter(Boolean);
    return text()(raw, variable)
      .split(',')
      .map((term) => term.trim().toLowerCase())
      .filter(Boolean);
  };
}

/** A growth factor: 0 (off) or at least 1 (a factor below 1 would retrain on every check). */
function growthFactor(): Parser<number> {
  const base = decimal(0, 1000);
  return (raw, variable) => {
    const value = base(raw, variable);
    if (value > 0 && value < 1) {
      throw new ConfigError(`Invalid configuration: ${variable} must be 0 or at least 1 (got ${JSON.stringify(raw)})`);
    }
    return value;
  };
}

export const journeysNamespace = defineNamespace('journeys', {
  incrementalCron: setting(
    'JOURNEYS_INCREMENTAL_CRON',
    withDefault(cron(), '0 3 * * *'),
    'When the incremental build runs for users with events received since their last build.',
  ),
  retrainCron: setting(
    'JOURNEYS_RETRAIN_CRON',
    withDefault(cron(), '0 2 * * *'),
    'When the platform embedder is retrained; a changed model starts a full rebuild.',
  ),
  retrainGrowth: setting(
    'JOURNEYS_RETRAIN_GROWTH',
    withDefault(growthFactor(), 2),
    'The platform embedder is also retrained once the stored events reach this multiple of those it was trained on (0: only on schedule and on demand).',
  ),
  embedderMaxUsers: setting(
    'JOURNEYS_EMBEDDER_MAX_USERS',
    withDefault(integer(0, 100_000_000), 20_000),
    'Users the platform embedder trains on: past this many, a fixed sample chosen by a hash of the user id (0: all users).',
  ),
  scheduleEnabled: setting(
    'JOURNEYS_SCHEDULE_ENABLED',
    withDefault(boolean(), true),
    'Whether the scheduler role registers the journey crons.',
  ),
  shardSize: setting('JOURNEYS_SHARD_SIZE', withDefault(integer(1, 10_000), 200), 'Users per build job.'),
  concurrency: setting(
    'JOURNEYS_CONCURRENCY',
    withDefault(integer(1, 64), 2),
    'Build jobs one worker process runs at once.',
  ),
  attempts: setting(
    'JOURNEYS_JOB_ATTEMPTS',
    withDefault(integer(1, 50), 5),
    'Tries of a build job before it is marked failed.',
  ),
  backoffMs: setting(
    'JOURNEYS_JOB_BACKOFF_MS',
    withDefault(integer(0, 3_600_000), 2000),
    'First retry delay of a build job (exponential).',
  ),
  lockDurationMs: setting(
    'JOURNEYS_LOCK_DURATION_MS',
    withDefault(integer(500, 3_600_000), 30_000),
    "How long a worker holds a job lock between renewals; a crashed worker's job is retaken after it lapses.",
  ),
  stalledIntervalMs: setting(
    'JOURNEYS_STALLED_INTERVAL_MS',
    withDefault(integer(500, 3_600_000), 30_000),
    'How often workers look for jobs whose lock lapsed (stalled by a crash).',
  ),
  maxStalledCount: setting(
    'JOURNEYS_MAX_STALLED_COUNT',
    withDefault(integer(0, 100), 3),
    'Crashes a job survives before it fails.',
  ),
  strandedAfterMs: setting(
    'JOURNEYS_STRANDED_AFTER_MS',
    withDefault(integer(60_000, 86_400_000), 900_000),
    'How long an unfinished build run may go without progress (a shard finished, a status change) before the sweep queues its missing jobs again.',
  ),
  strandedCron: setting(
    'JOURNEYS_STRANDED_CRON',
    withDefault(cron(), '*/5 * * * *'),
    'When the scheduled sweep looks for build runs whose start or shard jobs were lost (Redis data lost, a job given up on).',
  ),
  blockedTerms: setting(
    'JOURNEYS_BLOCKED_TERMS',
    withDefault(termList(), []),
    'Extra comma-separated terms that block a journey or expansion.',
  ),
  userConcurrency: setting(
    'JOURNEYS_USER_CONCURRENCY',
    withDefault(integer(1, 256), 4),
    'Users one build job builds at once, so LLM waits overlap with inference.',
  ),
  inferenceThreads: setting(
    'JOURNEYS_INFERENCE_THREADS',
    withDefault(integer(0, 64), 1),
    "Worker threads that decode histories and infer journeys (a worker's builds, and a single user's rebuild in any role), so builds use a core besides the process's main thread and a heavy user does not stall the API (0: infer on the main thread).",
  ),
  namingSignatureKeywords: setting(
    'JOURNEYS_NAMING_SIGNATURE_KEYWORDS',
    withDefault(integer(1, 12), 3),
    "Heaviest keywords that make a journey's LLM-naming cache key: fewer means more users share a name call.",
  ),
  notifySensitive: setting(
    'JOURNEYS_NOTIFY_SENSITIVE',
    withDefault(boolean(), false),
    'Whether journeys in a sensitive category (health, finance, ...) may be the subject of notifications.',
  ),
  defaultLocale: setting(
    'JOURNEYS_DEFAULT_LOCALE',
    withDefault(text(), 'en'),
    'Locale of LLM names and expansions for users without one.',
  ),
});
