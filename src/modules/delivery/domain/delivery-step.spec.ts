import { waitInZone, ZoneWait } from './delivery-step';

const night = { start: '21:00', end: '08:00', whenQuiet: 'delay' as const };
const at = (iso: string) => new Date(iso);
/** A message held by quiet hours since `dueAt`, until `until`. */
const held = (dueAt: string, until: string): ZoneWait => ({
  quietHours: night,
  quietWait: { dueAt: at(dueAt), until: at(until) },
});

describe(waitInZone.name, () => {
  describe('a message quiet hours hold', () => {
    it('sends at once a message whose user moved to where it is day', () => {
      // Held at 02:00 in Los Angeles; the user is now in Paris, where 10:00 UTC is 11:00.
      const now = at('2026-01-15T10:00:00Z');
      expect(waitInZone(held('2026-01-15T09:55:00Z', '2026-01-15T16:00:00Z'), 'Europe/Paris', now)).toEqual({
        notBefore: now,
        quietWait: { dueAt: at('2026-01-15T09:55:00Z'), until: now },
      });
    });

    it('keeps a planned send time later than now when it is day in the new zone', () => {
      const planned = '2026-01-15T12:00:00Z';
      const next = waitInZone(held(planned, '2026-01-15T16:00:00Z'), 'Europe/Paris', at('2026-01-15T10:00:00Z'));
      expect(next?.notBefore).toEqual(at(planned));
    });

    it('waits for the end of the night in the new zone, across its clock change', () => {
      // 01:30 UTC is 03:30 summer time in Paris on the night clocks spring forward: 08:00 there is 06:00 UTC.
      const spring = waitInZone(
        held('2026-03-29T00:00:00Z', '2026-03-29T15:00:00Z'),
        'Europe/Paris',
        at('2026-03-29T01:30:00Z'),
      );
      expect(spring).toEqual({
        notBefore: at('2026-03-29T06:00:00Z'),
        quietWait: { dueAt: at('2026-03-29T00:00:00Z'), until: at('2026-03-29T06:00:00Z') },
      });
      // A planned time in the new zone's night waits for that night's end, not now's.
      const planned = held('2026-07-02T03:00:00Z', '2026-07-02T06:00:00Z');
      expect(waitInZone(planned, 'America/New_York', at('2026-07-01T16:00:00Z'))?.notBefore).toEqual(
        at('2026-07-02T12:00:00Z'),
      );
    });
  });

  describe("a local-hour run's message waiting for its local send time", () => {
    const tenOclock = { date: '2030-06-15', hour: 10, minute: 0 };

    it('goes at that time where the user is now', () => {
      // 10:00 in Tokyo is 01:00 UTC; in New York, 14:00 UTC.
      const now = at('2030-06-14T12:00:00Z');
      expect(waitInZone({ localSend: tenOclock }, 'Asia/Tokyo', now)).toEqual({
        notBefore: at('2030-06-15T01:00:00Z'),
      });
      expect(waitInZone({ localSend: tenOclock }, 'America/New_York', now)).toEqual({
        notBefore: at('2030-06-15T14:00:00Z'),
      });
    });

    it('goes at once when that time has already passed where the user is now', () => {
      const now = at('2030-06-15T05:00:00Z');
      expect(waitInZone({ localSend: tenOclock }, 'Asia/Tokyo', now)).toEqual({ notBefore: now });
    });

    it('is due at the local time there, not the old one, when quiet hours hold it', () => {
      // 07:30 is inside a 21:00-08:00 night: it waits for 08:00 in Tokyo (23:00 UTC), due since 07:30 there.
      const early = { date: '2030-06-15', hour: 7, minute: 30 };
      const wait = {
        localSend: early,
        quietHours: night,
        quietWait: held('2030-06-15T05:30:00Z', '2030-06-15T06:00:00Z').quietWait,
      };
      expect(waitInZone(wait, 'Asia/Tokyo', at('2030-06-14T12:00:00Z'))).toEqual({
        notBefore: at('2030-06-14T23:00:00Z'),
        quietWait: { dueAt: at('2030-06-14T22:30:00Z'), until: at('2030-06-14T23:00:00Z') },
      });
      // Out of the night there (10:00 in Tokyo), it no longer has a quiet wait.
      expect(waitInZone({ ...wait, localSend: tenOclock }, 'Asia/Tokyo', at('2030-06-14T12:00:00Z'))).toEqual({
        notBefore: at('2030-06-15T01:00:00Z'),
      });
    });

    it('leaves a message of a campaign that drops quiet-hour messages to the send-time check', () => {
      const drop = { ...night, whenQuiet: 'drop' as const };
      const early = { date: '2030-06-15', hour: 7, minute: 30 };
      expect(waitInZone({ localSend: early, quietHours: drop }, 'Asia/Tokyo', at('2030-06-14T12:00:00Z'))).toEqual({
        notBefore: at('2030-06-14T22:30:00Z'),
      });
    });
  });

  it("has nothing to judge for a message with no wait of its user's local time", () => {
    expect(waitInZone({ quietHours: night }, 'Asia/Tokyo', at('2030-06-14T12:00:00Z'))).toBeUndefined();
  });
});
