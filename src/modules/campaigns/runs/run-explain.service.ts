import type { LocalDateTime } from '../../../lib/time/zoned-time';
import { Injectable } from '@nestjs/common';
import type {
  AttemptRecord,
  Notification,
  NotificationReason,
  TargetDelivery,
} from '../../delivery/domain/notification';
import { MessageRenderRepository } from '../../delivery/message-render.repository';
import { NotificationRepository } from '../../delivery/notification.repository';
import type { RenderedMessage } from '../../templates/template.types';
import { NotificationTracking, TrackingEventView } from '../../tracking/notification-tracking';
import { CampaignMessageComposer } from '../campaign-message-composer.service';
import type { SkipReason } from '../domain/compose-result';
import type { CampaignSchedule } from '../domain/campaign-definition';
import { CampaignError } from '../domain/campaign.errors';
import { CampaignRunLedgerRepository } from './campaign-run-ledger.repository';
import { CampaignRunShardRepository } from './campaign-run-shard.repository';
import { CampaignRunRepository } from './campaign-run.repository';
import type { LedgerStatus } from './campaign-run.schema';

/** "Why didn't this user get it?": everything a run knows about one user, in the order it happened. */
export interface RunUserExplanation {
  runId: string;
  campaignId: string;
  userId: string;
  /** Whether the run's audience query selected the user. */
  inAudience: boolean;
  /** For a user the run did not select: what the campaign's rules say about them now (a dry run). */
  audienceCheck?: { eligibleNow: boolean; skip?: SkipReason };
  ledger?: { status: LedgerStatus; shard?: number; sendAt?: Date; error?: string; settledAt?: Date };
  experiment?: { experimentId: string; armId: string; receives: boolean };
  notification?: {
    notificationId: string;
    state: Notification['state'];
    /** The rule that suppressed the user, or the last failure. */
    reason?: NotificationReason;
    variant?: { id: string; copy: string };
    subject?: { kind: string; id: string; name: string };
    copySource?: string;
    render?: Record<string, unknown>;
    notBefore?: Date;
    /** Quiet hours hold it: when it was due, and the end of the night it waits for in `timeZone`. */
    quietWait?: { dueAt: Date; until: Date };
    /** A local-hour run's send time on the wall clock (its date, hour and minute), read in `timeZone`. */
    localSend?: LocalDateTime;
    /** A local-hour run's latest send time: later, it is suppressed as `stale`. */
    sendBy?: Date;
    timeZone?: string;
    sentAt?: Date;
    targets: TargetDelivery[];
    attempts: AttemptRecord[];
  };
  tracking: TrackingEventView[];
  /** One sentence answering the question. */
  summary: string;
}

/**
 * Reads one user's path through a run: audience membership (the shard that lists them, or their ledger
 * entry), what became of them (their notification, or the entry of a user held out or failed), arm, the notification record
 * (suppression rule, variant, copy source, render, attempts and provider answers) and tracking events.
 */
@Injectable()
export class RunExplainService {
  constructor(
    private readonly runs: CampaignRunRepository,
    private readonly ledger: CampaignRunLedgerRepository,
    private readonly shards: CampaignRunShardRepository,
    private readonly notifications: NotificationRepository,
    private readonly renders: MessageRenderRepository,
    private readonly tracking: NotificationTracking,
    private readonly composer: CampaignMessageComposer,
  ) {}

  async explain(runId: string, userId: string, now = new Date()): Promise<RunUserExplanation> {
    const run = await this.runs.findById(runId);
    if (!run) throw new CampaignError('campaign.run-not-found', `run ${runId} not found`);
    const base = { runId, campaignId: run.campaignId, userId };
    const [entry, listed, notification] = await Promise.all([
      this.ledger.findEntry(runId, userId),
      this.shards.findShardOf(runId, userId),
      this.notifications.findByRunAndUser(runId, userId),
    ]);
    if (!entry && !listed && !notification) {
      const result = await this.composer.compose({ definition: run.definition }, userId, { now, dryRun: true });
      const skip = result.status === 'skip' ? result.skip : undefined;
      const why = skip ? `${skip.code}: ${skip.message}` : 'they are eligible now (they joined or changed since)';
      return {
        ...base,
        inAudience: false,
        audienceCheck: { eligibleNow: !skip, ...(skip && { skip }) },
        tracking: [],
        summary: `not selected: the run's audience did not include ${userId}; checked now, ${why}`,
      };
    }
    // A notified user has no entry (or, selected before shards listed users, one that may still say pending).
    const status: LedgerStatus =
      entry && entry.status !== 'pending' ? entry.status : notification ? 'done' : (entry?.status ?? 'pending');
    const shard = entry?.shard ?? listed?.shard;
    const sendAt = entry?.sendAt ?? listed?.sendAt;
    const settledAt = entry?.settledAt ?? notification?.createdAt;
    const [render] = await this.renders.rendersOf([notification?.message]);
    const tracking = notification ? await this.tracking.eventsFor(notification.notificationId) : [];
    const armOf = entry?.arm ?? notification?.experiment;
    return {
      ...base,
      inAudience: true,
      ledger: {
        status,
        ...(shard !== undefined && { shard }),
        ...(sendAt && { sendAt }),
        ...(entry?.error && { error: entry.error }),
        ...(status !== 'pending' && settledAt && { settledAt }),
      },
      ...(armOf && { experiment: { ...armOf, receives: status !== 'held-out' } }),
      ...(notification && { notification: notificationPart(notification, render) }),
      tracking,
      summary: summaryOf(status, notification, entry?.error, run.definition.schedule),
    };
  }
}

