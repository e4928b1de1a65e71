import type { RunState } from './run-state';

/** Queued notifications (or pending users) that wait for one thing, and when the first and last of those waits end. */
export interface WaitGroup {
  count: number;
  earliest: Date;
  latest: Date;
}

/**
 * What a run's queued notifications wait for, read from their records when the run was shown (`at`). Each
 * queued notification is in one group: `dueNow` (due: waiting for a worker, or being picked up), or the reason
 * its `notBefore` is later: `quietHours` (the end of its user's night), `localSend` (a local-hour run's send
 * time), `retry` (a retry's backoff) or `later` (a `notBefore` its record gives no reason for).
 * `pendingSendTime`: a local-hour run's users not composed yet (in `pending`, not in `queued`), whose shard waits
 * for their send time. `runPaused`: the run is paused, so this many (its queued notifications and pending users)
 * also wait for it to be resumed.
 */
export interface RunWaiting {
  at: Date;
  queued: number;
  dueNow: number;
  runPaused?: number;
  quietHours?: WaitGroup;
  localSend?: WaitGroup;
  retry?: WaitGroup;
  later?: WaitGroup;
  pendingSendTime?: WaitGroup;
}

export const WAIT_KINDS = ['quietHours', 'localSend', 'retry', 'later', 'pendingSendTime'] as const;
export type WaitKind = (typeof WAIT_KINDS)[number];

/** A group of the notification aggregate (`NotificationRepository.waitingOf`). */
export interface WaitingRow {
  kind: string;
  n: number;
  earliest?: Date;
  latest?: Date;
}

/**
 * The waiting breakdown from the grouped queued notifications and the run's shards that wait for a send time. A
 * local-hour run's messages queued before they kept their send time (`localSend`) count as waiting for it, as
 * `runs explain` says of them.
 */
export function runWaitingOf(
  rows: readonly WaitingRow[],
  run: { state: RunState; localHour: boolean; pending: number },
  at: Date,
  pendingSendTime?: { n: number; earliest: Date; latest: Date },
): RunWaiting {
  const waiting: RunWaiting = { at, queued: 0, dueNow: 0 };
  for (const { kind: found, n, earliest, latest } of rows) {
    waiting.queued += n;
    const kind = found === 'later' && run.localHour ? 'localSend' : found;
    if (kind === 'dueNow' || !earliest || !latest || !(WAIT_KINDS as readonly string[]).includes(kind)) {
      waiting.dueNow += n;
      continue;
    }
    waiting[kind as WaitKind] = merged(waiting[kind as WaitKind], { count: n, earliest, latest });
  }
  if (pendingSendTime) {
    const { n: count, earliest, latest } = pendingSendTime;
    waiting.pendingSendTime = { count, earliest, latest };
  }
  const held = waiting.queued + run.pending;
  if (run.state === 'paused' && held > 0) waiting.runPaused = held;
  return waiting;
}

function merged(group: WaitGroup | undefined, more: WaitGroup): WaitGroup {
  if (!group) return more;
  return {
    count: group.count + more.count,
    earliest: more.earliest < group.earliest ? more.earliest : group.earliest,
    latest: more.latest > group.latest ? more.latest : group.latest,
  };
}
