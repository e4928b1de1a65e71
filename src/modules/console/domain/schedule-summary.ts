import { parseExpression } from 'cron-parser';
import { DEFAULT_MAX_LATE_MINUTES } from '../../campaigns/domain/campaign-definition';

/** A campaign schedule as the definition states it. */
export type ScheduleLike =
  | { type: 'cron'; cron: string; timeZone: string; maxLateMinutes?: number }
  | { type: 'local-hour'; hour: number; minute?: number; days?: readonly string[]; maxLateMinutes?: number }
  | { type: 'once'; at: string; maxLateMinutes?: number };

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * One line describing when a campaign fires, and how late it may be: for a local hour, a message after it; for a
 * cron or one-off schedule, the start of a firing's run after its due time.
 */
export function describeSchedule(schedule: ScheduleLike): string {
  const late = `at most ${schedule.maxLateMinutes ?? DEFAULT_MAX_LATE_MINUTES} minutes late`;
  switch (schedule.type) {
    case 'cron':
      return `cron ${schedule.cron} (${schedule.timeZone}), ${late}`;
    case 'local-hour': {
      const days = schedule.days?.length ? ` on ${schedule.days.join(', ')}` : ' every day';
      return `${pad(schedule.hour)}:${pad(schedule.minute ?? 0)} in each user's time zone${days}, ${late}`;
    }
    case 'once':
      return `once at ${schedule.at}, ${late}`;
  }
}

/**
 * When an active campaign fires next, as text: the next cron instant, the local hour (which falls at a
 * different instant for each time zone), the one-off instant, or why it will not fire.
 */
export function describeNextRun(schedule: ScheduleLike, state: string, now: Date): string {
  if (state !== 'active') return `not scheduled (${state})`;
  switch (schedule.type) {
    case 'cron':
      try {
        return parseExpression(schedule.cron, { currentDate: now, tz: schedule.timeZone })
          .next()
          .toDate()
          .toISOString()
          .replace('.000Z', 'Z');
      } catch {
        return 'invalid cron pattern';
      }
    case 'local-hour':
      return `next ${pad(schedule.hour)}:${pad(schedule.minute ?? 0)} local time of each user`;
    case 'once':
      return new Date(schedule.at).getTime() > now.getTime() ? new Date(schedule.at).toISOString() : 'already passed';
  }
}
