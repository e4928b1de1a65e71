import {
  cronDueAt,
  firingDue,
  localRunDate,
  localSendInstant,
  repeatOf,
  scheduledRunId,
  sendsOn,
  skippedCronFiring,
} from './run-schedule';

const evening = {
  type: 'local-hour' as const,
  hour: 18,
  minute: 0,
  days: ['tue' as const, 'thu' as const],
  maxLateMinutes: 120,
};

describe('run schedules', () => {
  it('names runs after the campaign and the firing, so replicas agree', () => {
    const cron = { type: 'cron' as const, cron: '0 9 * * 1', timeZone: 'Europe/Paris' };
    expect(scheduledRunId('digest', cron, new Date('2026-03-02T08:00:00Z'))).toBe('digest-20260302T080000Z');
    expect(scheduledRunId('nudge', evening, new Date('2026-03-02T00:00:00Z'))).toBe('nudge-2026-03-03');
    const once = { type: 'once' as const, at: '2026-04-01T10:00:00+02:00' };
    expect(scheduledRunId('launch', once, new Date())).toBe('launch-once-20260401T080000Z');
  });

  it('covers the next UTC day with each daily firing, across months and years', () => {
    expect(localRunDate(new Date('2026-03-02T00:00:00Z'))).toBe('2026-03-03');
    expect(localRunDate(new Date('2026-02-28T00:00:05Z'))).toBe('2026-03-01');
    expect(localRunDate(new Date('2026-12-31T00:00:00Z'))).toBe('2027-01-01');
  });

  it('sends only on the listed week days of the local date', () => {
    expect(sendsOn(evening, '2026-03-03')).toBe(true); // Tuesday
    expect(sendsOn(evening, '2026-03-04')).toBe(false);
    expect(sendsOn({ ...evening, days: undefined }, '2026-03-04')).toBe(true);
  });

  it.each([
    ['2026-03-03', 'Europe/Paris', '2026-03-03T17:00:00.000Z'],
    ['2026-03-31', 'Europe/Paris', '2026-03-31T16:00:00.000Z'],
    ['2026-03-03', 'America/New_York', '2026-03-03T23:00:00.000Z'],
    ['2026-03-10', 'America/New_York', '2026-03-10T22:00:00.000Z'],
    ['2026-03-03', 'Pacific/Kiritimati', '2026-03-03T04:00:00.000Z'],
    ['2026-03-03', 'Asia/Kolkata', '2026-03-03T12:30:00.000Z'],
    ['2026-03-03', 'Asia/Kathmandu', '2026-03-03T12:15:00.000Z'],
    ['2026-03-03', 'Australia/Lord_Howe', '2026-03-03T07:00:00.000Z'],
    ['2026-03-03', 'Not/AZone', '2026-03-03T18:00:00.000Z'],
    ['2026-03-03', undefined, '2026-03-03T18:00:00.000Z'],
  ])('sends %s in %s at %s', (date, zone, iso) => {
    expect(localSendInstant(evening, date, zone).toISOString()).toBe(iso);
  });

  it('gives every zone its send after the firing that covers the date', () => {
    const firedAt = new Date('2026-03-02T00:00:00Z');
    for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Kolkata', 'UTC']) {
      const early = localSendInstant({ ...evening, hour: 0 }, localRunDate(firedAt), zone);
      expect(early.getTime()).toBeGreaterThan(firedAt.getTime());
    }
  });

  it('registers cron schedules in their zone and local-hour ones daily at midnight UTC', () => {
    expect(repeatOf({ type: 'cron', cron: '0 9 * * 1', timeZone: 'Europe/Paris' })).toEqual({
      cron: '0 9 * * 1',
      tz: 'Europe/Paris',
    });
    expect(repeatOf(evening)).toEqual({ cron: '0 0 * * *', tz: 'UTC' });
    expect(repeatOf({ type: 'once', at: '2026-04-01T10:00:00Z' })).toBeUndefined();
  });

  it.each([
    // Chile springs forward at 24:00 on Saturday 2030-09-07: Sunday's 00:00 is 01:00 -03.
    ['America/Santiago', '0 0 * * *', '2030-09-07T04:00:00Z', '2030-09-08T04:00:00.000Z'],
    // Lord Howe jumps from 02:00 to 02:30 on 2030-10-06: 02:15 is 02:45 +11.
    ['Australia/Lord_Howe', '15 2 * * *', '2030-10-04T15:45:00Z', '2030-10-05T15:45:00.000Z'],
  ])('names the firing the repeatable job skips on a clock change (%s, %s)', (timeZone, cron, firedAt, due) => {
    expect(skippedCronFiring({ type: 'cron', cron, timeZone }, new Date(firedAt))?.toISOString()).toBe(due);
  });

  it.each([
    ['Europe/Paris', '30 2 * * *', '2030-03-30T01:30:00Z'],
    ['Europe/Paris', '30 2 * * *', '2030-10-26T00:30:00Z'],
    ['Europe/Paris', '0 * * * *', '2030-10-27T00:00:00Z'],
    ['Europe/Paris', '0 * * * *', '2030-10-27T01:00:00Z'],
    ['America/New_York', '0 9 * * 1', '2030-03-04T14:00:00Z'],
    ['America/Santiago', '0 0 * * *', '2030-09-08T04:00:00Z'],
  ])('adds nothing where the repeatable job fires when due (%s, %s, after %s)', (timeZone, cron, firedAt) => {
    expect(skippedCronFiring({ type: 'cron', cron, timeZone }, new Date(firedAt))).toBeUndefined();
  });

  it.each([
    ['Europe/Paris', '30 2 * * *', '2030-03-31T01:30:00Z', true], // 02:30 skipped: 03:30 CEST
    ['Europe/Paris', '30 2 * * *', '2030-10-27T00:30:00Z', true], // 02:30 CEST, the first
    ['Europe/Paris', '30 2 * * *', '2030-10-27T01:30:00Z', false], // 02:30 CET, the second
    ['Europe/Paris', '0 * * * *', '2030-10-27T01:00:00Z', true], // every hour: both 02:00
    ['Antarctica/Troll', '30 1 * * *', '2030-10-27T01:30:00Z', false], // +02 to +00: 01:30 again
    ['Australia/Lord_Howe', '30 1 * * *', '2030-04-06T15:00:00Z', false],
    ['Pacific/Chatham', '45 3 * * *', '2030-09-28T15:00:00Z', false], // 04:45, not 03:45
    ['America/New_York', '0 9 * * 1', '2030-03-04T14:00:00Z', true],
  ])('is due in %s on %s at %s: %s', (timeZone, cron, firedAt, due) => {
    expect(cronDueAt({ type: 'cron', cron, timeZone }, new Date(firedAt))).toBe(due);
  });

  it.each([
    // New York springs from 02:00 to 03:00 on 2030-03-10: 02:30 is 03:30 EDT, 01:30 and 03:30 are themselves.
    ['America/New_York', '2030-03-10 02:30', '2030-03-10T07:30:00.000Z'],
    ['America/New_York', '2030-03-10 01:30', '2030-03-10T06:30:00.000Z'],
    ['America/New_York', '2030-03-10 03:30', '2030-03-10T07:30:00.000Z'],
    // It falls back from 02:00 to 01:00 on 2030-11-03: 01:30 is taken the first time, in EDT.
    ['America/New_York', '2030-11-03 01:30', '2030-11-03T05:30:00.000Z'],
    ['America/New_York', '2030-11-03 02:30', '2030-11-03T07:30:00.000Z'],
    // Lord Howe falls back half an hour (02:00 to 01:30) on 2030-04-07: 01:45 the first time, at +11.
    ['Australia/Lord_Howe', '2030-04-07 01:45', '2030-04-06T14:45:00.000Z'],
  ])('sends in %s at %s local through the clock change: %s', (zone, local, iso) => {
    const [date, time] = local.split(' ');
    const [hour, minute] = time.split(':').map(Number);
    expect(localSendInstant({ ...evening, hour, minute, days: undefined }, date, zone).toISOString()).toBe(iso);
  });
  describe('a firing handled late', () => {
    const at = '2031-06-01T09:00:00Z';
    const flash = { type: 'once' as const, at, maxLateMinutes: 30 };
    const minutesAfter = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000);

    it('starts a one-off up to its maxLateMinutes after its instant, and nothing later', () => {
      expect(firingDue(flash, new Date(at), minutesAfter(at, 30))).toEqual({
        dueAt: new Date(at),
        lateMinutes: 30,
        tooLate: false,
      });
      expect(firingDue(flash, new Date(at), minutesAfter(at, 360))).toEqual({
        dueAt: new Date(at),
        lateMinutes: 360,
        tooLate: true,
      });
      // A definition stored before the limit existed has the default, 120 minutes.
      expect(firingDue({ type: 'once', at }, new Date(at), minutesAfter(at, 121)).tooLate).toBe(true);
      expect(firingDue({ type: 'once', at }, new Date(at), minutesAfter(at, 120)).tooLate).toBe(false);
    });

    it('is not late when handled on time, or before its instant', () => {
      expect(firingDue(flash, new Date(at), new Date(at))).toMatchObject({ lateMinutes: 0, tooLate: false });
      expect(firingDue(flash, new Date(at), minutesAfter(at, -5))).toMatchObject({ lateMinutes: 0, tooLate: false });
    });

    const hourly = { type: 'cron' as const, cron: '0 * * * *', timeZone: 'Europe/Paris', maxLateMinutes: 150 };

    it('stands a missed cron firing for the latest due time before it is handled, so missed firings start one run', () => {
      const handled = new Date('2030-06-03T12:20:00Z');
      for (const fired of ['2030-06-03T09:00:00Z', '2030-06-03T10:00:00Z', '2030-06-03T12:00:00Z']) {
        expect(firingDue(hourly, new Date(fired), handled)).toEqual({
          dueAt: new Date('2030-06-03T12:00:00Z'),
          lateMinutes: 20,
          tooLate: false,
        });
      }
    });

    it('starts nothing for a cron firing whose latest due time is further past than maxLateMinutes', () => {
      const weekly = { type: 'cron' as const, cron: '0 9 * * 1', timeZone: 'Europe/Paris', maxLateMinutes: 60 };
      // Monday 09:00 in Paris is 07:00Z; handled at 13:00Z, six hours late.
      expect(firingDue(weekly, new Date('2030-06-03T07:00:00Z'), new Date('2030-06-03T13:00:00Z'))).toEqual({
        dueAt: new Date('2030-06-03T07:00:00Z'),
        lateMinutes: 360,
        tooLate: true,
      });
      // The default, 120 minutes, for a definition stored without it.
      const { maxLateMinutes: _, ...stored } = weekly;
      expect(firingDue(stored, new Date('2030-06-03T07:00:00Z'), new Date('2030-06-03T09:01:00Z')).tooLate).toBe(true);
    });

    it('keeps a firing of its own ahead of the pattern (a clock change) and one handled before it is due', () => {
      const future = new Date('2030-06-03T12:00:00Z');
      expect(firingDue(hourly, future, new Date('2030-06-03T11:59:00Z')).dueAt).toEqual(future);
      // Paris falls back on 2030-10-27: an hourly pattern is due in both passes of 02:00.
      const second = new Date('2030-10-27T01:00:00Z');
      expect(firingDue(hourly, second, new Date('2030-10-27T01:10:00Z')).dueAt).toEqual(second);
    });
  });
});
