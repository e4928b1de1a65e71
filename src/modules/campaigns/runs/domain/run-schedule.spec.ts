import {
  cronDueAt,
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
});
