import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { CampaignMessageComposer } from '../campaign-message-composer.service';
import { CampaignsService } from '../campaigns.service';
import { CampaignError } from '../domain/campaign.errors';
import { NotificationRepository } from '../../delivery/notification.repository';
import { CampaignRunRecord } from './campaign-run.schema';
import { CampaignRunShardRepository } from './campaign-run-shard.repository';
import { CampaignRunRepository, RunFilter } from './campaign-run.repository';
import { CampaignRepository } from '../campaign.repository';
import { DEFAULT_MAX_LATE_MINUTES } from '../domain/campaign-definition';
import {
  cronDueAt,
  FiringDue,
  firingDue,
  localRunDate,
  scheduledRunId,
  sendsOn,
  skippedCronFiring,
} from './domain/run-schedule';
import { isFinished, RUN_TRANSITIONS, RunAction, RunCounts, RunTrigger } from './domain/run-state';
import { RunWaiting, runWaitingOf } from './domain/run-waiting';
import { CampaignRunsProducer } from './jobs/campaign-runs.queue';
import { RunCompletion } from './run-completion';

/**
 * A run as shown: its record with live counters while it is not finished, and, when asked for one run that is
 * not finished and has queued notifications, what they wait for.
 */
export type RunView = CampaignRunRecord & { counts: RunCounts; waiting?: RunWaiting };

/** A new id for a manual run of the campaign started at `now`. */
export function manualRunId(campaignId: string, now = new Date()): string {
  return `${campaignId}-manual-${now.toISOString().replace(/[-:]|\.\d{3}/g, '')}-${randomBytes(2).toString('hex')}`;
}

/** Firings of a one-off schedule more than this far from its instant belong to an older definition. */
const ONCE_TOLERANCE_MS = 60_000;

/**
 * Campaign runs as the API, the CLI and the scheduler see them: starting one (manually or for a schedule
 * firing), pausing, resuming and cancelling it, and reading it with its counters. The work itself is done
 * by jobs: selection, fan-out shards, deliveries, and the requeue that resume and cancel enqueue.
 */
@Injectable()
export class CampaignRunsService {
  private readonly logger = new Logger(CampaignRunsService.name);

  constructor(
    private readonly campaigns: CampaignsService,
    private readonly composer: CampaignMessageComposer,
    private readonly runs: CampaignRunRepository,
    private readonly producer: CampaignRunsProducer,
    private readonly completion: RunCompletion,
    private readonly notifications: NotificationRepository,
    private readonly shards: CampaignRunShardRepository,
    private readonly history: CampaignRepository,
  ) {}

  /**
   * Starts a run of the campaign now, whatever its schedule (a manual send); given the id of a run that exists
   * (a retried request's), that run, started once.
   */
  async startManual(campaignId: string, actor: string, runId = manualRunId(campaignId)): Promise<RunView> {
    return this.view(await this.create(campaignId, runId, 'manual', actor, new Date()));
  }

  /**
   * Starts the run of a schedule firing, once however often the firing is delivered; undefined when none is due.
   * `kind` says which schedule fired (a one-off's delayed job, or a cron or local-hour repeatable job): a firing
   * left by a schedule of the other kind (the campaign's file changed it since) starts nothing. A cron or
   * one-off firing handled at `now` later than the schedule's `maxLateMinutes` after its due time (no worker up
   * then) starts nothing either, and says so in the campaign's history; cron firings handled after a later due
   * time start that one's run (see firingDue), so missed firings delivered together start one run.
   */
  async startScheduled(
    campaignId: string,
    firedAt: Date,
    kind?: 'once' | 'repeat',
    now = new Date(),
  ): Promise<CampaignRunRecord | undefined> {
    const campaign = await this.campaigns.get(campaignId).catch(() => undefined);
    if (campaign?.state !== 'active' || !campaign.definition) return undefined;
    const schedule = campaign.definition.schedule;
    if (kind && (kind === 'once') !== (schedule.type === 'once')) return undefined;
    if (schedule.type === 'once' && Math.abs(Date.parse(schedule.at) - firedAt.getTime()) > ONCE_TOLERANCE_MS) {
      return undefined;
    }
    if (schedule.type === 'local-hour') {
      const localDate = localRunDate(firedAt);
      if (!sendsOn(schedule, localDate)) return undefined;
      const runId = scheduledRunId(campaignId, schedule, firedAt);
      return this.create(campaignId, runId, 'schedule', 'scheduler', firedAt, localDate);
    }
    const due = firingDue(schedule, firedAt, now);
    if (schedule.type === 'cron') {
      // A due time the repeatable job will skip (a clock change at midnight, say) gets a firing of its own.
      const skipped = skippedCronFiring(schedule, due.dueAt);
      if (skipped) await this.producer.enqueueFiring(campaignId, skipped);
      // A firing the cron library makes where a clock change leaves no due time (a repeated time's second pass).
      if (!cronDueAt(schedule, due.dueAt)) return undefined;
    }
    if (due.tooLate) {
      await this.refuseLate(campaignId, schedule.maxLateMinutes ?? DEFAULT_MAX_LATE_MINUTES, due, now);
      return undefined;
    }
    return this.create(campaignId, scheduledRunId(campaignId, schedule, due.dueAt), 'schedule', 'scheduler', due.dueAt);
  }

