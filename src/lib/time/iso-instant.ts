const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DAY_MS = 86_400_000;
const ZERO = 0x30;

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/** Days from 1970-01-01 to a proleptic Gregorian date, for any year (`Date.UTC` maps years 0-99 to 19xx). */
function daysFromEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The number spelt by `count` ASCII digits at `at`, or -1 if any of them is not a digit. */
function digits(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (!(d >= 0 && d <= 9)) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * The earliest instant the product works with. Activity dated before it is a client's bug and is refused
 * (`EVENT_LIMITS.earliestOccurredAt`), so a clock or an as-of instant given before it is refused too.
 */
export const EARLIEST_INSTANT = '2000-01-01T00:00:00Z';
const EARLIEST_MS = Date.parse(EARLIEST_INSTANT);

/** Whether an instant is one the product works with: at or after {@link EARLIEST_INSTANT}. */
export function isWithinProductTime(at: Date): boolean {
  return at.getTime() >= EARLIEST_MS;
}

/** What parseIsoInstant accepts, as messages name it (the HTTP API's fields and the CLI's options). */
export const ISO_INSTANT_WITH_ZONE = 'an ISO-8601 instant with a time zone, such as 2026-03-01T12:00:00Z';

/**
 * Parses an ISO-8601 instant with a time zone (`2026-03-01T12:00:00Z`, `...+05:30`, `...+0530`, `...+05`), or
 * undefined: seconds and a fraction of them (1 to 9 digits, read to the millisecond) may be left out; `T` and `Z` are
 * upper case, as ISO 8601 writes them.
 * Unlike `new Date()`, impossible fields are refused instead of rolled over: February 30th, hour 24,
 * minute or second 60, year 0000, offsets beyond 23:59. Reads the characters in place: event times are
 * parsed once per event, and a regular expression's match and its parts were most of what that allocated.
 */
export function parseIsoInstant(text: string): Date | undefined {
  // YYYY-MM-DDTHH:MM, then optionally :SS and a fraction of 1 to 9 digits, then Z or an offset.
  if (text.length < 17) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const separated = text[4] === '-' && text[7] === '-' && text[10] === 'T' && text[13] === ':';
  if (!separated || year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0) return undefined;
  let at = 16;
  let second = 0;
  let millis = 0;
  if (text[at] === ':') {
    second = digits(text, at + 1, 2);
    if (second < 0) return undefined;
    at += 3;
    if (text[at] === '.') {
      const start = ++at;
      while (at < text.length && at - start < 9 && digits(text, at, 1) >= 0) at++;
      if (at === start) return undefined;
      // The first three digits, as the floor of the fraction in milliseconds.
      for (let i = start; i < start + 3; i++) millis = millis * 10 + (i < at ? text.charCodeAt(i) - ZERO : 0);
    }
  }
  let offsetMinutes = 0;
  if (text[at] === 'Z') at++;
  else if (text[at] === '+' || text[at] === '-') {
    const sign = text[at] === '-' ? -1 : 1;
    const hours = digits(text, at + 1, 2);
    at += 3;
    // ISO 8601's offset of whole hours (`+05`) ends the text; otherwise minutes follow, with or without a colon.
    let minutes = 0;
    if (at < text.length) {
      if (text[at] === ':') at++;
      minutes = digits(text, at, 2);
      at += 2;
    }
    if (hours < 0 || minutes < 0 || hours > 23 || minutes > 59) return undefined;
    offsetMinutes = sign * (hours * 60 + minutes);
  } else return undefined;
  const valid =
    at === text.length &&
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59;
  if (!valid) return undefined;
  const local = daysFromEpoch(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return new Date(local - offsetMinutes * 60_000);
}
