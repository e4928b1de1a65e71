import { parseExpression } from 'cron-parser';
import {
  addDays,
  formatDate,
  instantOfLocal,
  instantOfLocalDate,
  LocalDateTime,
  localTimeOf,
  weekdayOf,
  zoneOrUtc,
} from '../../../../lib/time/zoned-time';
import { CampaignSchedule, DEFAULT_MAX_LATE_MINUTES, WEEKDAYS } from '../../domain/campaign-definition';

/** A schedule as a campaign or a run keeps it: one from before cron and one-off schedules had `maxLateMinutes` lacks it. */
type Stored<T> = T extends unknown ? Omit<T, 'maxLateMinutes'> & { maxLateMinutes?: number } : never;
type StoredSchedule = Stored<CampaignSchedule>;
type LocalHourSchedule = Extract<CampaignSchedule, { type: 'local-hour' }>;
type CronSchedule = Extract<StoredSchedule, { type: 'cron' }>;
type OnceSchedule = Extract<StoredSchedule, { type: 'once' }>;

const compact = (instant: Date) => instant.toISOString().replace(/[-:]|\.\d{3}/g, '');

/**
 * The id of the run a schedule firing starts: derived from the campaign and the firing alone, so every
 * scheduler replica, and a firing delivered twice, names the same run.
 */
export function scheduledRunId(campaignId: string, schedule: StoredSchedule, firedAt: Date): string {
  switch (schedule.type) {
    case 'cron':
      return `${campaignId}-${compact(firedAt)}`;
    case 'once':
      return `${campaignId}-once-${compact(new Date(schedule.at))}`;
    case 'local-hour':
      return `${campaignId}-${localRunDate(firedAt)}`;
  }
}

/**
 * The local date a local-hour firing covers: the day after the UTC date it fires on. The daily firing at
 * 00:00 UTC reaches every zone (UTC+14 to UTC-12) before that date's send hour there, and one run per
 * local date gives each user exactly one send per date, even on the 23- and 25-hour days of a clock change.
 */
export function localRunDate(firedAt: Date): string {
  return formatDate(
    addDays({ year: firedAt.getUTCFullYear(), month: firedAt.getUTCMonth() + 1, day: firedAt.getUTCDate() }, 1),
  );
}

/** Whether the schedule sends on that local date (its `days`, every day when absent). */
export function sendsOn(schedule: LocalHourSchedule, localDate: string): boolean {
  if (!schedule.days) return true;
  const [year, month, day] = localDate.split('-').map(Number);
  return schedule.days.includes(WEEKDAYS[weekdayOf({ year, month, day })]);
}

/** The wall-clock send time of a local-hour schedule on `localDate`, the same in every zone. */
export function localSendOf(schedule: LocalHourSchedule, localDate: string): LocalDateTime {
  return { date: localDate, hour: schedule.hour, minute: schedule.minute ?? 0 };
}

/**
 * When a user in `timeZone` gets the local-hour send of `localDate`: the wall-clock hour there, resolved
 * through clock changes (a skipped time moves forward, a repeated one is taken the first time). An
 * unknown zone falls back to UTC.
 */
export function localSendInstant(schedule: LocalHourSchedule, localDate: string, timeZone: string | undefined): Date {
  return instantOfLocalDate(localSendOf(schedule, localDate), zoneOrUtc(timeZone));
}

/**
 * The latest a local-hour message due at `dueAt` may go out, or a cron or one-off firing due then may start its
 * run: the schedule's `maxLateMinutes` after (the default when absent).
 */
export function latestSend(schedule: { maxLateMinutes?: number }, dueAt: Date): Date {
  return new Date(dueAt.getTime() + (schedule.maxLateMinutes ?? DEFAULT_MAX_LATE_MINUTES) * 60_000);
}

/** A one-off firing whose instant passed less than this long ago still starts its run (a scheduler that was down). */
export const ONCE_GRACE_MS = 60_000;

/** Whether a one-off schedule's instant is too long past for the scheduler to fire: it would start nothing. */
export function oncePassed(schedule: OnceSchedule, now: Date): boolean {
  return Date.parse(schedule.at) <= now.getTime() - ONCE_GRACE_MS;
}

/** The cron pattern and zone a schedule is registered with; local-hour runs are started daily at 00:00 UTC. */
export function repeatOf(schedule: StoredSchedule): { cron: string; tz: string } | undefined {
  if (schedule.type === 'cron') return { cron: schedule.cron, tz: schedule.timeZone };
  if (schedule.type === 'local-hour') return { cron: '0 0 * * *', tz: 'UTC' };
  return undefined;
}

