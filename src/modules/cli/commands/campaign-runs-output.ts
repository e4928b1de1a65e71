import type { RunView } from '../../campaigns/runs/campaign-runs.service';
import type { RunWaiting, WaitGroup } from '../../campaigns/runs/domain/run-waiting';
import type { RunUserExplanation } from '../../campaigns/runs/run-explain.service';

/** The suppressed count with its reasons, largest first: `300 (frequency-cap 298, consent 2)`, or `0`. */
export function suppressedText(suppressed: Record<string, number>): string {
  const reasons = Object.entries(suppressed)
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const total = reasons.reduce((sum, [, n]) => sum + n, 0);
  return reasons.length === 0 ? '0' : `${total} (${reasons.map(([reason, n]) => `${reason} ${n}`).join(', ')})`;
}

/** One line per run: id, state and the counters that matter. */
export function formatRunLine(run: RunView): string {
  const c = run.counts;
  return (
    `${run.runId.padEnd(44)} ${run.state.padEnd(9)} audience=${c.audience} sent=${c.sent} queued=${c.queued} ` +
    `failed=${c.failed} held-out=${c.heldOut} suppressed=${suppressedText(c.suppressed)}`
  );
}

/** A run in full: what it is, when it happened and every counter. */
export function formatRun(run: RunView): string {
  const c = run.counts;
  return [
    `run        ${run.runId}`,
    `campaign   ${run.campaignId}`,
    `state      ${run.state} (by ${run.stateChangedBy} at ${new Date(run.stateChangedAt).toISOString()})`,
    `trigger    ${run.trigger}, for ${new Date(run.scheduledFor).toISOString()}${run.localDate ? ` (local date ${run.localDate})` : ''}`,
    `audience   ${c.audience} (pending ${c.pending}, held out ${c.heldOut}, errors ${c.errors})`,
    `eligible   ${c.eligible}: sent ${c.sent}, queued ${c.queued}, sending ${c.sending}, failed ${c.failed}`,
    `suppressed ${suppressedText(c.suppressed)}`,
    ...waitingLines(run.waiting).map((line, i) => `${i === 0 ? 'waiting   ' : '          '} ${line}`),
    ...(run.error ? [`error      ${run.error}`] : []),
  ].join('\n');
}

const iso = (d: Date) => new Date(d).toISOString();

/** `quiet hours 6, ends 2026-12-07T06:00:00.000Z to 2026-12-07T07:00:00.000Z`: a group and its span. */
function waitGroupText(what: string, group: WaitGroup | undefined, verb: string): string[] {
  if (!group) return [];
  const span =
    iso(group.earliest) === iso(group.latest) ? iso(group.earliest) : `${iso(group.earliest)} to ${iso(group.latest)}`;
  return [`${what} ${group.count}, ${verb} ${span}`];
}

/**
 * What a run waits for, a line each: a paused run, its queued notifications by what they wait for (due now,
 * quiet hours, a local send time, a retry's backoff, a later time), and users whose send time is not there yet.
 */
export function waitingLines(w: RunWaiting | undefined): string[] {
  if (!w) return [];
  const queued = [
    ...(w.dueNow > 0 ? [`due now ${w.dueNow}`] : []),
    ...waitGroupText('quiet hours', w.quietHours, 'ends'),
    ...waitGroupText('local send time', w.localSend, 'at'),
    ...waitGroupText('retry backoff', w.retry, 'ends'),
    ...waitGroupText('not before', w.later, 'at'),
  ];
  return [
    ...(w.runPaused ? [`run paused: ${w.runPaused} wait until it is resumed`] : []),
    ...(w.queued > 0 ? [`${w.queued} queued: ${queued.join('; ')}`] : []),
    ...waitGroupText('pending users', w.pendingSendTime, 'composed for their send time'),
  ];
}

/**
 * When everything a running run has left waits for a time after `deadline` (nothing due, being sent or being
 * selected, no pause that a resume could end sooner), the earliest of those times; otherwise undefined.
 */
export function waitsPast(run: RunView, deadline: Date): Date | undefined {
  const { counts: c, waiting: w } = run;
  if (run.state !== 'running' || !run.selectionDone || !w || c.sending > 0 || w.dueNow > 0) return undefined;
  if (w.queued !== c.queued || c.pending !== (w.pendingSendTime?.count ?? 0)) return undefined;
  const groups = [w.quietHours, w.localSend, w.retry, w.later, w.pendingSendTime].filter((g) => g !== undefined);
  if (groups.length === 0) return undefined;
  const earliest = new Date(Math.min(...groups.map((g) => new Date(g.earliest).getTime())));
  return earliest > deadline ? earliest : undefined;
}

/** The explanation as a person reads it: the answer first, then the evidence. */
export function formatExplanation(e: RunUserExplanation): string {
  const lines = [`${e.userId} in ${e.runId}: ${e.summary}`, `in audience: ${e.inAudience ? 'yes' : 'no'}`];
  if (e.experiment) lines.push(`arm: ${e.experiment.experimentId}/${e.experiment.armId}`);
  const n = e.notification;
  if (n) {
    lines.push(`notification ${n.notificationId}: ${n.state}`);
    if (n.reason) {
      lines.push(`  reason: ${n.reason.code}${n.reason.rule ? ` (${n.reason.rule})` : ''} ${n.reason.message}`);
    }
    if (n.variant) lines.push(`  variant: ${n.variant.id} (copy ${n.variant.copy}, source ${n.copySource ?? '-'})`);
    if (n.subject) lines.push(`  about: ${n.subject.kind} ${n.subject.name}`);
    for (const a of n.attempts) {
      const errors = (a.errors ?? []).map((err) => String(err.code ?? err.message)).join(', ');
      lines.push(`  attempt ${a.attemptId}: ${a.outcome}${errors ? ` (${errors})` : ''}`);
    }
    for (const t of n.targets) {
      const to =
        t.to.channel === 'email'
          ? t.to.address
          : t.to.channel === 'webhook'
            ? `webhook ${t.to.url}`
            : `${t.to.platform} device`;
      const detail = t.providerMessageId
        ? ` ${t.provider} ${t.providerMessageId}`
        : t.reason
          ? ` (${t.reason.message})`
          : '';
      lines.push(`  target ${to}: ${t.state}${detail}`);
    }
  }
  for (const event of e.tracking) lines.push(`event ${event.kind} at ${new Date(event.at).toISOString()}`);
  return lines.join('\n');
}
