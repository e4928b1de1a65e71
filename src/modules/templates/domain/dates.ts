import { instantOfLocal } from '../../../lib/time/zoned-time';
import { cachedFormatter, FormatContext } from './intl';
import { TemplateError } from './templates.errors';

/** Named date styles of `{{date value "style"}}`, each an `Intl.DateTimeFormat` option set. */
export const DATE_STYLES: Record<string, Intl.DateTimeFormatOptions> = {
  short: { dateStyle: 'short' },
  medium: { dateStyle: 'medium' },
  long: { dateStyle: 'long' },
  full: { dateStyle: 'full' },
  time: { timeStyle: 'short' },
  datetime: { dateStyle: 'medium', timeStyle: 'short' },
  weekday: { weekday: 'long' },
  'day-month': { day: 'numeric', month: 'long' },
  'month-year': { month: 'long', year: 'numeric' },
};

export const RELATIVE_STYLES = ['long', 'short', 'narrow'] as const;

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Whether `value` is a date without a time (`2026-03-15`, a birthday or an event's day): a calendar day,
 * the same in every time zone, not the instant of its midnight in UTC (the day before in the Americas).
 */
function isCalendarDate(value: unknown): value is string {
  return typeof value === 'string' && CALENDAR_DATE.test(value);
}

const WALL_CLOCK = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?$/;

/**
 * Whether `value` is a date and time without an offset (`2026-03-15T19:00`, an event's local time): that
 * time on the recipient's clock, not the instant it is where the server runs (JavaScript reads it so).
 */
function isWallClock(value: unknown): value is string {
  return typeof value === 'string' && WALL_CLOCK.test(value);
}

/**
 * A Date from a Date, an ISO-8601 string or epoch milliseconds; undefined for null/undefined/empty. A date
 * and time without an offset is read as that time in UTC, so no server's zone changes what it says.
 */
export function toDate(value: unknown): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const date =
    value instanceof Date
      ? value
      : isWallClock(value)
        ? new Date(`${value}Z`)
        : typeof value === 'string' || typeof value === 'number'
          ? new Date(value)
          : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new TemplateError('templates.invalid-value', `not a date: ${JSON.stringify(value)?.slice(0, 80)}`, 'date');
  }
  return date;
}

/** Formats `value` in the recipient's locale and time zone with a named style (`medium` by default). */
export function formatDate(value: unknown, style: string, ctx: FormatContext): string {
  const date = toDate(value);
  if (!date) return '';
  const options = DATE_STYLES[style];
  if (!options) throw new TemplateError('templates.invalid-value', `unknown date style "${style}"`, 'style');
  // A calendar date is read as UTC midnight, a time without an offset as that time in UTC: written in UTC,
  // each reads as written wherever the recipient is.
  const timeZone = isCalendarDate(value) || isWallClock(value) ? 'UTC' : ctx.timeZone;
  const key = `date|${ctx.locale}|${timeZone}|${style}`;
  const formatter = cachedFormatter(key, () => new Intl.DateTimeFormat(ctx.locale, { ...options, timeZone }));
  return formatter.format(date);
}

const localDays = new Map<string, number>();

/** Days since the epoch of the calendar date `date` falls on in `timeZone`. */
function localDay(date: Date, timeZone: string): number {
  const key = `${timeZone}|${date.getTime()}`;
  let day = localDays.get(key);
  if (day === undefined) {
    // en-CA writes dates as YYYY-MM-DD, which is quicker to read back than formatToParts.
    const formatter = cachedFormatter(
      `day|${timeZone}`,
      () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
    );
    const [year, month, dayOfMonth] = formatter.format(date).split('-').map(Number);
    day = Date.UTC(year, month - 1, dayOfMonth) / 86_400_000;
    // Most lookups are the render's `now`, shared by a whole batch; the bound keeps one-off dates from piling up.
    if (localDays.size >= 10_000) localDays.clear();
    localDays.set(key, day);
  }
  return day;
}

/** The instant whose time in `timeZone` is what `clock` (a time without an offset, read as UTC) shows. */
function onClockOf(clock: Date, timeZone: string): Date {
  const local = {
    year: clock.getUTCFullYear(),
    month: clock.getUTCMonth() + 1,
    day: clock.getUTCDate(),
    hour: clock.getUTCHours(),
    minute: clock.getUTCMinutes(),
  };
  const seconds = clock.getUTCSeconds() * 1000 + clock.getUTCMilliseconds();
  return new Date(instantOfLocal(local, timeZone).getTime() + seconds);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Whole units in `amount`, at least one: 30 days are a month and 365 a year, never "this month" or "this year". */
const wholeUnits = (amount: number) => Math.sign(amount) * Math.max(1, Math.trunc(Math.abs(amount)));

/**
 * "3 days ago", "yesterday", "in 2 hours": the largest fitting unit, with days counted as calendar
 * days in the recipient's time zone (so a DST change or midnight does not skew "yesterday"). A date
 * without a time is counted in days from the recipient's today ("today", "yesterday"), never in hours;
 * a time without an offset is that time on the recipient's clock.
 */
export function relativeTime(value: unknown, style: string, ctx: FormatContext): string {
  const read = toDate(value);
  if (!read) return '';
  const date = isWallClock(value) ? onClockOf(read, ctx.timeZone) : read;
  if (!(RELATIVE_STYLES as readonly string[]).includes(style)) {
    throw new TemplateError('templates.invalid-value', `unknown relative time style "${style}"`, 'style');
  }
  const formatter = cachedFormatter(
    `relative|${ctx.locale}|${style}`,
    () => new Intl.RelativeTimeFormat(ctx.locale, { numeric: 'auto', style: style as Intl.RelativeTimeFormatStyle }),
  );
  const today = localDay(ctx.now, ctx.timeZone);
  if (isCalendarDate(value)) return inDays(formatter, date.getTime() / 86_400_000 - today);
  const elapsed = date.getTime() - ctx.now.getTime();
  const days = localDay(date, ctx.timeZone) - today;
  if (Math.abs(elapsed) < MINUTE) return formatter.format(Math.trunc(elapsed / 1000), 'second');
  if (Math.abs(elapsed) < HOUR) return formatter.format(Math.trunc(elapsed / MINUTE), 'minute');
  if (days === 0 || Math.abs(elapsed) < 12 * HOUR) return formatter.format(Math.trunc(elapsed / HOUR), 'hour');
  return inDays(formatter, days);
}

/** `days` calendar days from today in the largest fitting unit: days, weeks, months or years. */
function inDays(formatter: Intl.RelativeTimeFormat, days: number): string {
  if (Math.abs(days) < 7) return formatter.format(days, 'day');
  if (Math.abs(days) < 30) return formatter.format(Math.trunc(days / 7), 'week');
  if (Math.abs(days) < 365) return formatter.format(wholeUnits(days / 30.4375), 'month');
  return formatter.format(wholeUnits(days / 365.25), 'year');
}
