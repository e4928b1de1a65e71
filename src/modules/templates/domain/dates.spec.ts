import { DATE_STYLES, formatDate, relativeTime, toDate } from './dates';
import { TemplateError } from './templates.errors';

const ctx = (locale: string, timeZone: string, now = '2026-03-10T12:00:00Z') => ({
  locale,
  timeZone,
  now: new Date(now),
});
// ICU separates times with narrow no-break spaces; compare with plain ones.
const plain = (text: string) => text.replace(/\s/g, ' ');

describe('formatDate', () => {
  const instant = '2026-03-08T06:30:00Z';

  it.each([
    ['medium', 'en-US', 'America/New_York', 'Mar 8, 2026'],
    ['long', 'fr-FR', 'Europe/Paris', '8 mars 2026'],
    ['full', 'en-US', 'America/New_York', 'Sunday, March 8, 2026'],
    ['time', 'en-US', 'America/New_York', '1:30 AM'],
    ['time', 'fr-FR', 'Asia/Tokyo', '15:30'],
    ['datetime', 'en-GB', 'Europe/London', '8 Mar 2026, 06:30'],
    ['weekday', 'de-DE', 'Europe/Berlin', 'Sonntag'],
    ['day-month', 'en-US', 'UTC', 'March 8'],
    ['month-year', 'fr-FR', 'UTC', 'mars 2026'],
  ])('%s in %s, %s', (style, locale, timeZone, expected) => {
    expect(plain(formatDate(instant, style, ctx(locale, timeZone)))).toBe(expected);
  });

  it('puts one instant on different days in two time zones', () => {
    const lateEvening = '2026-01-10T23:30:00Z';
    expect(formatDate(lateEvening, 'weekday', ctx('en', 'America/Los_Angeles'))).toBe('Saturday');
    expect(formatDate(lateEvening, 'weekday', ctx('en', 'Asia/Tokyo'))).toBe('Sunday');
  });

  it('follows a daylight saving change: one hour apart in UTC, two on the wall clock', () => {
    // New York springs forward at 2:00 on 2026-03-08: 1:30 EST is followed an hour later by 3:30 EDT.
    const before = formatDate('2026-03-08T06:30:00Z', 'time', ctx('en-US', 'America/New_York'));
    const after = formatDate('2026-03-08T07:30:00Z', 'time', ctx('en-US', 'America/New_York'));
    expect([plain(before), plain(after)]).toEqual(['1:30 AM', '3:30 AM']);
  });

  it('prints a date without a time as that calendar day in every time zone', () => {
    for (const timeZone of ['America/Los_Angeles', 'UTC', 'Pacific/Kiritimati']) {
      expect(formatDate('2026-01-07', 'long', ctx('en-US', timeZone))).toBe('January 7, 2026');
      expect(formatDate('2026-01-07', 'weekday', ctx('pt-BR', timeZone))).toBe('quarta-feira');
    }
  });

  it('accepts dates, ISO strings and epoch milliseconds, prints nothing for a missing value', () => {
    const date = new Date('2026-03-08T12:00:00Z');
    for (const value of [date, date.toISOString(), date.getTime()]) {
      expect(formatDate(value, 'medium', ctx('en-US', 'UTC'))).toBe('Mar 8, 2026');
    }
    expect(formatDate(undefined, 'medium', ctx('en', 'UTC'))).toBe('');
    expect(formatDate(null, 'medium', ctx('en', 'UTC'))).toBe('');
  });

  it('reads a date and time without an offset as that time where the recipient is, whatever the server zone', () => {
    const serverZone = process.env.TZ;
    for (const zone of ['UTC', 'Pacific/Kiritimati', 'America/Los_Angeles']) {
      process.env.TZ = zone;
      try {
        expect(plain(formatDate('2026-03-15T19:00:00', 'datetime', ctx('en', 'Europe/Paris')))).toBe(
          'Mar 15, 2026, 7:00 PM',
        );
        expect(plain(formatDate('2026-03-15T19:00', 'time', ctx('en', 'Asia/Tokyo')))).toBe('7:00 PM');
        // 11:00 in Tokyo on March 10; 14:00 there is in 3 hours, 09:00 in New York, where it is 22:00 the day before, in 11.
        const now = '2026-03-10T02:00:00Z';
        expect(relativeTime('2026-03-10T14:00:00', 'long', ctx('en', 'Asia/Tokyo', now))).toBe('in 3 hours');
        expect(relativeTime('2026-03-10T09:00:00.000', 'long', ctx('en', 'America/New_York', now))).toBe('in 11 hours');
      } finally {
        if (serverZone === undefined) delete process.env.TZ;
        else process.env.TZ = serverZone;
      }
    }
  });

  it('refuses an invalid date or an unknown style', () => {
    expect(() => toDate('next tuesday')).toThrow(TemplateError);
    expect(() => formatDate(Date.now(), 'huge', ctx('en', 'UTC'))).toThrow(/unknown date style "huge"/);
    expect(Object.keys(DATE_STYLES)).toContain('datetime');
  });
});

