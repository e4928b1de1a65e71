import { quietWaitEnd } from './delivery-step';

const night = { start: '21:00', end: '08:00' };
const at = (iso: string) => new Date(iso);

describe(quietWaitEnd.name, () => {
  it('sends at once a message whose user moved to where it is day', () => {
    // Held at 02:00 in Los Angeles; the user is now in Paris, where 10:00 UTC is 11:00.
    const now = at('2026-01-15T10:00:00Z');
    expect(quietWaitEnd(night, 'Europe/Paris', at('2026-01-15T09:55:00Z'), now)).toEqual(now);
  });

  it('keeps a planned send time later than now when it is day in the new zone', () => {
    const planned = at('2026-01-15T12:00:00Z');
    expect(quietWaitEnd(night, 'Europe/Paris', planned, at('2026-01-15T10:00:00Z'))).toEqual(planned);
  });

  it('waits for the end of the night in the new zone, across its clock change', () => {
    // 01:30 UTC is 03:30 summer time in Paris on the night clocks spring forward: 08:00 there is 06:00 UTC.
    expect(quietWaitEnd(night, 'Europe/Paris', at('2026-03-29T00:00:00Z'), at('2026-03-29T01:30:00Z'))).toEqual(
      at('2026-03-29T06:00:00Z'),
    );
    // A planned time in the new zone's night waits for that night's end, not now's.
    expect(quietWaitEnd(night, 'America/New_York', at('2026-07-02T03:00:00Z'), at('2026-07-01T16:00:00Z'))).toEqual(
      at('2026-07-02T12:00:00Z'),
    );
  });
});
