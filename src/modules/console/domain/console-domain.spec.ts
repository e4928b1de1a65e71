import { parseCookies, serializeCookie } from './cookies';
import { decodeCursor, encodeCursor, pageOf } from './keyset';
import { safeReturnPath } from './return-path';
import { describeNextRun, describeSchedule } from './schedule-summary';
import { formToken, sameToken, signSessionToken, verifySessionToken } from './session-token';

const key = { kid: 'k1', secret: 'x'.repeat(40) };
const keys = new Map([[key.kid, key]]);
const now = new Date('2026-03-01T10:00:00Z');
const sessionId = 'abcdefghijklmnopqrstuvwx';

describe('session tokens', () => {
  const token = signSessionToken({ sessionId, expiresAt: new Date('2026-03-01T12:00:00Z') }, key);

  it('verifies its own token until it expires', () => {
    expect(verifySessionToken(token, keys, now)).toEqual({
      valid: true,
      claims: { sessionId, expiresAt: new Date('2026-03-01T12:00:00Z') },
    });
    expect(verifySessionToken(token, keys, new Date('2026-03-01T12:00:00Z'))).toEqual({
      valid: false,
      reason: 'expired',
    });
  });

  it.each([
    ['a longer expiry', token.replace(/\.(\d+)\./, (_, s: string) => `.${Number(s) + 1}.`), 'forged'],
    ['another session', token.replace(sessionId, 'B'.repeat(24)), 'forged'],
    ['another key id', token.replace('.k1.', '.k2.'), 'unknown-key'],
    ['a cut token', token.split('.').slice(0, 4).join('.'), 'malformed'],
    ['garbage', 'garbage', 'malformed'],
  ])('refuses %s', (_, forged, reason) => {
    expect(verifySessionToken(forged, keys, now)).toEqual({ valid: false, reason });
  });

  it('binds form tokens to their session and purpose', () => {
    const csrf = formToken(key, 'session', sessionId);
    expect(sameToken(csrf, formToken(key, 'session', sessionId))).toBe(true);
    expect(sameToken(csrf, formToken(key, 'sign-in', sessionId))).toBe(false);
    expect(sameToken(undefined, csrf)).toBe(false);
    expect(sameToken('é'.repeat(csrf.length), csrf)).toBe(false);
  });
});

describe('cookies', () => {
  it('parses a Cookie header, first value of a name winning', () => {
    expect([...parseCookies('a=1; b="2"; a=3; junk; =x')]).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });

  it('serializes HttpOnly cookies and refuses header-breaking values', () => {
    expect(serializeCookie('s', 'v.1', { path: '/console', maxAge: 60, secure: true, sameSite: 'Strict' })).toBe(
      's=v.1; Path=/console; Max-Age=60; HttpOnly; SameSite=Strict; Secure',
    );
    expect(() => serializeCookie('s', 'a;b', { path: '/', maxAge: 0, secure: false, sameSite: 'Lax' })).toThrow();
  });
});

describe('keyset pages', () => {
  it('returns a next cursor only when a row beyond the page was read', () => {
    expect(pageOf(['a', 'b', 'c'], 2, (x) => x)).toEqual({ items: ['a', 'b'], next: encodeCursor('b') });
    expect(pageOf(['a', 'b'], 2, (x) => x)).toEqual({ items: ['a', 'b'] });
    expect(decodeCursor(encodeCursor('campaign-9'))).toBe('campaign-9');
    expect(decodeCursor('%%%')).toBeUndefined();
    expect(decodeCursor(undefined)).toBeUndefined();
  });
});

describe('return paths', () => {
  it.each([
    ['/console/campaigns?after=x', '/console/campaigns?after=x'],
    ['/console', '/console'],
    ['//evil.example', '/console'],
    ['/console//evil.example', '/console'],
    ['/console\\@evil', '/console'],
    ['https://evil.example/console', '/console'],
    ['/consoles', '/console'],
    ['/console/sign-out', '/console'],
    ['/console/journeys?user=日本', '/console'],
    ['/console/journeys?user=%E6%97%A5', '/console/journeys?user=%E6%97%A5'],
    [undefined, '/console'],
  ])('%s -> %s', (raw, expected) => {
    expect(safeReturnPath(raw)).toBe(expected);
  });
});

describe('schedules', () => {
  it('describes each kind of schedule and its next run', () => {
    const cron = { type: 'cron' as const, cron: '0 9 * * 1', timeZone: 'Europe/Paris' };
    expect(describeSchedule(cron)).toBe('cron 0 9 * * 1 (Europe/Paris), at most 120 minutes late');
    expect(describeSchedule({ ...cron, maxLateMinutes: 30 })).toBe(
      'cron 0 9 * * 1 (Europe/Paris), at most 30 minutes late',
    );
    expect(describeSchedule({ type: 'once', at: '2026-12-01T09:00:00Z', maxLateMinutes: 15 })).toBe(
      'once at 2026-12-01T09:00:00Z, at most 15 minutes late',
    );
    expect(describeNextRun(cron, 'active', now)).toBe('2026-03-02T08:00:00Z');
    expect(describeNextRun(cron, 'paused', now)).toBe('not scheduled (paused)');
    const local = { type: 'local-hour' as const, hour: 18, minute: 5, days: ['tue'] };
    expect(describeSchedule(local)).toBe("18:05 in each user's time zone on tue, at most 120 minutes late");
    expect(describeSchedule({ ...local, days: [], maxLateMinutes: 45 })).toBe(
      "18:05 in each user's time zone every day, at most 45 minutes late",
    );
    expect(describeNextRun({ type: 'once', at: '2026-01-01T00:00:00Z' }, 'active', now)).toBe('already passed');
  });
});
