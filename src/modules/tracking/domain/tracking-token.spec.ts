import { createHmac } from 'node:crypto';
import { createKeyRing, KeyRing, parseSigningKeys } from './signing-keys';
import { signTrackingToken, TrackingClaims, verifyTrackingToken } from './tracking-token';

const NOW = new Date('2026-03-01T12:00:00Z');
const ring = (spec: string): KeyRing => createKeyRing(parseSigningKeys(spec));
const CURRENT = ring('k2026:current-secret-current-secret-0001,k2025:previous-secret-previous-secret-01');
const OTHER = ring('k2026:another-secret-another-secret-00001');

const CLAIMS: TrackingClaims[] = [
  { kind: 'open', notificationId: 'n1' },
  { kind: 'click', notificationId: 'n1', linkId: 'l3' },
  { kind: 'push-open', notificationId: 'n1' },
  { kind: 'unsubscribe', userId: 'u1', category: 'weekly-digest', notificationId: 'n1' },
  { kind: 'unsubscribe', userId: 'u1', category: '*' },
];

/** Replaces one character of `token` at `index` with another base64url character. */
function flip(token: string, index: number): string {
  const replacement = token[index] === 'A' ? 'B' : 'A';
  return token.slice(0, index) + replacement + token.slice(index + 1);
}

describe('tracking tokens', () => {
  it.each(CLAIMS)('round-trips %j and stays URL-safe', (claims) => {
    const token = signTrackingToken(claims, CURRENT);
    expect(token).toMatch(/^v1\.k2026\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(encodeURIComponent(token)).toBe(token);
    expect(verifyTrackingToken(token, CURRENT, NOW)).toEqual({ valid: true, claims, kid: 'k2026' });
  });

  it('checks the expected kind, so an open token cannot unsubscribe', () => {
    const token = signTrackingToken({ kind: 'open', notificationId: 'n1' }, CURRENT);
    expect(verifyTrackingToken(token, CURRENT, NOW, 'unsubscribe')).toEqual({ valid: false, reason: 'wrong-kind' });
    expect(verifyTrackingToken(token, CURRENT, NOW, 'open').valid).toBe(true);
  });

  it('refuses a token signed with a key the deployment does not hold (forged)', () => {
    const forged = signTrackingToken({ kind: 'open', notificationId: 'n1' }, OTHER);
    expect(verifyTrackingToken(forged, CURRENT, NOW)).toEqual({ valid: false, reason: 'bad-signature' });
  });

  it('refuses a token whose payload was swapped for another notification (tampered)', () => {
    const token = signTrackingToken({ kind: 'click', notificationId: 'n1', linkId: 'l1' }, CURRENT);
    const [v, kid, , sig] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ k: 'c', n: 'n2', l: 'l1' })).toString('base64url');
    expect(verifyTrackingToken(`${v}.${kid}.${payload}.${sig}`, CURRENT, NOW)).toEqual({
      valid: false,
      reason: 'bad-signature',
    });
  });

  it('refuses every single-character change anywhere in the token', () => {
    const token = signTrackingToken({ kind: 'unsubscribe', userId: 'u1', category: 'news' }, CURRENT);
    for (let i = 0; i < token.length; i += 1) {
      if (token[i] === '.') continue;
      expect(verifyTrackingToken(flip(token, i), CURRENT, NOW).valid).toBe(false);
    }
  });

  it.each([
    ['truncated signature', (t: string) => t.slice(0, -5)],
    ['signature removed', (t: string) => t.split('.').slice(0, 3).join('.')],
    ['extra segment', (t: string) => `${t}.x`],
    ['wrong version', (t: string) => t.replace(/^v1/, 'v2')],
    ['padding added', (t: string) => `${t}=`],
    ['empty', () => ''],
    ['huge', () => `v1.k2026.${'A'.repeat(5000)}.${'A'.repeat(43)}`],
  ])('refuses a %s token as malformed', (_label, mutate) => {
    const token = signTrackingToken({ kind: 'open', notificationId: 'n1' }, CURRENT);
    expect(verifyTrackingToken(mutate(token), CURRENT, NOW)).toEqual({ valid: false, reason: 'malformed' });
  });

  it('refuses a kid it does not know, and a valid signature moved under another kid', () => {
    const token = signTrackingToken({ kind: 'open', notificationId: 'n1' }, CURRENT);
    expect(verifyTrackingToken(token.replace('k2026', 'k1999'), CURRENT, NOW)).toEqual({
      valid: false,
      reason: 'unknown-key',
    });
    expect(verifyTrackingToken(token.replace('k2026', 'k2025'), CURRENT, NOW)).toEqual({
      valid: false,
      reason: 'bad-signature',
    });
  });

  it('verifies tokens of a rotated-out signing key while it stays in the ring', () => {
    const before = ring('k2025:previous-secret-previous-secret-01');
    const old = signTrackingToken({ kind: 'push-open', notificationId: 'n9' }, before);
    expect(verifyTrackingToken(old, CURRENT, NOW)).toMatchObject({ valid: true, kid: 'k2025' });
    expect(signTrackingToken({ kind: 'push-open', notificationId: 'n9' }, CURRENT)).toMatch(/^v1\.k2026\./);
    const retired = ring('k2026:current-secret-current-secret-0001');
    expect(verifyTrackingToken(old, retired, NOW)).toEqual({ valid: false, reason: 'unknown-key' });
  });

  it('expires at the given time and not before', () => {
    const expiresAt = new Date(NOW.getTime() + 60_000);
    const token = signTrackingToken({ kind: 'open', notificationId: 'n1' }, CURRENT, expiresAt);
    expect(verifyTrackingToken(token, CURRENT, NOW)).toMatchObject({ valid: true, expiresAt });
    expect(verifyTrackingToken(token, CURRENT, new Date(expiresAt.getTime() - 1)).valid).toBe(true);
    expect(verifyTrackingToken(token, CURRENT, expiresAt)).toEqual({ valid: false, reason: 'expired' });
  });

  it('refuses a correctly signed payload that does not describe a token', () => {
    const key = CURRENT.signing;
    const signed = (payload: unknown) => {
      const part = `v1.${key.kid}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      return `${part}.${createHmac('sha256', key.secret).update(part).digest('base64url')}`;
    };
    for (const payload of [{ k: 'c', n: 'n1' }, { k: 'x', n: 'n1' }, { k: 'u', u: 'u1' }, null, { k: 'o', n: '' }]) {
      expect(verifyTrackingToken(signed(payload), CURRENT, NOW)).toEqual({ valid: false, reason: 'malformed' });
    }
    expect(verifyTrackingToken(signed({ k: 'o', n: 'n1', e: 'soon' }), CURRENT, NOW)).toEqual({
      valid: false,
      reason: 'expired',
    });
  });
});
