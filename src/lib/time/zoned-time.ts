/**
 * Wall-clock time in IANA time zones, for sends at a local hour and quiet hours. Offsets come from
 * the runtime's time zone data (Intl), so daylight-saving changes follow the zone's real rules.
 */

/** A local date and time in some zone (month 1-12). */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 2_000;

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    // Zones come from user profiles: a bound keeps odd values from growing memory.
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(timeZone, format);
  }
  return format;
}

/** Whether the runtime knows `timeZone` as an IANA zone. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone to judge local times in for a profile's `timeZone`: itself when the runtime knows it, else UTC. */
export function zoneOrUtc(timeZone: string | undefined): string {
  return timeZone && isKnownTimeZone(timeZone) ? timeZone : 'UTC';
}

/** The wall-clock time of `instant` in `timeZone` (seconds dropped). */
export function localTimeOf(instant: Date, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute };
}

/** The zone's offset from UTC at `instant`, in minutes (Paris in winter: 60). */
export function offsetMinutesAt(instant: Date, timeZone: string): number {
  const local = localTimeOf(instant, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const floored = Math.floor(instant.getTime() / 60_000) * 60_000;
  return Math.round((asUtc - floored) / 60_000);
}

const sameLocal = (a: LocalTime, b: LocalTime) =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;

/** Every instant a wall-clock time happens in `timeZone`, earliest first: none when a clock change skips it, two when one repeats it. */
export function instantsOfLocal(local: LocalTime, timeZone: string): Date[] {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // The offset can differ by at most a day either side; try the offsets in effect around the wall time.
  const candidates = new Set<number>();
  for (const probe of [wall - 86_400_000, wall, wall + 86_400_000]) {
    candidates.add(offsetMinutesAt(new Date(probe), timeZone));
  }
  return [...candidates]
    .map((offset) => wall - offset * 60_000)
    .filter((t) => sameLocal(localTimeOf(new Date(t), timeZone), local))
    .sort((a, b) => a - b)
    .map((t) => new Date(t));
}

/**
 * The instant a wall-clock time happens in `timeZone`. A time skipped by a spring-forward change
 * (02:30 on the night clocks jump from 02:00 to 03:00) happens as late as the jump makes it (03:30);
 * a time that happens twice on a fall-back night resolves to the first of the two.
 */
export function instantOfLocal(local: LocalTime, timeZone: string): Date {
  const [first] = instantsOfLocal(local, timeZone);
  if (first) return first;
  // Skipped: shift by the size of the gap, measured with the offset before it.
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const before = offsetMinutesAt(new Date(wall - 86_400_000), timeZone);
  return new Date(wall - before * 60_000);
}

/**
 * The first instant the wall clock in `timeZone` reads `local` or later: the instant `local` happens (the
 * first of two on a fall-back night), or, when a spring-forward change skips it, the instant of that jump
 * (03:00 EDT for 02:30 on the night New York jumps from 02:00 to 03:00).
 */
export function instantReachingLocal(local: LocalTime, timeZone: string): Date {
  const [first] = instantsOfLocal(local, timeZone);
  if (first) return first;
  const late = instantOfLocal(local, timeZone).getTime();
  const after = offsetMinutesAt(new Date(late), timeZone);
  // The jump lies within the gap's length before the time as late as it makes it: the first minute on the later offset.
  let low = late - Math.abs(after - offsetMinutesAt(new Date(late - 86_400_000), timeZone)) * 60_000;
  let high = late;
  while (high - low > 60_000) {
    const middle = low + Math.floor((high - low) / 120_000) * 60_000;
    if (offsetMinutesAt(new Date(middle), timeZone) === after) high = middle;
    else low = middle;
  }
  return new Date(high);
}

/** A wall-clock time on a calendar date, wherever it is read: a local-hour send's `YYYY-MM-DD` and time. */
export interface LocalDateTime {
  date: string;
  hour: number;
  minute: number;
}

/** The instant a wall-clock time on a `YYYY-MM-DD` date happens in `timeZone` (see {@link instantOfLocal}). */
export function instantOfLocalDate(local: LocalDateTime, timeZone: string): Date {
  const [year, month, day] = local.date.split('-').map(Number);
  return instantOfLocal({ year, month, day, hour: local.hour, minute: local.minute }, timeZone);
}

/** The calendar date `days` after `year-month-day` (days may be negative). */
export function addDays(date: Pick<LocalTime, 'year' | 'month' | 'day'>, days: number) {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** Day of the week of a calendar date: 0 Monday ... 6 Sunday. */
export function weekdayOf(date: Pick<LocalTime, 'year' | 'month' | 'day'>): number {
  return (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7;
}

/** `YYYY-MM-DD` of a calendar date. */
export function formatDate(date: Pick<LocalTime, 'year' | 'month' | 'day'>): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

/**
 * The IANA name of a time zone in its usual letter case (`europe/paris` → `Europe/Paris`), or undefined when it
 * names none: profiles store this, so one zone is one value wherever users are grouped or compared by it. Another
 * name of the same zone (`Etc/GMT` for `UTC`, `Asia/Calcutta`) is kept as the user's own.
 */
export function canonicalTimeZone(name: string): string | undefined {
  let resolved: string;
  try {
    resolved = formatter(name).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
}
