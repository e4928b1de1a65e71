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

/** A Date from a Date, an ISO-8601 string or epoch milliseconds; undefined for null/undefined/empty. */
export function toDate(value: unknown): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const date =
    value instanceof Date
      ? value
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
  // A calendar date is read as UTC midnight: written in UTC, it is its own day wherever the recipient is.
  const timeZone = isCalendarDate(value) ? 'UTC' : ctx.timeZone;
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

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Whole units in `amount`, at least one: 30 days are a month and 365 a year, never "this month" or "this year". */
const wholeUnits = (amount: number) => Math.sign(amount) * Math.max(1, Math.trunc(Math.abs(amount)));

/**
 * "3 days ago", "yesterday", "in 2 hours": the largest fitting unit, with days counted as calendar
 * days in the recipient's time zone (so a DST change or midnight does not skew "yesterday"). A date
 * without a time is counted in days from the recipient's today ("today", "yesterday"), never in hours.
 */
export function relativeTime(value: unknown, style: string, ctx: FormatContext): string {
  const date = toDate(value);
  if (!date) return '';
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
