import { boolean, cron, integer, text } from './parsers';
import { withDefault } from './llm.config';
import { defineNamespace, setting } from './setting';

/** Campaign definitions on disk, the limits of estimates, and how campaign runs are scheduled and fanned out. */
export const campaignsNamespace = defineNamespace('campaigns', {
  dir: setting(
    'CAMPAIGNS_DIR',
    withDefault(text(), './campaigns'),
    'Folder of campaign definitions (YAML), resolved from the working directory.',
  ),
  estimateExactUpTo: setting(
    'CAMPAIGN_ESTIMATE_EXACT_UP_TO',
    withDefault(integer(0, 1_000_000_000), 200_000),
    'Stored users up to which audience estimates count every user; above, they count a random sample (exact on request).',
  ),
  estimateSampleSize: setting(
    'CAMPAIGN_ESTIMATE_SAMPLE_SIZE',
    withDefault(integer(1, 10_000_000), 20_000),
    'Users a sampled audience estimate counts (its 95% intervals narrow as this grows).',
  ),
  scheduleEnabled: setting(
    'CAMPAIGN_SCHEDULES_ENABLED',
    withDefault(boolean(), true),
    "Whether the scheduler role registers active campaigns' schedules.",
  ),
  scheduleSyncMs: setting(
    'CAMPAIGN_SCHEDULES_SYNC_MS',
    withDefault(integer(1000, 3_600_000), 30_000),
    'How often the scheduler role matches registered schedules to active campaigns.',
  ),
  batchSize: setting(
    'CAMPAIGN_RUNS_BATCH_SIZE',
    withDefault(integer(1, 100_000), 1000),
    'Users a run reads from its audience per batch.',
  ),
  shardSize: setting('CAMPAIGN_RUNS_SHARD_SIZE', withDefault(integer(1, 10_000), 200), 'Users per fan-out job.'),
  concurrency: setting(
    'CAMPAIGN_RUNS_CONCURRENCY',
    withDefault(integer(1, 64), 2),
    'Fan-out jobs one worker process runs at once.',
  ),
  userConcurrency: setting(
    'CAMPAIGN_RUNS_USER_CONCURRENCY',
    withDefault(integer(1, 256), 16),
    'Users one fan-out job composes at once.',
  ),
  leadMs: setting(
    'CAMPAIGN_RUNS_LEAD_MS',
    withDefault(integer(0, 86_400_000), 300_000),
    'How long before a local-hour send time its users are composed.',
  ),
  attempts: setting(
    'CAMPAIGN_RUNS_JOB_ATTEMPTS',
    withDefault(integer(1, 50), 5),
    'Tries of a run or fan-out job before the run is marked failed.',
  ),
  backoffMs: setting(
    'CAMPAIGN_RUNS_JOB_BACKOFF_MS',
    withDefault(integer(0, 3_600_000), 2000),
    'First retry delay of a run or fan-out job (exponential).',
  ),
  lockDurationMs: setting(
    'CAMPAIGN_RUNS_LOCK_DURATION_MS',
    withDefault(integer(500, 3_600_000), 30_000),
    'How long a worker holds a fan-out job lock between renewals.',
  ),
  completionCron: setting(
    'CAMPAIGN_RUNS_COMPLETION_CRON',
    withDefault(cron(), '* * * * *'),
    "When the scheduled job completes running runs with nothing left to do (a completion check lost with a worker, a run's last waiting message erased with its user).",
  ),
  stalledIntervalMs: setting(
    'CAMPAIGN_RUNS_STALLED_INTERVAL_MS',
    withDefault(integer(500, 3_600_000), 30_000),
    'How often workers look for fan-out jobs whose lock lapsed (stalled by a crash).',
  ),
});