  /** A firing handled too late starts nothing: logged, and written in the campaign's history for its operators. */
  private async refuseLate(campaignId: string, maxLateMinutes: number, due: FiringDue, now: Date): Promise<void> {
    const note = `firing due ${due.dueAt.toISOString()} handled ${due.lateMinutes} minutes late, past schedule.maxLateMinutes (${maxLateMinutes}): no run started`;
    this.logger.warn({ message: note, campaignId, dueAt: due.dueAt.toISOString(), lateMinutes: due.lateMinutes });
    await this.history.recordLateFiring({
      campaignId,
      at: now,
      actor: 'scheduler',
      action: 'firing-too-late',
      fromState: 'active',
      toState: 'active',
      note,
      firingDueAt: due.dueAt,
    });
  }

  /**
   * One run with its counters; with `waiting`, also what its queued notifications (and a local-hour run's users
   * not composed yet) wait for: one aggregate over its queued notifications and one over its shards, so only for
   * one run at a time, only while it is not finished, and only when something is queued or pending.
   */
  async get(runId: string, options: { waiting?: boolean; now?: Date } = {}): Promise<RunView> {
    const run = await this.runs.findById(runId);
    if (!run) throw new CampaignError('campaign.run-not-found', `run ${runId} not found`);
    const view = await this.view(run);
    const localHour = run.definition.schedule.type === 'local-hour';
    const c = view.counts;
    if (!options.waiting || isFinished(view.state) || c.queued + c.pending === 0) return view;
    const now = options.now ?? new Date();
    const [rows, pendingSendTime] = await Promise.all([
      c.queued > 0 ? this.notifications.waitingOf(runId, now) : [],
      localHour && c.pending > 0 ? this.shards.waitingForSendTime(runId, now) : undefined,
    ]);
    const waiting = runWaitingOf(rows, { state: view.state, localHour, pending: c.pending }, now, pendingSendTime);
    return { ...view, waiting };
  }

  /** Runs newest first, each with its counters (live for unfinished runs). */
  async list(filter: RunFilter): Promise<RunView[]> {
    return Promise.all((await this.runs.list(filter)).map((run) => this.view(run)));
  }

  pause(runId: string, actor: string): Promise<RunView> {
    return this.control(runId, 'pause', actor);
  }

  resume(runId: string, actor: string): Promise<RunView> {
    return this.control(runId, 'resume', actor);
  }

  cancel(runId: string, actor: string): Promise<RunView> {
    return this.control(runId, 'cancel', actor);
  }

  /**
   * Pauses, resumes or cancels a run. Resume and cancel enqueue a requeue of what the run left: the
   * selection and shards of a resumed run, and every queued notification, whose delivery job then sends
   * it (resume) or settles it as cancelled (cancel). Repeating resume on a running run re-enqueues
   * that requeue, so a resume interrupted by a Redis outage can simply be repeated.
   */
  async control(runId: string, action: RunAction, actor: string, now = new Date()): Promise<RunView> {
    const run = await this.get(runId);
    const { from, to } = RUN_TRANSITIONS[action];
    if (action === 'resume' && run.state === 'running') {
      await this.producer.enqueueRequeue(runId, run.generation);
      return run;
    }
    if (run.state === to) return run;
    if (!from.includes(run.state)) {
      throw new CampaignError('campaign.run-conflict', `run ${runId} is ${run.state}: it cannot ${action}`);
    }
    const bump = action === 'pause' ? {} : { generation: 1 };
    if (!(await this.runs.transition(runId, from, to, actor, now, bump))) {
      throw new CampaignError('campaign.run-conflict', `run ${runId} changed meanwhile; try again`);
    }
    this.logger.log({ message: `run ${run.state} -> ${to} by ${actor}`, runId, campaignId: run.campaignId });
    if (action !== 'pause') await this.producer.enqueueRequeue(runId, run.generation + 1);
    return this.get(runId);
  }

  private async create(
    campaignId: string,
    runId: string,
    trigger: RunTrigger,
    actor: string,
    at: Date,
    localDate?: string,
  ): Promise<CampaignRunRecord> {
    const campaign = await this.campaigns.getUsable(campaignId);
    const { run, created } = await this.runs.createOnce({
      runId,
      campaignId,
      contentHash: campaign.contentHash ?? '',
      definition: campaign.definition,
      trigger,
      state: 'scheduled',
      scheduledFor: at,
      ...(localDate && { localDate }),
      selectionDone: false,
      shardCount: 0,
      generation: 0,
      copyBudget: this.composer.budgetLimits(campaign.definition),
      createdAt: new Date(),
      stateChangedAt: new Date(),
      stateChangedBy: actor,
    });
    // Enqueued even for a run that existed: a firing whose first enqueue failed gets its start job now.
    if (!isFinished(run.state)) await this.producer.enqueueStart(runId, run.generation);
    if (created) this.logger.log({ message: `run created (${trigger})`, runId, campaignId });
    return run;
  }

  private async view(run: CampaignRunRecord): Promise<RunView> {
    if (run.counts && isFinished(run.state) && run.state !== 'cancelled') return run as RunView;
    return { ...run, counts: await this.completion.counts(run.runId) };
  }
}
