/**
 * A campaign run: one firing of a campaign's schedule (or a manual start). `scheduled` until its start
 * job selects the audience, `running` while users are fanned out and their notifications delivered,
 * then `completed`; `paused` holds every unsent notification until resumed; `cancelled` ends it and
 * settles what was not sent; `failed` when the fan-out itself could not go on.
 */
export const RUN_STATES = ['scheduled', 'running', 'paused', 'completed', 'cancelled', 'failed'] as const;
export type RunState = (typeof RUN_STATES)[number];

export const RUN_TRIGGERS = ['schedule', 'manual'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export type RunAction = 'pause' | 'resume' | 'cancel';

/** From which states each action moves a run, and where to. */
export const RUN_TRANSITIONS: Record<RunAction, { from: readonly RunState[]; to: RunState }> = {
  pause: { from: ['scheduled', 'running'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
  cancel: { from: ['scheduled', 'running', 'paused'], to: 'cancelled' },
};

/** Whether the run will never change again. */
export function isFinished(state: RunState): boolean {
  return state === 'completed' || state === 'cancelled' || state === 'failed';
}

/** A run's counters: the audience and what became of each user in it. */
export interface RunCounts {
  /** Users the audience query selected. */
  audience: number;
  /** Users not processed yet. */
  pending: number;
  /** Assigned to an arm that receives nothing (holdout, global control). */
  heldOut: number;
  /** Users who got a notification record to be sent (not suppressed). */
  eligible: number;
  /** Suppressed users by reason code (consent, audience rule, unsubscribed, frequency cap, quiet hours...). */
  suppressed: Record<string, number>;
  /** Notifications waiting to be sent (including a later local time, quiet hours, retries). */
  queued: number;
  sending: number;
  sent: number;
  /** Notifications the providers refused or that ran out of attempts. */
  failed: number;
  /** Users whose processing failed with an error (see the logs). */
  errors: number;
}

/**
 * A run's users per ledger status, from its records: the audience is every user its shards list, plus
 * the entries of shards that list none (selected when every user got a pending entry); entries count
 * the users held out or failed, notifications (`notified`) the users done, and the rest is pending.
 */
export function ledgerCountsOf(
  listed: ReadonlyMap<number, number>,
  entries: ReadonlyArray<{ shard: number; status: string; n: number }>,
  notified: number,
): Record<string, number> {
  let audience = 0;
  for (const n of listed.values()) audience += n;
  const settled = { 'held-out': 0, failed: 0 };
  for (const { shard, status, n } of entries) {
    if (!listed.has(shard)) audience += n;
    if (status === 'held-out' || status === 'failed') settled[status] += n;
  }
  const rest = Math.max(0, audience - settled['held-out'] - settled.failed);
  const done = Math.min(notified, rest);
  return { ...settled, done, pending: rest - done };
}

/** Counters from the ledger's statuses and the run's notifications per state and reason. */
export function countsOf(
  ledger: Record<string, number>,
  notifications: ReadonlyArray<{ state: string; reason?: string; n: number }>,
): RunCounts {
  const counts: RunCounts = {
    audience: Object.values(ledger).reduce((a, b) => a + b, 0),
    pending: ledger.pending ?? 0,
    heldOut: ledger['held-out'] ?? 0,
    eligible: 0,
    suppressed: {},
    queued: 0,
    sending: 0,
    sent: 0,
    failed: 0,
    errors: ledger.failed ?? 0,
  };
  for (const { state, reason, n } of notifications) {
    if (state === 'suppressed') {
      const code = reason ?? 'unknown';
      counts.suppressed[code] = (counts.suppressed[code] ?? 0) + n;
      continue;
    }
    counts.eligible += n;
    if (state === 'queued' || state === 'sending' || state === 'sent' || state === 'failed') counts[state] += n;
  }
  return counts;
}

/** The most runs one list answers, by the API and the CLI alike. */
export const MAX_RUNS_LISTED = 200;
