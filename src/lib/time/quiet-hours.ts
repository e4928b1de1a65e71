import { addDays, instantReachingLocal, instantsOfLocal, localTimeOf } from './zoned-time';

/** A daily window in the recipient's time zone when nothing is sent; `end` before `start` spans midnight. */
export interface QuietHours {
  /** `HH:MM`, inclusive. */
  start: string;
  /** `HH:MM`, exclusive. */
  end: string;
}

export type QuietVerdict = { quiet: false } | { quiet: true; endsAt: Date };

function minutesOf(clock: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(clock);
  if (!match) throw new Error(`quiet hours: "${clock}" is not HH:MM`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * Whether `instant` falls in the quiet window in `timeZone`, and if so the instant the window ends
 * there: the first minute after `instant` whose wall-clock time is past it (an `end` a spring-forward
 * change skips ends the window at the jump, and in the second pass of a fall-back hour the window ends
 * when that pass reaches `end`). Equal start and end means no window.
 */
export function quietVerdict(instant: Date, timeZone: string, hours: QuietHours): QuietVerdict {
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  if (start === end) return { quiet: false };
  const local = localTimeOf(instant, timeZone);
  const now = local.hour * 60 + local.minute;
  const wraps = end < start;
  const inside = wraps ? now >= start || now < end : now >= start && now < end;
  if (!inside) return { quiet: false };
  // A window spanning midnight that started this evening ends tomorrow morning.
  const endDate = wraps && now >= start ? addDays(local, 1) : local;
  const endLocal = { ...endDate, hour: Math.floor(end / 60), minute: end % 60 };
  // In the second pass of a repeated hour, the window ends at the end's second instant, not its first (past).
  const endsAt =
    instantsOfLocal(endLocal, timeZone).find((t) => t.getTime() > instant.getTime()) ??
    instantReachingLocal(endLocal, timeZone);
  // A clock change inside the window can place the resolved end at or before `instant`; never answer the past.
  return { quiet: true, endsAt: endsAt.getTime() > instant.getTime() ? endsAt : new Date(instant.getTime() + 60_000) };
}