function notificationPart(n: Notification, render?: RenderedMessage): NonNullable<RunUserExplanation['notification']> {
  const rendered = render as unknown as Record<string, unknown> | undefined;
  return {
    notificationId: n.notificationId,
    state: n.state,
    ...(n.reason && { reason: n.reason }),
    ...(n.message && {
      variant: n.message.variant,
      subject: { kind: n.message.subject.kind, id: n.message.subject.id, name: n.message.subject.name },
      copySource: n.message.copy.source,
    }),
    ...(rendered && { render: rendered }),
    ...(n.notBefore && { notBefore: n.notBefore }),
    ...(n.quietWait && { quietWait: n.quietWait }),
    ...(n.localSend && { localSend: n.localSend }),
    ...(n.sendBy && { sendBy: n.sendBy }),
    ...((n.quietWait || n.localSend) && { timeZone: n.timeZone }),
    ...(n.sentAt && { sentAt: n.sentAt }),
    targets: n.targets,
    attempts: n.attempts,
  };
}

/** The one-sentence answer, from the ledger status and the notification's state. */
function summaryOf(
  status: LedgerStatus,
  n: Notification | undefined,
  error?: string,
  schedule?: CampaignSchedule,
): string {
  if (status === 'held-out') return 'held out: the experiment assigned an arm that receives nothing';
  if (status === 'pending') return 'selected, not processed yet';
  if (status === 'failed') return `processing failed: ${error ?? 'see the logs'}`;
  if (!n) return 'processed, but no notification record exists (erased?)';
  switch (n.state) {
    case 'sent': {
      const count = (state: TargetDelivery['state']) => n.targets.filter((t) => t.state === state).length;
      const skipped = count('skipped') > 0 ? `, ${count('skipped')} skipped: no longer on the profile` : '';
      return `sent (${count('accepted')} of ${n.targets.length} targets accepted${skipped})`;
    }
    case 'suppressed':
      return `suppressed by ${n.reason?.rule ?? n.reason?.code ?? 'a rule'}: ${n.reason?.message ?? ''}`.trim();
    case 'failed':
      if (n.attempts.length === 0) {
        return `failed before any attempt: ${n.reason?.message ?? n.reason?.code ?? ''}`.trim();
      }
      return `failed after ${n.attempts.length} attempt(s): ${n.reason?.code ?? 'the provider did not accept it'}`;
    case 'queued':
      return queuedSummary(n, schedule);
    case 'sending':
      return 'being sent now';
  }
}

/** Why a queued notification has not gone out yet: what it waits for, when it is not simply next in line. */
function queuedSummary(n: Notification, schedule?: CampaignSchedule): string {
  if (!n.notBefore) return 'queued for delivery';
  const at = n.notBefore.toISOString();
  const { quietHours, quietWait } = n;
  if (quietHours && quietWait && quietWait.until.getTime() === n.notBefore.getTime()) {
    return (
      `queued, held by quiet hours (${quietHours.start}-${quietHours.end} in ${n.timeZone}, the user's zone) ` +
      `until ${at}; due since ${quietWait.dueAt.toISOString()}`
    );
  }
  if (n.attempts.length > 0) return `queued for another attempt, not before ${at}`;
  const local = n.localSend ?? (schedule?.type === 'local-hour' ? schedule : undefined);
  if (local) {
    const time = `${String(local.hour).padStart(2, '0')}:${String(local.minute ?? 0).padStart(2, '0')}`;
    return `queued for its local send time, ${time} in ${n.timeZone} (${at})`;
  }
  return `queued, not before ${at}`;
}