/**
 * Whether a cron schedule is due at `firedAt`: the instant the pattern's latest wall-clock time at or before
 * it resolves to in the zone (a skipped time as late as the jump makes it, a repeated one the first time).
 * The cron library behind Bull also fires where a clock change of other than a whole hour on the hour leaves
 * it (the second 01:30 of Lord Howe's half-hour fall back, 04:45 on the night Chatham jumps from 02:45 to
 * 03:45): those firings are not due. A pattern for every hour fires in both passes of a repeated hour.
 */
export function cronDueAt(schedule: CronSchedule, firedAt: Date): boolean {
  const wall = localTimeOf(firedAt, schedule.timeZone);
  // The pattern read on the zone's wall clock (as if it were UTC): its latest time at or before the firing's.
  const currentDate = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute + 1));
  const last = parseExpression(schedule.cron, { currentDate, tz: 'UTC' }).prev().toDate();
  const local = {
    year: last.getUTCFullYear(),
    month: last.getUTCMonth() + 1,
    day: last.getUTCDate(),
    hour: last.getUTCHours(),
    minute: last.getUTCMinutes(),
  };
  const minute = Math.floor(firedAt.getTime() / 60_000);
  if (Math.floor(instantOfLocal(local, schedule.timeZone).getTime() / 60_000) === minute) return true;
  const onTime = last.getTime() === Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  return onTime && schedule.cron.trim().split(/\s+/)[1]?.startsWith('*') === true;
}

/**
 * The firing of a cron schedule after `firedAt` that its repeatable job will not make, or undefined. The cron
 * library behind Bull skips a day whose due wall-clock time a clock change skips when the gap is not a plain
 * hour before midnight (00:00 on the night Santiago or Cairo spring forward, 02:15 on Lord Howe's half-hour
 * jump); the due time is then the wall-clock time as late as the jump makes it, as for local-hour sends.
 */
export function skippedCronFiring(schedule: CronSchedule, firedAt: Date): Date | undefined {
  const wall = localTimeOf(firedAt, schedule.timeZone);
  // The pattern read on the zone's wall clock (as if it were UTC), then that wall time placed in the zone.
  const currentDate = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute));
  const next = parseExpression(schedule.cron, { currentDate, tz: 'UTC' }).next().toDate();
  const due = instantOfLocal(
    {
      year: next.getUTCFullYear(),
      month: next.getUTCMonth() + 1,
      day: next.getUTCDate(),
      hour: next.getUTCHours(),
      minute: next.getUTCMinutes(),
    },
    schedule.timeZone,
  );
  const repeated = parseExpression(schedule.cron, { currentDate: firedAt, tz: schedule.timeZone }).next().toDate();
  return due.getTime() > firedAt.getTime() && due.getTime() < repeated.getTime() ? due : undefined;
}

/** What a cron or one-off firing handled at some time stands for: the due time of its run, and how late it is. */
export interface FiringDue {
  dueAt: Date;
  /** Whole minutes between the due time and the handling (0 when handled on time, or before it). */
  lateMinutes: number;
  /** Whether it is handled later than the schedule's `maxLateMinutes` after the due time: it starts no run. */
  tooLate: boolean;
}

/**
 * The due time a cron or one-off firing handled at `now` starts its run for, and whether that is too late. A
 * one-off is due at its instant. A cron firing handled after a later due time of its pattern has passed (workers
 * down over several firings, which Bull then delivers together or not at all) stands for the latest one, so
 * the firings of an outage start one run, the latest, or none when even that one is too late.
 */
export function firingDue(schedule: CronSchedule | OnceSchedule, firedAt: Date, now: Date): FiringDue {
  const dueAt = schedule.type === 'once' ? new Date(schedule.at) : latestCronDue(schedule, firedAt, now);
  const late = Math.max(0, now.getTime() - dueAt.getTime());
  return {
    dueAt,
    lateMinutes: Math.floor(late / 60_000),
    tooLate: now.getTime() > latestSend(schedule, dueAt).getTime(),
  };
}

/** The pattern's latest due time at or before `now` when it is after `firedAt`; else `firedAt` itself. */
function latestCronDue(schedule: CronSchedule, firedAt: Date, now: Date): Date {
  if (now.getTime() - firedAt.getTime() < 60_000) return firedAt;
  let latest: Date;
  try {
    latest = parseExpression(schedule.cron, { currentDate: now, tz: schedule.timeZone }).prev().toDate();
  } catch {
    return firedAt;
  }
  return latest.getTime() > firedAt.getTime() && cronDueAt(schedule, latest) ? latest : firedAt;
}
