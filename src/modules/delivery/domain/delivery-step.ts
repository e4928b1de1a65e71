import { quietVerdict } from '../../../lib/time/quiet-hours';
import { instantOfLocalDate } from '../../../lib/time/zoned-time';
import { firstAccepted, isTerminal, Notification, NotificationReason, staleReason } from './notification';

/** What the notification's run allows: sending, waiting for a resume, or nothing ever again. */
export type RunGate = 'open' | 'paused' | 'cancelled';

export type DeliveryStep =
  /** Nothing left to do (a duplicate or late job). */
  | { kind: 'done' }
  /**
   * Sent: a job finding it so (a re-run after a crash, a duplicate) writes the after-send records again.
   * They are idempotent, and writing them again is cheaper than a marker written for every notification.
   */
  | { kind: 'effects' }
  /** The run is paused: leave the notification queued; resuming the run enqueues it again. */
  | { kind: 'park' }
  /** An attempt holds the notification but its lease lapsed: its worker died or hung. */
  | { kind: 'recover'; attemptId: string }
  /** Not before `until`: a later send time, the end of quiet hours, a live attempt's lease. */
  | { kind: 'wait'; until: Date; why: 'not-before' | 'quiet-hours' | 'lease' }
  /** Settle without sending (or as sent, with the targets already accepted). */
  | { kind: 'settle'; reason: NotificationReason }
  | { kind: 'send' };

/**
 * The delivery job's decision for a notification at `now`; the job then performs it with a
 * conditional write, so two jobs deciding at once cannot both send. Pure: no I/O, time passed in.
 */
export function nextStep(
  notification: Pick<
    Notification,
    'state' | 'sending' | 'notBefore' | 'quietHours' | 'timeZone' | 'targets' | 'sendBy'
  >,
  gate: RunGate,
  now: Date,
): DeliveryStep {
  const { state } = notification;
  if (state === 'sent') return { kind: 'effects' };
  if (isTerminal(state)) return { kind: 'done' };
  if (state === 'sending') {
    const lease = notification.sending;
    if (lease && lease.leaseUntil.getTime() > now.getTime()) {
      return { kind: 'wait', until: lease.leaseUntil, why: 'lease' };
    }
    return { kind: 'recover', attemptId: lease?.attemptId ?? '' };
  }
  if (gate === 'cancelled') {
    return {
      kind: 'settle',
      reason: { code: 'run-cancelled', message: 'the campaign run was cancelled before this was sent' },
    };
  }
  if (gate === 'paused') return { kind: 'park' };
  if (notification.notBefore && notification.notBefore.getTime() > now.getTime()) {
    return { kind: 'wait', until: notification.notBefore, why: 'not-before' };
  }
  // Due now, or at the end of the night: later than its local hour allows, it never goes out.
  const { sendBy } = notification;
  const stale = (at: Date) => sendBy !== undefined && at.getTime() > sendBy.getTime();
  if (stale(now) && !firstAccepted(notification.targets)) {
    return { kind: 'settle', reason: staleReason(sendBy!, notification.timeZone) };
  }
  if (notification.quietHours) {
    const verdict = quietVerdict(now, notification.timeZone, notification.quietHours);
    if (verdict.quiet && notification.quietHours.whenQuiet === 'drop' && !firstAccepted(notification.targets)) {
      return {
        kind: 'settle',
        reason: {
          code: 'quiet-hours',
          rule: 'quietHours',
          value: `${notification.quietHours.start}-${notification.quietHours.end} ${notification.timeZone}`,
          message: 'due inside the quiet hours of a campaign that drops such messages',
        },
      };
    }
    if (verdict.quiet && stale(verdict.endsAt) && !firstAccepted(notification.targets)) {
      return { kind: 'settle', reason: staleReason(sendBy!, notification.timeZone) };
    }
    if (verdict.quiet) return { kind: 'wait', until: verdict.endsAt, why: 'quiet-hours' };
  }
  return { kind: 'send' };
}

/** What a queued message waiting for its user's local time keeps of the wait: a local send time, a night's end. */
export type ZoneWait = Pick<Notification, 'quietHours' | 'quietWait' | 'localSend'> &
  Partial<Pick<Notification, 'sendBy' | 'timeZone'>>;

/**
 * When a message waiting for its user's local time should go out once the user is in `timeZone`: at its local
 * send time read there (a local-hour run's) or when it was due (a quiet wait's), not before `now`; at the end of
 * the night there when that falls in it and its campaign delays such messages (one that drops them is dropped
 * by the send-time check). Its quiet wait, when it has or gets one, says from when to when. Undefined for a
 * message with neither kind of wait. A local send time's latest send (`sendBy`, judged in the zone it was read in)
 * moves with it: as long after the send time where the user is now. Pure.
 */
export function waitInZone(
  wait: ZoneWait,
  timeZone: string,
  now: Date,
): { notBefore: Date; quietWait?: { dueAt: Date; until: Date }; sendBy?: Date } | undefined {
  const dueAt = wait.localSend ? instantOfLocalDate(wait.localSend, timeZone) : wait.quietWait?.dueAt;
  if (!dueAt) return undefined;
  const due = new Date(Math.max(dueAt.getTime(), now.getTime()));
  const { localSend, sendBy, timeZone: was } = wait;
  const latest =
    localSend && sendBy && was
      ? { sendBy: new Date(sendBy.getTime() + dueAt.getTime() - instantOfLocalDate(localSend, was).getTime()) }
      : undefined;
  const rule = wait.quietHours;
  if (rule && rule.whenQuiet !== 'drop') {
    const verdict = quietVerdict(due, timeZone, rule);
    if (verdict.quiet) return { notBefore: verdict.endsAt, quietWait: { dueAt, until: verdict.endsAt }, ...latest };
  }
  // A quiet wait without a local send time keeps its record (due since when), though no night holds it now.
  return { notBefore: due, ...(!localSend && wait.quietWait && { quietWait: { dueAt, until: due } }), ...latest };
}
