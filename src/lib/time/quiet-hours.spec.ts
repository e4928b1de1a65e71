import { quietVerdict } from './quiet-hours';

const night = { start: '21:00', end: '08:00' };
const ends = (iso: string, zone: string, hours = night) => {
  const verdict = quietVerdict(new Date(iso), zone, hours);
  return verdict.quiet ? verdict.endsAt.toISOString() : 'open';
};

describe(quietVerdict.name, () => {
  it.each([
    // Paris, winter (UTC+1): 22:00 local is quiet until 08:00 local the next morning.
    ['2026-01-14T21:00:00Z', 'Europe/Paris', '2026-01-15T07:00:00.000Z'],
    ['2026-01-15T06:59:00Z', 'Europe/Paris', '2026-01-15T07:00:00.000Z'],
    ['2026-01-15T07:00:00Z', 'Europe/Paris', 'open'],
    ['2026-01-15T19:59:00Z', 'Europe/Paris', 'open'],
    ['2026-01-15T20:00:00Z', 'Europe/Paris', '2026-01-16T07:00:00.000Z'],
    // The night clocks spring forward: the window ends at 08:00 summer time, an hour earlier in UTC.
    ['2026-03-28T21:30:00Z', 'Europe/Paris', '2026-03-29T06:00:00.000Z'],
    ['2026-03-29T01:30:00Z', 'Europe/Paris', '2026-03-29T06:00:00.000Z'],
    // The night clocks fall back: 08:00 winter time, an hour later in UTC.
    ['2026-10-24T20:00:00Z', 'Europe/Paris', '2026-10-25T07:00:00.000Z'],
    ['2026-10-25T01:30:00Z', 'Europe/Paris', '2026-10-25T07:00:00.000Z'],
    // New York changes on other dates: both changes, and a date when Paris has changed but New York has not.
    ['2026-03-08T03:00:00Z', 'America/New_York', '2026-03-08T12:00:00.000Z'],
    ['2026-03-07T03:00:00Z', 'America/New_York', '2026-03-07T13:00:00.000Z'],
    ['2026-11-01T04:30:00Z', 'America/New_York', '2026-11-01T13:00:00.000Z'],
    ['2026-10-25T02:00:00Z', 'America/New_York', '2026-10-25T12:00:00.000Z'],
    ['2026-07-01T16:00:00Z', 'America/New_York', 'open'],
  ])('at %s in %s: quiet until %s', (instant, zone, expected) => {
    expect(ends(instant, zone)).toBe(expected);
  });

  it('handles a window within one day and an empty window', () => {
    const lunch = { start: '12:00', end: '14:00' };
    expect(ends('2026-01-15T12:30:00Z', 'UTC', lunch)).toBe('2026-01-15T14:00:00.000Z');
    expect(ends('2026-01-15T14:00:00Z', 'UTC', lunch)).toBe('open');
    expect(ends('2026-01-15T11:59:00Z', 'UTC', lunch)).toBe('open');
    expect(ends('2026-01-15T12:30:00Z', 'UTC', { start: '12:00', end: '12:00' })).toBe('open');
  });

  it('ends a window whose end is skipped by the clock change at the first existing minute after it', () => {
    // 01:00-02:30 in New York on the spring-forward night: 02:30 does not exist, and 03:00 EDT (07:00Z) is past it.
    expect(ends('2026-03-08T06:30:00Z', 'America/New_York', { start: '01:00', end: '02:30' })).toBe(
      '2026-03-08T07:00:00.000Z',
    );
  });

  it('never answers an end in the past, whatever the instant', () => {
    const start = Date.parse('2026-10-24T00:00:00Z');
    for (let t = start; t < start + 3 * 86_400_000; t += 7 * 60_000) {
      for (const zone of ['Europe/Paris', 'America/New_York']) {
        const verdict = quietVerdict(new Date(t), zone, { start: '01:30', end: '02:30' });
        if (verdict.quiet) expect(verdict.endsAt.getTime()).toBeGreaterThan(t);
      }
    }
  });
});

describe(`${quietVerdict.name} across clock changes`, () => {
  const minute = 60_000;
  const windows = ['22:00-02:30', '01:00-02:30', '22:00-01:30', '00:30-01:30', '21:00-08:00'].map((window) => {
    const [start, end] = window.split('-');
    return { start, end };
  });
  const changes: Array<[string, string]> = [
    ['America/New_York', '2026-03-08T00:00:00Z'],
    ['America/New_York', '2026-11-01T00:00:00Z'],
    ['Europe/London', '2026-03-29T00:00:00Z'],
    ['Europe/London', '2026-10-24T18:00:00Z'],
    ['Australia/Lord_Howe', '2026-04-04T10:00:00Z'],
    ['Australia/Lord_Howe', '2026-10-03T10:00:00Z'],
  ];

  it.each(changes)('in %s around %s, a window ends at the first minute it is open again', (zone, from) => {
    const start = Date.parse(from);
    for (const hours of windows) {
      for (let t = start; t < start + 18 * 3_600_000; t += 5 * minute) {
        const verdict = quietVerdict(new Date(t), zone, hours);
        if (!verdict.quiet) continue;
        const end = verdict.endsAt.getTime();
        const label = `${new Date(t).toISOString()} ${hours.start}-${hours.end}`;
        expect([label, quietVerdict(new Date(end), zone, hours).quiet]).toEqual([label, false]);
        expect([label, quietVerdict(new Date(end - minute), zone, hours).quiet]).toEqual([label, true]);
      }
    }
  });

  it('holds a message in the second pass of a repeated hour until that pass reaches the end', () => {
    // London falls back at 02:00 BST to 01:00 GMT: 01:10 GMT (01:10Z) is in 22:00-01:30 until 01:30 GMT.
    expect(ends('2026-10-25T01:10:00Z', 'Europe/London', { start: '22:00', end: '01:30' })).toBe(
      '2026-10-25T01:30:00.000Z',
    );
  });
});
