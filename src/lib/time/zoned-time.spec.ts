import {
  addDays,
  canonicalTimeZone,
  formatDate,
  instantOfLocal,
  localTimeOf,
  offsetMinutesAt,
  weekdayOf,
} from './zoned-time';

const at = (iso: string) => new Date(iso);
const local = (year: number, month: number, day: number, hour: number, minute = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
});

describe('zoned time', () => {
  it('spells a time zone as the platform does, or says it names none', () => {
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone('AMERICA/NEW_YORK')).toBe('America/New_York');
    expect(canonicalTimeZone('Asia/Tokyo')).toBe('Asia/Tokyo');
    expect(canonicalTimeZone('Etc/GMT')).toBe('Etc/GMT');
    expect(canonicalTimeZone('Asia/Calcutta')).toBe('Asia/Calcutta');
    expect(canonicalTimeZone('Mars/Olympus')).toBeUndefined();
  });

  it.each([
    ['2026-01-15T12:00:00Z', 'Europe/Paris', 60],
    ['2026-07-15T12:00:00Z', 'Europe/Paris', 120],
    ['2026-01-15T12:00:00Z', 'America/New_York', -300],
    ['2026-07-15T12:00:00Z', 'America/New_York', -240],
    ['2026-07-15T12:00:00Z', 'Australia/Sydney', 600],
    ['2026-01-15T12:00:00Z', 'Australia/Sydney', 660],
    ['2026-01-15T12:00:00Z', 'Asia/Kolkata', 330],
    ['2026-01-15T12:00:00Z', 'UTC', 0],
  ])('offset at %s in %s is %i minutes', (instant, zone, minutes) => {
    expect(offsetMinutesAt(at(instant), zone)).toBe(minutes);
  });

  it.each([
    // Ordinary days on both sides of each change.
    [local(2026, 3, 28, 18), 'Europe/Paris', '2026-03-28T17:00:00.000Z'],
    [local(2026, 3, 29, 18), 'Europe/Paris', '2026-03-29T16:00:00.000Z'],
    [local(2026, 10, 25, 18), 'Europe/Paris', '2026-10-25T17:00:00.000Z'],
    [local(2026, 3, 8, 18), 'America/New_York', '2026-03-08T22:00:00.000Z'],
    [local(2026, 11, 1, 18), 'America/New_York', '2026-11-01T23:00:00.000Z'],
    // Skipped by the spring-forward jump: as late as the jump makes it.
    [local(2026, 3, 29, 2, 30), 'Europe/Paris', '2026-03-29T01:30:00.000Z'],
    [local(2026, 3, 8, 2, 30), 'America/New_York', '2026-03-08T07:30:00.000Z'],
    // Twice on the fall-back night: the first one.
    [local(2026, 10, 25, 2, 30), 'Europe/Paris', '2026-10-25T00:30:00.000Z'],
    [local(2026, 11, 1, 1, 30), 'America/New_York', '2026-11-01T05:30:00.000Z'],
  ])('%o in %s happens at %s', (wall, zone, iso) => {
    expect(instantOfLocal(wall, zone).toISOString()).toBe(iso);
  });

  it('reads back every hour of both change days in both zones', () => {
    for (const [zone, days] of [
      ['Europe/Paris', [local(2026, 3, 29, 0), local(2026, 10, 25, 0)]],
      ['America/New_York', [local(2026, 3, 8, 0), local(2026, 11, 1, 0)]],
    ] as const) {
      for (const day of days) {
        for (let hour = 0; hour < 24; hour++) {
          const instant = instantOfLocal({ ...day, hour }, zone);
          const back = localTimeOf(instant, zone);
          // Only the skipped hour reads back one hour later.
          expect(back.hour === hour || back.hour === hour + 1).toBe(true);
          expect(back.day).toBe(day.day);
        }
      }
    }
  });

  it('does calendar arithmetic on dates', () => {
    expect(addDays({ year: 2026, month: 2, day: 28 }, 1)).toEqual({ year: 2026, month: 3, day: 1 });
    expect(addDays({ year: 2026, month: 1, day: 1 }, -1)).toEqual({ year: 2025, month: 12, day: 31 });
    expect(weekdayOf({ year: 2026, month: 3, day: 2 })).toBe(0); // a Monday
    expect(weekdayOf({ year: 2026, month: 3, day: 8 })).toBe(6);
    expect(formatDate({ year: 2026, month: 3, day: 2 })).toBe('2026-03-02');
  });
});