describe('relativeTime', () => {
  it.each([
    ['2026-03-10T11:59:30Z', 'en', 'UTC', '30 seconds ago'],
    ['2026-03-10T11:15:00Z', 'en', 'UTC', '45 minutes ago'],
    ['2026-03-10T07:00:00Z', 'en', 'UTC', '5 hours ago'],
    ['2026-03-09T10:00:00Z', 'en', 'UTC', 'yesterday'],
    ['2026-03-07T10:00:00Z', 'en', 'UTC', '3 days ago'],
    ['2026-03-07T10:00:00Z', 'fr', 'Europe/Paris', 'il y a 3 jours'],
    ['2026-02-24T10:00:00Z', 'en', 'UTC', '2 weeks ago'],
    ['2025-12-01T10:00:00Z', 'en', 'UTC', '3 months ago'],
    ['2024-01-01T10:00:00Z', 'en', 'UTC', '2 years ago'],
    ['2026-03-13T12:00:00Z', 'en', 'UTC', 'in 3 days'],
  ])('%s in %s (%s)', (value, locale, timeZone, expected) => {
    expect(relativeTime(value, 'long', ctx(locale, timeZone))).toBe(expected);
  });

  it('counts calendar days in the recipient time zone, across a DST change', () => {
    // Noon on March 7 to noon on March 9 in New York is 47 hours (clocks sprang forward) but two days.
    const now = '2026-03-09T16:00:00Z';
    expect(relativeTime('2026-03-07T17:00:00Z', 'long', ctx('en', 'America/New_York', now))).toBe('2 days ago');
    // 13 hours before 11:00 in Tokyo is yesterday there, but the same day (19:00) in Los Angeles.
    const morning = '2026-03-10T02:00:00Z';
    expect(relativeTime('2026-03-09T13:00:00Z', 'long', ctx('en', 'Asia/Tokyo', morning))).toBe('yesterday');
    expect(relativeTime('2026-03-09T13:00:00Z', 'long', ctx('en', 'America/Los_Angeles', morning))).toBe(
      '13 hours ago',
    );
  });

  it('counts a date without a time in calendar days from today where the recipient is', () => {
    // 08:00 on March 10 in New York, 21:00 in Tokyo.
    expect(relativeTime('2026-03-09', 'long', ctx('en', 'America/New_York'))).toBe('yesterday');
    expect(relativeTime('2026-03-10', 'long', ctx('en', 'America/New_York'))).toBe('today');
    expect(relativeTime('2026-03-11', 'long', ctx('ar', 'Asia/Tokyo'))).toBe('غدًا');
    expect(relativeTime('2026-03-03', 'long', ctx('en', 'Asia/Tokyo'))).toBe('last week');
  });

  it('never names the current month or year for a date a month or a year away', () => {
    const now = '2026-03-31T12:00:00Z';
    expect(relativeTime('2026-03-01T12:00:00Z', 'long', ctx('en', 'UTC', now))).toBe('last month');
    expect(relativeTime('2026-04-30T12:00:00Z', 'long', ctx('pt-BR', 'UTC', now))).toBe('próximo mês');
    expect(relativeTime('2025-03-31T12:00:00Z', 'long', ctx('en', 'UTC', now))).toBe('last year');
    expect(relativeTime('2025-03-31T12:00:00Z', 'long', ctx('fr', 'UTC', now))).toBe('l’année dernière');
  });

  it('supports the short and narrow styles', () => {
    expect(relativeTime('2026-03-07T10:00:00Z', 'short', ctx('en', 'UTC'))).toBe('3 days ago');
    expect(() => relativeTime('2026-03-07T10:00:00Z', 'tiny', ctx('en', 'UTC'))).toThrow(TemplateError);
  });
});
