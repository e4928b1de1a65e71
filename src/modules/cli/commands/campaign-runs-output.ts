import type { RunView } from '../../campaigns/runs/campaign-runs.service';
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
    ...(run.error ? [`error      ${run.error}`] : []),
  ].join('\n');
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
