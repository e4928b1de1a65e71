import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { Settings } from '../../config/settings';
import { EventRepository } from '../ingest/event.repository';
import { emptyBuildStats } from './build-stats';
import { JourneyBuildLedgerRepository } from './journey-build-ledger.repository';
import {
  JourneyBuildRunRecord,
  LedgerStatus,
  RUN_KINDS,
  RunKind,
  RunTrigger,
  ShardCounts,
} from './journey-build-run.schema';
import { JourneyBuildRunRepository } from './journey-build-run.repository';
import { JourneyBatchBuilderService } from './journey-batch-builder.service';
import { JourneysProducer } from './jobs/journeys.queue';
import { PlatformEmbedderService } from './platform-embedder.service';
import { UserJourneysRepository } from './user-journeys.repository';

const WATERMARK_CHUNK = 1000;
/**
 * Users read, built and committed together: a few round trips per batch instead of several per user; at
 * least four batches per shard, so a crash loses at most a quarter of a shard's work.
 */
const BATCH_USERS = 100;

/**
 * Build runs: a run selects its users once (stored as pending ledger entries), fans out shard jobs with ids
 * from the run and shard, and completes once every shard has been recorded done. Safe to re-deliver any job.
 */
@Injectable()
export class JourneyRunsService {
  private readonly logger = new Logger(JourneyRunsService.name);
  private readonly settings: Settings['journeys'];

  constructor(
    config: ConfigService<Settings, true>,
    private readonly runs: JourneyBuildRunRepository,
    private readonly ledger: JourneyBuildLedgerRepository,
    private readonly userJourneys: UserJourneysRepository,
    private readonly events: EventRepository,
    private readonly embedders: PlatformEmbedderService,
    private readonly batchBuilder: JourneyBatchBuilderService,
    private readonly producer: JourneysProducer,
  ) {
    this.settings = config.get('journeys', { infer: true });
  }

  /**
   * Enqueues a run's start, then records the run (the worker records it too, idempotently): when the
   * queue is unreachable nothing is recorded, so no run waits forever for a job that was never queued. Asked
   * again for a run that exists (a retried request's id), that run, started once.
   */
  async requestRun(kind: RunKind, trigger: RunTrigger, runId = newRunId(kind)): Promise<JourneyBuildRunRecord> {
    await this.producer.enqueueStart(runId, kind, trigger);
    return this.runs.createOnce(runId, kind, trigger, new Date());
  }

  async findRun(runId: string): Promise<JourneyBuildRunRecord | undefined> {
    const run = await this.runs.findByRunId(runId);
    if (!run || run.status === 'completed' || run.status === 'pending') return run;
    if (run.status === 'selecting') {
      // The selection is being recorded: the ledger entries written so far are the users selected so far.
      const { pending: _pending, ...counts } = await this.ledger.countByStatus(runId);
      return { ...run, counts };
    }
    // Live progress comes from the shards' tallies, so following a run costs the same at any size; the
    // ledger is counted once, when the run completes.
    return { ...run, counts: { selected: run.counts.selected, ...sumShardCounts(run.shardCounts ?? {}) } };
  }

  /**
   * The latest completed run of these kinds (both by default), for tools that inspect a finished build; with
   * `built`, only a run that built at least one user.
   */
  findLatestCompletedRun(
    kinds: readonly RunKind[] = RUN_KINDS,
    options: { built?: boolean } = {},
  ): Promise<JourneyBuildRunRecord | undefined> {
    return this.runs.findLatestCompleted(kinds, options);
  }

  /**
   * Selects the run's users and enqueues its shards; a re-delivered start job resumes where it stopped.
   * Every run, however started (the schedule, the API, the CLI, in a worker or in the CLI's process), first
   * retrains the embedder when the stored events outgrew it, so its shards build with the retrained model.
   */
  async startRun(runId: string, kind: RunKind, trigger: RunTrigger): Promise<void> {
    const run = await this.runs.createOnce(runId, kind, trigger, new Date());
    if (run.status === 'completed' || run.status === 'failed') return;
    if (run.status === 'running') return this.producer.enqueueShards(runId, run.shardCount);
    const { version, kind: selection } = await this.modelForRun(runId, run.kind);
    const selectedAt = new Date();
    await this.runs.markSelecting(runId, selection, version, selectedAt);
    // A selection interrupted before `running` enqueued nothing, so it is simply made again.
    await this.ledger.deleteRun(runId);
    const userIds = await this.select(selection);
    await this.ledger.insertSelection(runId, userIds, this.settings.shardSize);
    const shardCount = Math.ceil(userIds.length / this.settings.shardSize);
    await this.runs.markRunning(runId, selectedAt, shardCount, userIds.length);
    this.logger.log(
      `run ${runId} (${selection}, ${trigger}): ${userIds.length} users in ${shardCount} shards, embedder ${version}`,
    );
    if (shardCount === 0) await this.completeIfDone(runId);
    else await this.producer.enqueueShards(runId, shardCount);
  }

