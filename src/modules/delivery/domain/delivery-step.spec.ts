import { nextStep, waitInZone, ZoneWait } from './delivery-step';
import type { Notification } from './notification';

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

    it('moves its latest send time with it, as long after the local send time there', () => {
      // Queued in New York (due 14:00 UTC, latest 16:00 UTC); the user moves to Tokyo (due 01:00 UTC).
      const wait = { localSend: tenOclock, sendBy: at('2030-06-15T16:00:00Z'), timeZone: 'America/New_York' };
      expect(waitInZone(wait, 'Asia/Tokyo', at('2030-06-14T12:00:00Z'))).toEqual({
        notBefore: at('2030-06-15T01:00:00Z'),
        sendBy: at('2030-06-15T03:00:00Z'),
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

describe(nextStep.name, () => {
  const queued = (fields: Partial<Notification>) =>
    ({
      state: 'queued',
      timeZone: 'Europe/Paris',
      targets: [{ to: { channel: 'email', address: 'a@example.com' }, state: 'pending' }],
      ...fields,
    }) as Notification;
  const sendBy = at('2030-06-15T18:00:00Z');

  it('suppresses a local-hour message found due later than its latest send time', () => {
    expect(nextStep(queued({ sendBy }), 'open', at('2030-06-15T18:00:01Z'))).toMatchObject({
      kind: 'settle',
      reason: { code: 'stale', rule: 'schedule.maxLateMinutes' },
    });
    expect(nextStep(queued({ sendBy }), 'open', at('2030-06-15T17:59:00Z'))).toEqual({ kind: 'send' });
  });

  it('suppresses it when quiet hours would hold it past its latest send time, and waits when they end before', () => {
    const quietHours = { start: '19:00', end: '22:00', whenQuiet: 'delay' as const };
    // 19:30 in Paris (17:30 UTC): the night ends at 20:00 UTC, after the latest send time.
    expect(nextStep(queued({ sendBy, quietHours }), 'open', at('2030-06-15T17:30:00Z'))).toMatchObject({
      kind: 'settle',
      reason: { code: 'stale' },
    });
    const later = at('2030-06-15T21:00:00Z');
    expect(nextStep(queued({ sendBy: later, quietHours }), 'open', at('2030-06-15T17:30:00Z'))).toMatchObject({
      kind: 'wait',
      why: 'quiet-hours',
    });
  });

  it('never stops a message being sent, and parks one of a paused run', () => {
    const now = at('2030-06-15T19:00:00Z');
    const sending = { attemptId: 'a1', startedAt: now, leaseUntil: at('2030-06-15T19:01:00Z') };
    expect(nextStep(queued({ sendBy, state: 'sending', sending }), 'open', now).kind).toBe('wait');
    expect(nextStep(queued({ sendBy }), 'paused', now)).toEqual({ kind: 'park' });
  });

  it('goes on to the other targets of a message a provider accepted for some target, as a quiet-hours drop does', () => {
    const targets = [
      { to: { channel: 'push' as const, platform: 'apns' as const, token: 't1' }, state: 'accepted' as const },
      { to: { channel: 'push' as const, platform: 'apns' as const, token: 't2' }, state: 'pending' as const },
    ];
    expect(nextStep(queued({ sendBy, targets }), 'open', at('2030-06-15T19:00:00Z'))).toEqual({ kind: 'send' });
  });
});
