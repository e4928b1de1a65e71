/** A user's history cut in time: the early part builds journeys, the later part is the truth. */
export interface HistorySplit<T> {
  early: T[];
  later: T[];
}

/**
 * Splits a time-ordered history at `fraction` of its events, moved to the nearest boundary between two
 * distinct instants: events logged in the same second (several tags at once) are never split apart, so no
 * part of one action leaks into the truth. A history that cannot be cut (one instant) is all early.
 */
export function splitHistory<T extends { at: number }>(events: readonly T[], fraction: number): HistorySplit<T> {
  const n = events.length;
  const target = Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
  const boundary = (i: number) => i > 0 && i < n && events[i].at !== events[i - 1].at;
  let cut = -1;
  for (let d = 0; n >= 2 && cut < 0 && (target - d > 0 || target + d < n); d++) {
    if (boundary(target + d)) cut = target + d;
    else if (boundary(target - d)) cut = target - d;
  }
  if (cut < 0) return { early: [...events], later: [] };
  return { early: events.slice(0, cut), later: events.slice(cut) };
}

/** The first `count` sessions of a time-ordered list of events (a new session after a gap over `gapMs`). */
export function nextSessions<T extends { at: number }>(events: readonly T[], count: number, gapMs: number): T[] {
  let sessions = 0;
  let end = 0;
  for (; end < events.length; end++) {
    if (end === 0 || events[end].at - events[end - 1].at > gapMs) sessions++;
    if (sessions > count) break;
  }
  return events.slice(0, end);
}