  /** Builds the users of one shard that are not settled yet; users this run already committed are skipped. */
  async processShard(
    runId: string,
    shard: number,
    progress: (percent: number) => Promise<void> = async () => {},
  ): Promise<void> {
    const run = await this.runs.findByRunId(runId);
    if (!run || run.status !== 'running' || !run.modelVersion) return;
    const embedder = await this.embedders.forVersion(run.modelVersion);
    const shardEntries = await this.ledger.findShard(runId, shard);
    // Each user's status in the ledger, kept current as batches settle: the shard's tally is counted from it.
    const statuses = new Map(shardEntries.map((e) => [e.userId, e.status]));
    const entries = shardEntries.filter((e) => e.status === 'pending' || e.status === 'failed');
    const stats = emptyBuildStats();
    const started = Date.now();
    const batch = Math.max(1, Math.min(BATCH_USERS, Math.ceil(this.settings.shardSize / 4)));
    for (let i = 0; i < entries.length; i += batch) {
      const userIds = entries.slice(i, i + batch).map((e) => e.userId);
      // A retrain since the run started: users its full run built already keep the newer model's journeys.
      const newerModels = await this.embedders.newerThan(embedder.version);
      const request = { runId, embedder, now: new Date(), newerModels };
      const settled = await this.batchBuilder.buildMany(userIds, request, stats);
      await this.ledger.settleMany(runId, settled);
      for (const s of settled) {
        if (s.gone) statuses.delete(s.userId);
        else statuses.set(s.userId, s.status);
      }
      // The last batch's tally goes with the shard's completion below.
      if (i + batch < entries.length) await this.runs.setShardCounts(runId, shard, tally(statuses.values()));
      await progress(Math.round((100 * (i + userIds.length)) / entries.length));
    }
    await this.runs.addLlmUsage(runId, { ...stats });
    await this.runs.addDoneShard(runId, shard, tally(statuses.values()), { buildMs: Date.now() - started });
    await progress(100);
    await this.completeIfDone(runId);
  }

  /**
   * The model a starting run builds with: the current one, or, when the stored events outgrew it, the one
   * retrained from them now. A retrained model that changed makes an incremental run build every user, as
   * the full run a growth retrain starts elsewhere would: the users without new events were built with the
   * model it replaces.
   */
  private async modelForRun(runId: string, kind: RunKind): Promise<{ version: string; kind: RunKind }> {
    if (!(await this.embedders.hasGrown())) return { version: (await this.embedders.current()).version, kind };
    this.logger.log(`run ${runId}: the stored events outgrew the platform embedder: retraining before the build`);
    const { version, changed } = await this.embedders.retrain();
    if (!changed || kind === 'full') return { version, kind };
    this.logger.log(`run ${runId}: embedder ${version} is new, so the run builds every user`);
    return { version, kind: 'full' };
  }

  /** Retrains the platform embedder and starts a full run when its version changed. */
  async retrain(): Promise<{ version: string; changed: boolean; runId?: string }> {
    const { restoredAt, ...result } = await this.embedders.retrain();
    if (!result.changed) return result;
    // A version made the latest again gets a run of its own: the run of its first training is over.
    const again = restoredAt ? `-${restoredAt.toISOString().replace(/[-:.]/g, '')}` : '';
    const run = await this.requestRun('full', 'retrain', `full-${result.version}${again}`);
    return { ...result, runId: run.runId };
  }

  /** Marks an unfinished run failed (a job ran out of retries); a completed run stays completed. */
  async failRun(runId: string, error: string): Promise<void> {
    this.logger.error(`run ${runId} failed: ${error}`);
    await this.runs.markFailed(runId, error.slice(0, 1000), new Date());
  }

  private async completeIfDone(runId: string): Promise<void> {
    const run = await this.runs.findByRunId(runId);
    if (!run || run.status !== 'running' || run.doneShards.length < run.shardCount) return;
    const { pending: _pending, ...counts } = await this.ledger.countByStatus(runId);
    if (await this.runs.completeIfDone(runId, counts, new Date())) {
      this.logger.log(`run ${runId} completed: ${JSON.stringify(counts)}`);
    }
  }

  private async select(kind: RunKind): Promise<string[]> {
    // Every user, in id order as incremental candidates come: one group by user, no receipt times to compare.
    if (kind === 'full') return (await this.events.findUserIds()).sort();
    // Candidates since the last selection (with slack for clock skew between processes), then per user:
    // only those whose newest event arrived after what their last build read; and those whose build failed.
    const last = await this.runs.findLastSelectedAt(['incremental', 'full']);
    const since = last ? new Date(last.getTime() - 3_600_000) : new Date(0);
    const [candidates, failed] = await Promise.all([
      this.events.findUserIdsReceivedSince(since),
      this.ledger.findFailedSince(since),
    ]);
    // Users whose last build failed since then are built again, whether or not they have new events.
    const selected = new Set(failed);
    for (let i = 0; i < candidates.length; i += WATERMARK_CHUNK) {
      const chunk = candidates.slice(i, i + WATERMARK_CHUNK);
      const built = await this.userJourneys.findReceivedThrough(chunk.map((c) => c.userId));
      for (const c of chunk) {
        const through = built.get(c.userId);
        if (!through || c.receivedThrough > through) selected.add(c.userId);
      }
    }
    return [...selected].sort();
  }
}

/** How many of a shard's users are built, skipped and failed (pending ones are not counted). */
function tally(statuses: Iterable<LedgerStatus>): ShardCounts {
  const counts = { built: 0, skipped: 0, failed: 0 };
  for (const status of statuses) if (status !== 'pending') counts[status]++;
  return counts;
}

function sumShardCounts(shards: Record<string, ShardCounts>): ShardCounts {
  const sum = { built: 0, skipped: 0, failed: 0 };
  for (const counts of Object.values(shards)) {
    sum.built += counts.built;
    sum.skipped += counts.skipped;
    sum.failed += counts.failed;
  }
  return sum;
}

/** A new id for a run of this kind. */
export function newRunId(kind: RunKind): string {
  return `${kind}-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
}
